// The TV wallboard of issue #12 in a real (headless Debian) Chromium against the real api, ingest,
// Kafka and ClickHouse: every figure of a tile as GET /api/v1/live computes it, states switching
// at the rules' thresholds, trends on first paint, the alerts banner, a layout edited without a
// reload, page rotation, Chinese queue names, and the stale watermark with its recovery.
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import type { RunningServer } from "@floorwatch/api";
import { DEFAULT_TV_FIGURES, type LiveQueue, LiveSnapshot } from "@floorwatch/contracts";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatFigure } from "../../wallboard/src/figures";
import { asAdmin, seenSites, storedToken } from "../support/api";
import {
  startEvaluatingWallboardServer,
  startWallboardStack,
  type WallboardStack,
} from "../support/browser";
import { abandoned, agentState, answered, produceAll, queued, survey } from "../support/events";
import type { Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";

/** A figure of the full snapshot's queue, by the layout's name for it. */
function figureOf(q: LiveQueue, figure: string): number | null {
  if (figure.startsWith("agents.")) return q.agents[figure.slice(7) as keyof LiveQueue["agents"]];
  const dot = figure.indexOf(".");
  if (dot < 0) return q[figure as "waiting" | "longest_waiting_s" | "breaching_soon"];
  const w = q.windows[figure.slice(0, dot) as keyof LiveQueue["windows"]];
  return w[figure.slice(dot + 1) as keyof typeof w] as number | null;
}

/** A TCP proxy in front of the api that the test can cut (every connection dropped, new ones refused) and restore. */
async function cuttableProxy(target: string) {
  const url = new URL(target);
  let cut = false;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (cut) return client.destroy();
    const upstream = connect(Number(url.port), url.hostname);
    open.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut() {
      cut = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore() {
      cut = false;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("the TV wallboard of a layout, in a real browser", () => {
  let stack: WallboardStack;
  let h: Harness;
  let server: RunningServer;
  let browser: Browser;
  let site: string;
  /** A site of its own for the alerts banner: nothing else fires there. */
  let alertSite: string;
  let display: { id: string; token: string };
  let alertDisplay: { id: string; token: string };
  let tv: Page;
  let t0: number;

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { ...asAdmin.headers, "content-type": "application/json", ...init.headers },
    });
  const tile = (page: Page, key: string) => page.locator(`[data-tile="${key}"]`);
  const metric = (page: Page, key: string, figure: string) =>
    tile(page, key).locator(`[data-metric="${figure}"]`);
  const open = async (page: Page, s: string, token: string, lang = "en") => {
    await page.goto(`${server.url}/?site=${s}&lang=${lang}#token=${token}`);
  };

  beforeAll(async () => {
    stack = await startWallboardStack("tv");
    ({ h, browser, site } = stack);
    alertSite = `${site}-alerts`;
    await seenSites(h.ch, [alertSite]);
    // The stack's server evaluates nothing: this one ticks every second, as a leader would.
    server = await startEvaluatingWallboardServer(h, { tickMs: 1_000 });
    display = await storedToken(h.ch, "display", { sites: [site], layout: "floor-1" });
    alertDisplay = await storedToken(h.ch, "display", { sites: [alertSite], layout: "floor-1" });
    for (const [queue, name_zh, name_en] of [
      ["cards", "信用卡", "Credit cards"],
      ["hold", "贷款", "Loans"],
    ] as const) {
      const res = await admin(`/api/v1/sites/${site}/queues/${queue}`, {
        method: "PUT",
        body: JSON.stringify({ name_zh, name_en, sl_target: 0.8 }),
      });
      expect(res.status, await res.text()).toBeLessThan(300);
    }
    // Earlier quarter hours of today (Shanghai): what the trends must show on first paint. Never
    // before the site's midnight, so they stay today's.
    t0 = Date.now();
    const midnight = Date.parse(
      `${new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(t0)}T00:00:00+08:00`,
    );
    const earlier = Math.max(t0 - 35 * 60_000, midnight + 60_000);
    await produceAll(h.kafka, h.config.topics, [
      queued({ site, at: earlier, contact: "e1", queue: "cards" }),
      answered({ site, at: earlier + 10_000, contact: "e1", queue: "cards" }),
      queued({ site, at: earlier + 1_000, contact: "e2", queue: "cards" }),
      answered({ site, at: earlier + 60_000, contact: "e2", queue: "cards" }),
      queued({ site, at: t0 - 120_000, contact: "c1", queue: "cards" }),
      answered({ site, at: t0 - 110_000, contact: "c1", queue: "cards", agent: "a1" }),
      queued({ site, at: t0 - 100_000, contact: "c2", queue: "cards" }),
      abandoned({ site, at: t0 - 40_000, contact: "c2", queue: "cards" }),
      queued({ site, at: t0 - 30_000, contact: "c3", queue: "cards" }),
      survey({ site, at: t0 - 20_000, contact: "c1", queue: "cards", csat: 5 }),
      agentState({ site, at: t0 - 200_000, agent: "a1", state: "on_contact", queues: ["cards"] }),
      agentState({ site, at: t0 - 200_000, agent: "a2", state: "available", queues: ["cards"] }),
      agentState({ site, at: t0 - 200_000, agent: "a3", state: "not_ready", queues: ["cards"] }),
    ]);
    await waitForIngested(h);
    tv = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  });

  afterAll(async () => {
    await server?.close();
    await stack?.close();
  });

  it("draws a trend of earlier quarter hours on first paint, from the server", async () => {
    await open(tv, site, display.token);
    const sl = tile(tv, "queue:cards").locator('[data-trend="service_level"]');
    // Well within the minute before the screen fetches its trends again: the first fetch drew it.
    await expect
      .poll(async () => Number((await sl.getAttribute("data-points")) ?? 0), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(1);
  });

  it("shows every figure of a tile as GET /api/v1/live computes it, formatted the same", async () => {
    await open(tv, site, display.token);
    await expect.poll(() => metric(tv, "queue:cards", "waiting").textContent()).toBe("1");
    // The longest wait grows every second: compare until the page and the snapshot agree.
    await expect
      .poll(
        async () => {
          const res = await admin(`/api/v1/live?site=${site}`);
          const snap = LiveSnapshot.parse(await res.json());
          const q = snap.queues.find((x) => x.queue === "cards");
          if (!q) return ["no cards queue"];
          const wrong: string[] = [];
          // floor-1 is not stored yet: the screen shows the default figures.
          for (const f of DEFAULT_TV_FIGURES) {
            const want = formatFigure(f, figureOf(q, f));
            const shown = await metric(tv, "queue:cards", f).textContent();
            if (shown !== want) wrong.push(`${f}: ${shown} ≠ ${want}`);
          }
          return wrong;
        },
        { timeout: 20_000 },
      )
      .toEqual([]);
    // SL is shown against the queue's target, outside the figure's own text.
    await expect(
      tile(tv, "queue:cards").locator('[data-figure="15m.service_level"]').innerText(),
    ).resolves.toContain("target 80%");
  });

  it("names queues in the screen's language", async () => {
    const zh = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await open(zh, site, display.token, "zh-CN");
    await expect
      .poll(() => tile(zh, "queue:cards").locator(".tile-name").textContent())
      .toBe("信用卡");
    await expect(zh.locator("body").innerText()).resolves.toContain("最长等待");
    await zh.close();
    await open(tv, site, display.token);
    await expect
      .poll(() => tile(tv, "queue:cards").locator(".tile-name").textContent())
      .toBe("Credit cards");
  });

  it("switches a figure's colour, icon and text at the rules' thresholds", async () => {
    const res = await admin(`/api/v1/rules?site=${site}`, {
      method: "POST",
      body: JSON.stringify({
        kind: "threshold",
        name: "hold: a minute is long",
        severity: "warning",
        figure: "longest_waiting_s",
        window: "now",
        scope: { kind: "queue", queue: "hold" },
        comparator: ">",
        threshold: 60,
      }),
    });
    expect(res.status, await res.text()).toBe(201);
    await open(tv, site, display.token);
    const now = Date.now();
    await produceAll(h.kafka, h.config.topics, [
      queued({ site, at: now - 10_000, contact: "h1", queue: "hold" }),
    ]);
    await waitForIngested(h);
    const wait = metric(tv, "queue:hold", "longest_waiting_s");
    const fig = tile(tv, "queue:hold").locator('[data-figure="longest_waiting_s"]');
    await expect.poll(() => wait.getAttribute("data-state")).toBe("ok");
    await expect(fig.locator("svg").count()).resolves.toBe(0);
    const okColour = await wait.evaluate((e) => getComputedStyle(e).color);

    // Past 60 s (the warning rule): orange, a triangle, "Warning".
    await produceAll(h.kafka, h.config.topics, [
      queued({ site, at: Date.now() - 70_000, contact: "h2", queue: "hold" }),
    ]);
    await waitForIngested(h);
    await expect.poll(() => wait.getAttribute("data-state"), { timeout: 10_000 }).toBe("warning");
    await expect(fig.innerText()).resolves.toContain("Warning");
    await expect(fig.locator("svg path").first().getAttribute("d")).resolves.toMatch(/^M12 2\.5/);
    const warningColour = await wait.evaluate((e) => getComputedStyle(e).color);
    expect(warningColour).toBe("rgb(230, 159, 0)");

    // Past 300 s (the default critical rule): vermillion, an octagon, "Breach".
    await produceAll(h.kafka, h.config.topics, [
      queued({ site, at: Date.now() - 320_000, contact: "h3", queue: "hold" }),
    ]);
    await waitForIngested(h);
    await expect.poll(() => wait.getAttribute("data-state"), { timeout: 10_000 }).toBe("breach");
    await expect(fig.innerText()).resolves.toContain("Breach");
    await expect(fig.locator("svg path").first().getAttribute("d")).resolves.toMatch(/^M7\.6/);
    const breachColour = await wait.evaluate((e) => getComputedStyle(e).color);
    expect(new Set([okColour, warningColour, breachColour]).size).toBe(3);
  });

  it("shows a firing alert in a banner within a tick, and takes it away when it resolves", async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await open(page, alertSite, alertDisplay.token);
    await expect(page.locator('[data-testid="alert-banner"]').count()).resolves.toBe(0);
    await produceAll(h.kafka, h.config.topics, [
      queued({ site: alertSite, at: Date.now() - 310_000, contact: "s1", queue: "slow" }),
    ]);
    await waitForIngested(h);
    // The default rule fires at once past 300 s (no `for`): the next tick (1 s), the next frame (1 s).
    const banner = page.locator('[data-testid="alert-banner"]');
    await expect.poll(() => banner.locator("[data-alert]").count(), { timeout: 6_000 }).toBe(1);
    const text = await banner.innerText();
    expect(text).toContain("Nobody waits more than 5 minutes");
    expect(text).toContain("Critical".toUpperCase());
    expect(text).toMatch(/5:\d\d > 5:00/);

    // Answered: back under 240 s, then the rule's 30 s keep-firing, then gone from the frame.
    await produceAll(h.kafka, h.config.topics, [
      answered({ site: alertSite, at: Date.now(), contact: "s1", queue: "slow" }),
    ]);
    await waitForIngested(h);
    await expect.poll(() => banner.count(), { timeout: 60_000 }).toBe(0);
    await page.close();
  });

  it("takes a layout edited by an admin without a reload, and turns its pages", async () => {
    await open(tv, site, display.token);
    const root = tv.locator(".screen");
    await expect.poll(() => root.getAttribute("data-layout-version")).toBe("0");
    await tv.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    const put = await admin(`/api/v1/layouts/floor-1?site=${site}`, {
      method: "PUT",
      body: JSON.stringify({
        name: "Floor 1",
        tiles: ["queue:cards", "queue:hold"],
        figures: ["waiting", "today.csat"],
        trends: ["offered"],
        per_page: 1,
        rotate_s: 5,
      }),
    });
    expect(put.status, await put.text()).toBeLessThan(300);
    await expect
      .poll(() => root.getAttribute("data-layout-version"), { timeout: 10_000 })
      .toBe("1");
    expect(
      await tv.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);
    // One tile per page, two figures and the offered trend each.
    await expect.poll(() => tv.locator("[data-tile]").count()).toBe(1);
    const shown = tv.locator("[data-tile]");
    await expect(shown.locator("[data-metric]").count()).resolves.toBe(2);
    await expect(shown.locator('[data-trend="offered"]').count()).resolves.toBe(1);

    // Pages of one tile, five seconds each: both pages come round.
    const indicator = tv.locator('[data-testid="page-indicator"]');
    await expect.poll(() => indicator.textContent(), { timeout: 12_000 }).toBe("1/2");
    await expect
      .poll(() => tv.locator("[data-tile]").getAttribute("data-tile"), { timeout: 12_000 })
      .toBe("queue:cards");
    await expect.poll(() => indicator.textContent(), { timeout: 12_000 }).toBe("2/2");
    await expect
      .poll(() => tv.locator("[data-tile]").getAttribute("data-tile"), { timeout: 2_000 })
      .toBe("queue:hold");
  });

  it("shows the stale watermark when the api cannot be reached, and recovers by itself", async () => {
    const proxy = await cuttableProxy(server.url);
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${proxy.url}/?site=${site}&lang=en#token=${display.token}`);
    const stale = page.locator('[data-testid="stale"]');
    await expect
      .poll(() => page.locator("[data-tile]").count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await expect(stale.count()).resolves.toBe(0);
    proxy.cut();
    await expect.poll(() => stale.count(), { timeout: 15_000 }).toBe(1);
    await expect(page.locator(".tile.stale").count()).resolves.toBeGreaterThan(0);
    proxy.restore();
    await expect.poll(() => stale.count(), { timeout: 20_000 }).toBe(0);
    await expect(page.locator(".tile.stale").count()).resolves.toBe(0);
    await page.close();
    await proxy.close();
  });
});
