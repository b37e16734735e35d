// Brings the real servers up once for the integration project (idempotent: `npm test` has usually
// done it already) and builds the wallboard the browser tests load.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
// @ts-expect-error plain-JS provisioning script, no types
import { up } from "../../scripts/services.mjs";

export default async function setup() {
  await up();
  const root = join(import.meta.dirname, "../..");
  if (!existsSync(join(root, "wallboard/dist/index.html")) || process.env.CI) {
    execFileSync("npx", ["vite", "build", "wallboard", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
  }
}
