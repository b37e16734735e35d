// The desk screens run under the same Content-Security-Policy as the TV (the page keeps a session
// token): each screen, its tables and charts render in a real Chromium without one violation or
// script error, and the token never appears in the address after sign-in.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ADMIN_TOKEN } from "../support/api";
import { startWallboardStack, type WallboardStack } from "../support/browser";
import { closeDesk, openDesk, screenReady } from "../support/desk";
import { abandoned, answered, produce, queued } from "../support/events";
import { waitForIngested } from "../support/ingested";

/** Collects CSP violations, console errors and uncaught errors of `page` from its first script. */
async function watch(page: Page): Promise<string[]> {
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

describe("the desk screens under the page's Content-Security-Policy", () => {
  let stack: WallboardStack;
  let browser: Browser;
  let site: string;
  const today = new Date().toISOString().slice(0, 10);

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

  it.each([
    ["signin", "/signin"],
    ["supervisor", "/supervisor?site={site}"],
    ["qa", "/qa?site={site}"],
    ["reports", `/reports?site={site}&from=${today}&interval=1h`],
  ])("renders %s without a violation", async (name, path) => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const violations = await watch(page);
    const url = `${stack.server.url}${path.replace("{site}", site)}`;
    const answer = await page.goto(
      `${url}${url.includes("?") ? "&" : "?"}lang=zh-CN#token=${TEST_ADMIN_TOKEN}`,
    );
    expect(answer?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await screenReady(page, name);
    expect(page.url()).not.toContain("token=");
    // A few refreshes more: whatever each update does must pass too.
    await page.waitForTimeout(2_000);
    expect(violations).toEqual([]);
    await context.close();
  });

  it("keeps the session token out of localStorage on every screen", async () => {
    const page = await openDesk(
      browser,
      stack.server.url,
      `/supervisor?site=${site}`,
      TEST_ADMIN_TOKEN,
      {
        ready: "supervisor",
      },
    );
    expect(await page.evaluate(() => Object.keys(localStorage))).not.toContain(
      "floorwatch.session",
    );
    expect(await page.evaluate(() => sessionStorage.getItem("floorwatch.session"))).toBe(
      TEST_ADMIN_TOKEN,
    );
    await closeDesk(page);
  });
});
