// Builds the wallboard when its sources are newer than the last build. Shared by `npm start` and
// the integration tests' global setup, so neither serves a page older than the code under test.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

export function wallboardIsStale() {
  const built = join(root, "wallboard/dist/index.html");
  if (!existsSync(built)) return true;
  const sources = [
    "wallboard/src",
    "wallboard/index.html",
    "wallboard/vite.config.ts",
    "contracts/src",
  ]
    .map((p) => join(root, p))
    .filter(existsSync);
  return statSync(built).mtimeMs < Math.max(...sources.map(newestMtime));
}

export function ensureWallboardBuilt() {
  if (!wallboardIsStale()) return;
  process.stderr.write("[floorwatch] building the wallboard\n");
  const r = spawnSync(
    join(root, "node_modules/.bin/vite"),
    ["build", "wallboard", "--logLevel", "warn"],
    // Always the production build: under vitest NODE_ENV is "test", and Solid's plugin would
    // build its slower development runtime, so browser tests would not run what users get.
    { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } },
  );
  if (r.status !== 0) throw new Error(`wallboard build failed (exit ${r.status ?? r.signal})`);
}
