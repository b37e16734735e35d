// The thin path as a supervisor sees it: events produced to Kafka appear on the TV wallboard in a
// real (headless Debian) Chromium, served by the real api, and follow changes without a reload.
// The TV's layouts, states, trends and alerts: wallboard.tv.browser.test.ts.
import type { RunningServer } from "@floorwatch/api";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asAdmin, storedToken } from "../support/api";
import { startWallboardServer, startWallboardStack, type WallboardStack } from "../support/browser";
import { answered, produce, queued } from "../support/events";
import type { Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";

describe("the TV wallboard in a real browser", () => {
  let stack: WallboardStack;
  let h: Harness;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let site: string;
  /** The TV's display token, handed over in the address's fragment as an installer would. */
  let display: { id: string; token: string };

  beforeAll(async () => {
    stack = await startWallboardStack("browser");
    ({ h, server, browser, site } = stack);
    display = await storedToken(h.ch, "display", { sites: [site], layout: "floor-1" });
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  const metric = (queue: string, name: string) =>
    page.locator(`[data-queue="${queue}"] [data-metric="${name}"]`);

  it("shows waiting and longest wait per queue, then follows an answer without a reload", async () => {
    const now = Date.now();
    await produce(h.kafka, h.config.topics.calls, [
      queued({ site, at: now - 185_000, contact: "b1", queue: "credit_card" }),
      queued({ site, at: now - 20_000, contact: "b2", queue: "credit_card" }),
      queued({ site, at: now - 8_000, contact: "b3", queue: "loans" }),
    ]);
    // Derived before the page looks: the polls below wait for the page, not for the ingest.
    await waitForIngested(h);

    await page.goto(`${server.url}/?site=${site}&lang=en#token=${display.token}`);
    await expect
      .poll(() => metric("credit_card", "waiting").textContent(), { timeout: 30_000 })
      .toBe("2");
    // The token left the address bar (it is remembered by the page, not shown on the TV).
    expect(page.url()).not.toContain("token");
    // A queue's tile, in the default layout: every queue, by its tile key as well.
    await expect(
      page.locator('[data-tile="queue:credit_card"][data-queue="credit_card"]').count(),
    ).resolves.toBe(1);
    await expect
      .poll(() => metric("loans", "waiting").textContent(), { timeout: 10_000 })
      .toBe("1");
    // 185 s and counting: shown as m:ss, past the 3-minute target.
    const longest = (await metric("credit_card", "longest_waiting_s").textContent()) ?? "";
    expect(longest).toMatch(/^3:0\d$/);

    await produce(h.kafka, h.config.topics.calls, [
      answered({ site, at: Date.now(), contact: "b1", queue: "credit_card" }),
    ]);
    await waitForIngested(h);
    await expect
      .poll(() => metric("credit_card", "waiting").textContent(), { timeout: 15_000 })
      .toBe("1");
    await expect
      .poll(async () => (await metric("credit_card", "longest_waiting_s").textContent()) ?? "", {
        timeout: 5_000,
      })
      .toMatch(/^0:(2\d|3\d)$/);
    await expect(page.locator('[data-testid="stale"]').isVisible()).resolves.toBe(false);
  });

  it("shows the site's own time on the clock, not the screen's", async () => {
    // The screen is in New York; the site was created with the default zone, Asia/Shanghai.
    const ny = await browser.newContext({
      timezoneId: "America/New_York",
      viewport: { width: 1920, height: 1080 },
    });
    const tv = await ny.newPage();
    await tv.goto(`${server.url}/?site=${site}&lang=en#token=${display.token}`);
    await expect
      .poll(() => tv.locator('[data-queue="loans"] [data-metric="waiting"]').textContent(), {
        timeout: 15_000,
      })
      .toBe("1");
    const shown = (await tv.locator('[data-testid="clock"]').textContent()) ?? "";
    await ny.close();
    const seconds = (hms: string) =>
      hms.split(":").reduce((acc, part) => acc * 60 + Number(part), 0);
    const shanghai = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Shanghai",
      hourCycle: "h23",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    }).format(new Date());
    const apart = Math.abs(seconds(shown) - seconds(shanghai)) % 86_400;
    expect(Math.min(apart, 86_400 - apart), `${shown} vs ${shanghai}`).toBeLessThanOrEqual(3);
  });

  it("speaks Chinese when asked", async () => {
    await page.goto(`${server.url}/?site=${site}&lang=zh-CN`);
    await expect
      .poll(() => metric("loans", "waiting").textContent(), { timeout: 15_000 })
      .toBe("1");
    await expect(page.locator("body").innerText()).resolves.toContain("等待");
  });

  it("warns that the numbers are stale when the api goes away", async () => {
    // A server of its own, stopped under the screen: its stream ends and nothing answers again.
    const doomed = await startWallboardServer(h);
    const tv = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await tv.goto(`${doomed.url}/?site=${site}&lang=en#token=${display.token}`);
    await expect
      .poll(() => tv.locator('[data-queue="loans"] [data-metric="waiting"]').textContent(), {
        timeout: 15_000,
      })
      .toBe("1");
    await expect(tv.locator('[data-testid="stale"]').isVisible()).resolves.toBe(false);
    await doomed.close();
    await expect
      .poll(() => tv.locator('[data-testid="stale"]').isVisible(), { timeout: 15_000 })
      .toBe(true);
    await tv.close();
  });

  // Last: it revokes the screen's token.
  it("says so when the screen's token is revoked, instead of showing frozen numbers", async () => {
    await page.goto(`${server.url}/?site=${site}&lang=en`); // the remembered token
    await expect
      .poll(() => metric("loans", "waiting").textContent(), { timeout: 15_000 })
      .toBe("1");
    const res = await fetch(`${server.url}/api/v1/tokens/${display.id}`, {
      method: "DELETE",
      ...asAdmin,
    });
    expect(res.status).toBe(200);
    await expect
      .poll(() => page.locator('[data-testid="stale"]').innerText(), { timeout: 15_000 })
      .toContain("access token is missing, revoked");
  });
});
