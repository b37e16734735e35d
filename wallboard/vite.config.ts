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
  },
  server: {
    proxy: {
      "/api": api,
      "/healthz": api,
    },
  },
});
