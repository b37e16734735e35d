// The wallboard page keeps a display token in localStorage: a Content-Security-Policy allows only
// the app's own scripts, styles and connections. Shown in a real (headless Debian) Chromium: the
// header is there, and the page renders its tiles and charts without a single violation.
import type { RunningServer } from "@floorwatch/api";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedToken } from "../support/api";
import { startWallboardStack, watchPageErrors, type WallboardStack } from "../support/browser";
import { produce, queued } from "../support/events";
import type { Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";

describe("the wallboard page's Content-Security-Policy", () => {
  let stack: WallboardStack;
  let h: Harness;
  let server: RunningServer;
  let browser: Browser;
  let site: string;

  beforeAll(async () => {
    stack = await startWallboardStack("wallboard_csp");
    ({ h, server, browser, site } = stack);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("allows only the app's own scripts, styles and connections", async () => {
    const res = await fetch(`${server.url}/?site=${site}`);
    const csp = res.headers.get("content-security-policy") ?? "";
    const directives = new Map(
      csp.split(";").map((d) => {
        const [name = "", ...values] = d.trim().split(/\s+/);
        return [name, values.join(" ")] as const;
      }),
    );
    expect(directives.get("default-src")).toBe("'none'");
    expect(directives.get("script-src")).toBe("'self'");
    expect(directives.get("style-src")).toBe("'self'");
    expect(directives.get("connect-src")).toBe("'self'");
    expect(directives.get("frame-ancestors")).toBe("'none'");
  });

  it("renders the wallboard, tiles and charts included, without a violation", async () => {
    const now = Date.now();
    await produce(h.kafka, h.config.topics.calls, [
      queued({ site, at: now - 30_000, contact: "p1", queue: "cards" }),
    ]);
    // Derived before the page looks: the polls below wait for the page, not for the ingest.
    await waitForIngested(h);
    const display = await storedToken(h.ch, "display", { sites: [site] });
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const violations = await watchPageErrors(page);
    const answer = await page.goto(`${server.url}/?site=${site}&lang=en#token=${display.token}`);
    expect(answer?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.locator('[data-queue="cards"] [data-metric="waiting"]').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.locator('[data-queue="cards"] [data-metric="waiting"]').textContent(), {
        timeout: 30_000,
      })
      .toBe("1");
    await page.locator('[data-queue="cards"] canvas').first().waitFor({ timeout: 10_000 });
    // A few snapshots more: whatever each update does must pass too.
    await page.waitForTimeout(2_500);
    expect(violations).toEqual([]);
    await page.close();
  });
});
