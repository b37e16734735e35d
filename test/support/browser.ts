// Debian's Chromium driven by playwright-core. playwright-core never downloads a browser; the
// path comes from CHROMIUM_PATH (testEnv) so a CI image can point elsewhere.
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createApi, startServer, type RunningServer } from "@floorwatch/api";
import { serve } from "@hono/node-server";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { chromium, type Browser, type Page } from "playwright-core";
import { seenSites, TEST_ADMIN_TOKEN } from "./api";
import { testEnv } from "./env";
import { createHarness, type Harness } from "./harness";

/** Flags for a headless Chromium in a container: no sandbox (no user namespaces), no GPU, and no
 * background traffic (updates, sync, QUIC) that would slow or flake a test run offline. */
export const CHROMIUM_ARGS = [
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

/**
 * What a browser test drives: a harness, the ingest, the api serving the built wallboard, and a
 * Chromium, for one site that the api already knows (a site never seen is a 404).
 */
export interface WallboardStack {
  h: Harness;
  ingest: RunningIngest;
  server: RunningServer;
  browser: Browser;
  site: string;
  close(): Promise<void>;
}

const wallboardDir = join(import.meta.dirname, "../../wallboard/dist");

/**
 * An api over the harness's database serving the built wallboard, computing every snapshot;
 * `opts` are the test's own settings (a pinned clock, an export directory).
 */
export const startWallboardServer = (
  h: Harness,
  opts: Partial<Parameters<typeof startServer>[0]> = {},
): Promise<RunningServer> =>
  startServer({
    ch: h.ch,
    log: h.log,
    port: 0,
    host: "127.0.0.1",
    wallboardDir,
    liveTtlMs: 0,
    adminToken: TEST_ADMIN_TOKEN,
    ...opts,
  });

/**
 * Like startWallboardServer, with its alert evaluator running on the real clock every `tickMs`
 * (no election: the test makes it the leader), so the screens see alerts fire and resolve.
 */
export async function startEvaluatingWallboardServer(
  h: Harness,
  opts: { tickMs?: number } = {},
): Promise<RunningServer & { evaluator: ReturnType<typeof createApi>["evaluator"] }> {
  const { app, evaluator, seen } = createApi({
    ch: h.ch,
    log: h.log,
    wallboardDir,
    liveTtlMs: 0,
    adminToken: TEST_ADMIN_TOKEN,
    alerts: { tickMs: opts.tickMs ?? 1_000 },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    s.once("error", reject);
  });
  evaluator.setLeader(true);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    evaluator,
    async close() {
      await evaluator.stop();
      await new Promise<void>((done) => {
        server.close(() => done());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await seen.close();
    },
  };
}

export async function startWallboardStack(name: string): Promise<WallboardStack> {
  const h = await createHarness(name);
  const site = `site-${h.id}`.replaceAll("_", "-");
  await seenSites(h.ch, [site]);
  const ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
  const server = await startWallboardServer(h);
  const browser = await launchBrowser();
  return {
    h,
    ingest,
    server,
    browser,
    site,
    close: async () => {
      await browser.close();
      await server.close();
      await ingest.stop();
      await h.cleanup();
    },
  };
}

/** Collects CSP violations, console errors and uncaught errors of `page` from its first script. */
export async function watchPageErrors(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || /Content Security Policy/i.test(m.text()))
      violations.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => violations.push(`pageerror: ${e.message}`));
  await page.exposeFunction("reportViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      void (window as unknown as { reportViolation(t: string): Promise<void> }).reportViolation(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  return violations;
}
