// Debian's Chromium driven by playwright-core. playwright-core never downloads a browser; the
// path comes from CHROMIUM_PATH (testEnv) so a CI image can point elsewhere.
import { chromium, type Browser } from "playwright-core";
import { testEnv } from "./env";

/** Flags for a headless Chromium in a container: no sandbox (no user namespaces), no GPU, and no
 * background traffic (updates, sync, QUIC) that would slow or flake a test run offline. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: testEnv.chromiumPath,
    args: CHROMIUM_ARGS,
    headless: true,
  });
}
