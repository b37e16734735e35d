// Builds the TV wallboard into dist/, which the api serves at `/` (assets under /assets/).
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

const api = "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [solid()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The api serves only /assets/* and /favicon.svg as files; everything else gets index.html.
    assetsDir: "assets",
    rollupOptions: {
      output: {
        // zod and the switch that keeps it from compiling parsers with `new Function` (the page's
        // CSP allows no eval) share a chunk, so the switch runs before any schema of any chunk
        // is built: left to the bundler, the contracts' schemas landed in a chunk shared with the
        // lazy screens, which ran before the entry's switch and made zod probe eval.
        manualChunks(id) {
          if (
            /[\\/]node_modules[\\/]zod[\\/]/.test(id) ||
            /contracts[\\/]src[\\/]no-eval\.ts$/.test(id)
          )
            return "zod";
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: {
      "/api": api,
      "/healthz": api,
    },
  },
});
