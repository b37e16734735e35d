// The desk screens run under the same Content-Security-Policy as the TV (the page keeps a session
// token): each screen, its tables and charts render in a real Chromium without one violation or
// script error, and the token never appears in the address after sign-in, nor in localStorage.
import { DEFAULT_TIME_ZONE } from "@floorwatch/contracts";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_TOKEN } from "../support/api";
import { startWallboardStack, watchPageErrors, type WallboardStack } from "../support/browser";
import { closeDesk, openDesk, screenReady } from "../support/desk";
import { abandoned, answered, produce, queued } from "../support/events";
import { waitForIngested } from "../support/ingested";

/**
 * How long a poll waits for what the page will show (vitest's default is 1 s, which a loaded
 * two-core machine can spend on a single round trip to the browser). Only a bound on a wait.
 */
const WAIT = { timeout: 15_000 };
/** A day of the site's calendar (the seen site's zone is the default, Asia/Shanghai: UTC+8). */
const siteDate = (ms: number) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: DEFAULT_TIME_ZONE }).format(ms);
/** The site's today and the day after (a report's `to` is the first day not included). */
const today = siteDate(Date.now());
const tomorrow = siteDate(Date.parse(`${today}T12:00:00+08:00`) + 86_400_000);

/** Each desk screen as a person opens it ({site} filled in). */
const SCREENS = [
  ["signin", "/signin"],
  ["supervisor", "/supervisor?site={site}"],
  ["qa", "/qa?site={site}"],
  ["reports", `/reports?site={site}&from=${today}&to=${tomorrow}&interval=1h`],
  ["exports", "/exports?site={site}"],
] as const;

describe("the desk screens under the page's Content-Security-Policy", () => {
  let stack: WallboardStack;
  let browser: Browser;
  let site: string;

  beforeAll(async () => {
    stack = await startWallboardStack("desk_csp");
    ({ browser, site } = stack);
    const now = Date.now();
    await produce(stack.h.kafka, stack.h.config.topics.calls, [
      queued({ site, at: now - 120_000, contact: "c1", queue: "cards" }),
      answered({ site, at: now - 100_000, contact: "c1", queue: "cards" }),
      queued({ site, at: now - 90_000, contact: "c2", queue: "cards" }),
      abandoned({ site, at: now - 60_000, contact: "c2", queue: "cards" }),
      queued({ site, at: now - 30_000, contact: "c3", queue: "loans" }),
    ]);
    await waitForIngested(stack.h);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it.each(SCREENS)("renders %s without a violation", async (name, path) => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const violations = await watchPageErrors(page);
    // The API answers each panel has read in full, by path.
    const answered = new Map<string, number>();
    page.on("requestfinished", (req) => {
      const path = new URL(req.url()).pathname;
      answered.set(path, (answered.get(path) ?? 0) + 1);
    });
    const url = `${stack.server.url}${path.replace("{site}", site)}`;
    const answer = await page.goto(
      `${url}${url.includes("?") ? "&" : "?"}lang=zh-CN#token=${TEST_ADMIN_TOKEN}`,
    );
    expect(answer?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await screenReady(page, name);
    expect(page.url()).not.toContain("token=");
    if (name === "supervisor") {
      // The one screen that refreshes on its own: whatever each update does must pass too. Its
      // trend is drawn after the first paint; agents and alerts are asked again every 5 s, and the
      // queue table shows a new snapshot every 2 s: wait for each, two of the table's.
      await page.waitForSelector('[data-testid="trend"][data-loaded="true"]');
      for (const p of ["/api/v1/agents", "/api/v1/alerts"])
        await expect.poll(() => answered.get(p) ?? 0, { ...WAIT, message: p }).toBeGreaterThan(1);
      const asOf = () => page.getAttribute('[data-testid="as-of"]', "data-as-of");
      for (let i = 0; i < 2; i++) {
        const shown = await asOf();
        await expect.poll(asOf, WAIT).not.toBe(shown);
      }
    }
    expect(violations).toEqual([]);
    await context.close();
  });

  it.each(SCREENS)("keeps the session token out of localStorage on %s", async (name, path) => {
    const page = await openDesk(
      browser,
      stack.server.url,
      path.replace("{site}", site),
      TEST_ADMIN_TOKEN,
      {
        ready: name,
      },
    );
    const local = await page.evaluate(() => Object.entries(localStorage));
    expect(local.map(([k]) => k)).not.toContain("floorwatch.session");
    expect(local.filter(([, v]) => v.includes(TEST_ADMIN_TOKEN))).toEqual([]);
    expect(await page.evaluate(() => sessionStorage.getItem("floorwatch.session"))).toBe(
      TEST_ADMIN_TOKEN,
    );
    await closeDesk(page);
  });
});
