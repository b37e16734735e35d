// The supervisor screen (issue #14) in a real (headless Debian) Chromium against the real API,
// ingest, Kafka and ClickHouse, with an alert evaluator ticking every second: the queue table's
// every figure and state as GET /api/v1/live answered it, sorting, the language switch, the agents
// grid against GET /api/v1/agents with its filters, a QA token kept out, an acknowledgement
// reaching GET /api/v1/alerts and the TV's banner, an overdue follow-up, the trend, and the stale
// marker when the figures stop arriving.
// What "today" holds depends on the hour: a run just after the site's midnight would find the
// minutes before it filed under yesterday. So the API and every page here run on the site's clock
// moved back to its last noon (running on from there): the events of the last minutes and a
// follow-up due in two hours all fall on one site day, at whatever hour the run starts.
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createApi } from "@floorwatch/api";
import {
  AgentList,
  type AgentStateChanged,
  AlertList,
  DEFAULT_TIME_ZONE,
  type Event,
  LiveSnapshot,
} from "@floorwatch/contracts";
import { serve } from "@hono/node-server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDeskFigure, formatDuration } from "../../wallboard/src/desk/format";
import { figureState, queueFigure, shownFigures } from "../../wallboard/src/desk/supervisor/queues";
import { asAdmin, bearer, storedToken, TEST_ADMIN_TOKEN } from "../support/api";
import { startWallboardStack, type WallboardStack } from "../support/browser";
import { closeDesk, type DeskLang, deskUrl, openDesk } from "../support/desk";
import {
  abandoned,
  agentState,
  answered,
  produceAll,
  queued,
  survey,
  wrappedUp,
} from "../support/events";
import type { Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/**
 * How long a poll waits for what the page or the API will show (vitest's default is 1 s, which a
 * loaded two-core machine can spend on a single round trip to the browser). Only a bound on a wait.
 */
const WAIT = { timeout: 15_000 };

/** The last noon on the site's (Shanghai's, UTC+8 all year) calendar at or before `ms`. */
function lastSiteNoon(ms: number): number {
  const date = new Intl.DateTimeFormat("en-CA", { timeZone: DEFAULT_TIME_ZONE }).format(ms);
  const noon = Date.parse(`${date}T12:00:00+08:00`);
  return noon <= ms ? noon : noon - DAY;
}

/** What the page's queue table shows: the snapshot instant, and per row and column its number and state. */
interface Shown {
  asOf: string | null;
  rows: Record<string, Record<string, { text: string; state: string | null }>>;
  order: string[];
}

const readQueueTable = (page: Page): Promise<Shown> =>
  page.evaluate(() => {
    const table = document.querySelector('[data-testid="queues"]');
    const rows: Shown["rows"] = {};
    const order: string[] = [];
    for (const tr of table?.querySelectorAll("tbody tr[data-key]") ?? []) {
      const key = tr.getAttribute("data-key") ?? "";
      order.push(key);
      const cells: Shown["rows"][string] = {};
      for (const td of tr.querySelectorAll("td[data-col]")) {
        const fig = td.querySelector("[data-figure]");
        cells[td.getAttribute("data-col") ?? ""] = {
          text: (fig?.querySelector("[data-num]") ?? td).textContent ?? "",
          state: fig?.getAttribute("data-state") ?? null,
        };
      }
      rows[key] = cells;
    }
    return {
      asOf: document.querySelector('[data-testid="as-of"]')?.getAttribute("data-as-of") ?? null,
      rows,
      order,
    };
  });

describe("the supervisor screen, in a real browser", () => {
  let stack: WallboardStack;
  let h: Harness;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let site: string;
  let supervisor: { id: string; token: string };
  let display: { id: string; token: string };
  /** How far the API's and the pages' clock is behind the real one (under a day). */
  let shift = 0;
  /** Now on the clock the API and the pages run on. */
  const siteNow = () => Date.now() - shift;
  /** When the events were made (that clock): about noon on the site's calendar. */
  let now: number;
  /** When the open follow-up falls due, from now: at about 14:00 on the site's clock, today. */
  const dueIn = 2 * HOUR;
  const SUPERVISOR_NAME = "王主管";

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { ...asAdmin.headers, "content-type": "application/json", ...init.headers },
    });
  const live = async () =>
    LiveSnapshot.parse(await (await admin(`/api/v1/live?site=${site}`)).json());
  const agents = async () =>
    AgentList.parse(await (await admin(`/api/v1/agents?site=${site}`)).json());
  const alerts = async () =>
    AlertList.parse(await (await admin(`/api/v1/alerts?site=${site}`)).json()).alerts;

  /** An agent's state change with the name and team a real ACD sends. */
  const agent = (
    id: string,
    name: string,
    team: string | undefined,
    state: "available" | "not_ready" | "on_contact" | "wrap_up",
    queues: string[],
    reason?: string,
  ): Event => ({
    ...(agentState({
      site,
      at: now - 20 * MIN,
      agent: id,
      state,
      queues,
      reason,
    }) as AgentStateChanged),
    name,
    ...(team ? { team } : {}),
  });

  /** A page (its own context) whose clock is the API's: set to it before the page's first script. */
  async function newPageOnSiteClock(lang: DeskLang = "en"): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      locale: lang === "zh-CN" ? "zh-CN" : "en-US",
      baseURL: server.url,
    });
    await context.clock.install({ time: siteNow() });
    return context.newPage();
  }

  /**
   * The supervisor screen with the page's own GET /live answers kept by their instant, and its
   * GET /agents answers in the order they came.
   */
  async function openSupervisor(lang: DeskLang = "en") {
    const page = await newPageOnSiteClock(lang);
    const answers = new Map<string, LiveSnapshot>();
    const agentAnswers: AgentList[] = [];
    page.on("response", (res) => {
      if (res.status() !== 200) return;
      if (res.url().includes("/api/v1/live?"))
        res
          .json()
          .then((body) => {
            const snap = LiveSnapshot.parse(body);
            answers.set(snap.as_of, snap);
          })
          .catch(() => {});
      else if (res.url().includes("/api/v1/agents?"))
        res
          .json()
          .then((body) => agentAnswers.push(AgentList.parse(body)))
          .catch(() => {});
    });
    await page.goto(deskUrl(server.url, `/supervisor?site=${site}`, supervisor.token, lang));
    await page.waitForSelector('[data-screen="supervisor"][data-ready="true"]');
    return { page, answers, agentAnswers };
  }

  /** The differences between the table and the GET /live answer it shows (empty: none). */
  function differences(shown: Shown, snap: LiveSnapshot, window: "15m" | "60m" | "today") {
    const wrong: string[] = [];
    if (shown.order.length !== snap.queues.length)
      wrong.push(`${shown.order.length} rows for ${snap.queues.length} queues`);
    for (const q of snap.queues) {
      const row = shown.rows[q.queue];
      if (!row) {
        wrong.push(`no row ${q.queue}`);
        continue;
      }
      for (const f of shownFigures(window)) {
        const want = { text: formatDeskFigure(f, queueFigure(q, f)), state: figureState(q, f) };
        const got = row[f];
        if (got?.text !== want.text || got.state !== want.state)
          wrong.push(`${q.queue} ${f}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
      }
    }
    return wrong;
  }

  beforeAll(async () => {
    stack = await startWallboardStack("desk_supervisor");
    ({ h, browser, site } = stack);
    shift = Date.now() - lastSiteNoon(Date.now());
    // An evaluating API (alerts fire and resolve as a leader's would, every second) on the site's
    // clock serves every page here.
    const { app, evaluator, seen } = createApi({
      ch: h.ch,
      log: h.log,
      wallboardDir: join(import.meta.dirname, "../../wallboard/dist"),
      liveTtlMs: 0,
      adminToken: TEST_ADMIN_TOKEN,
      alerts: { tickMs: 1_000 },
      now: siteNow,
    });
    const listening = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
      s.once("error", reject);
    });
    evaluator.setLeader(true);
    server = {
      url: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`,
      async close() {
        await evaluator.stop();
        await new Promise<void>((done) => {
          listening.close(() => done());
          (listening as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await seen.close();
      },
    };
    supervisor = await storedToken(h.ch, "supervisor", { sites: [site], name: SUPERVISOR_NAME });
    display = await storedToken(h.ch, "display", { sites: [site] });
    for (const [queue, name_zh, name_en, sl_target] of [
      ["cards", "信用卡", "Credit cards", 0.8],
      ["loans", "贷款", "Loans", 0.9],
    ] as const) {
      const res = await admin(`/api/v1/sites/${site}/queues/${queue}`, {
        method: "PUT",
        body: JSON.stringify({ name_zh, name_en, sl_target }),
      });
      expect(res.status, await res.text()).toBeLessThan(300);
    }
    // Noon and a few seconds on the site's clock; the real clock's past (the ingest refuses
    // events from the future).
    now = siteNow();
    const produced = await produceAll(h.kafka, h.config.topics, [
      queued({ site, at: now - 10 * MIN, contact: "c1", queue: "cards" }),
      answered({ site, at: now - 10 * MIN + 5_000, contact: "c1", queue: "cards", agent: "a1" }),
      wrappedUp({ site, at: now - 8 * MIN, contact: "c1", queue: "cards", agent: "a1" }),
      queued({ site, at: now - 9 * MIN, contact: "c2", queue: "cards" }),
      answered({ site, at: now - 9 * MIN + 40_000, contact: "c2", queue: "cards", agent: "a2" }),
      wrappedUp({ site, at: now - 7 * MIN, contact: "c2", queue: "cards", agent: "a2" }),
      queued({ site, at: now - 8 * MIN, contact: "c3", queue: "cards" }),
      abandoned({ site, at: now - 8 * MIN + 30_000, contact: "c3", queue: "cards" }),
      queued({ site, at: now - 40_000, contact: "c4", queue: "cards" }),
      queued({ site, at: now - 5 * MIN, contact: "l1", queue: "loans" }),
      answered({ site, at: now - 5 * MIN + 3_000, contact: "l1", queue: "loans", agent: "a3" }),
      wrappedUp({ site, at: now - 3 * MIN, contact: "l1", queue: "loans", agent: "a3" }),
      queued({ site, at: now - 4 * MIN, contact: "l2", queue: "loans" }),
      answered({ site, at: now - 4 * MIN + 2_000, contact: "l2", queue: "loans", agent: "a4" }),
      // Waiting past 300 s: the default "longest-wait" rule fires at once, and keeps firing.
      queued({ site, at: now - 310_000, contact: "s1", queue: "slow" }),
      agent("a1", "张三", "north", "on_contact", ["cards"]),
      agent("a2", "李四", "north", "available", ["cards", "loans"]),
      agent("a3", "王五", "south", "not_ready", ["loans"], "break"),
      agent("a4", "赵六", "south", "wrap_up", ["loans", "slow"]),
      agent("a5", "钱七", undefined, "available", ["slow"]),
      // A low score 30 h ago nobody called back: overdue since 6 h.
      queued({ site, at: now - 30 * HOUR, contact: "f1", queue: "cards", customer: "cu1" }),
      answered({ site, at: now - 30 * HOUR + 10_000, contact: "f1", queue: "cards", agent: "a1" }),
      survey({
        site,
        at: now - 30 * HOUR + 5 * MIN,
        contact: "f1",
        queue: "cards",
        survey: "s-overdue",
        agent: "a1",
        csat: 1,
      }),
      // A low score due in two hours: today on the site's clock, open for the whole run.
      queued({
        site,
        at: now - DAY + dueIn - 10 * MIN,
        contact: "f2",
        queue: "loans",
        customer: "cu2",
      }),
      answered({
        site,
        at: now - DAY + dueIn - 9 * MIN,
        contact: "f2",
        queue: "loans",
        agent: "a3",
      }),
      survey({
        site,
        at: now - DAY + dueIn,
        contact: "f2",
        queue: "loans",
        survey: "s-due",
        agent: "a3",
        csat: 2,
      }),
    ]);
    await waitForIngested(h, produced);
  });

  afterAll(async () => {
    await server?.close();
    await stack?.close();
  });

  it("shows every queue with every figure and state of the GET /live answer it shows, in each window", async () => {
    const { page, answers } = await openSupervisor();
    for (const window of ["15m", "60m", "today"] as const) {
      await page.click(`[data-testid="window"] [data-window="${window}"]`);
      await expect
        .poll(async () => {
          const shown = await readQueueTable(page);
          const snap = shown.asOf ? answers.get(shown.asOf) : undefined;
          if (!snap) return [`no answer of ${shown.asOf} kept yet`];
          return differences(shown, snap, window);
        }, WAIT)
        .toEqual([]);
    }
    // And what the API answers the test now: the same queues, names and judgements.
    const snap = await live();
    expect(snap.queues.map((q) => q.queue).sort()).toEqual(["cards", "loans", "slow"]);
    const shown = await readQueueTable(page);
    expect(shown.rows.cards?.queue?.text).toBe("Credit cards");
    expect(shown.rows.slow?.longest_waiting_s?.state).toBe("breach");
    expect(figureState(snap.queues.find((q) => q.queue === "slow")!, "longest_waiting_s")).toBe(
      "breach",
    );
    // The row's state in colour, icon and word.
    const slowState = page.locator(
      '[data-testid="queues"] tr[data-key="slow"] td[data-col="state"]',
    );
    await expect(slowState.innerText()).resolves.toContain("Breach");
    await expect(slowState.locator("svg").count()).resolves.toBe(1);
    await expect(
      page.locator('[data-testid="queues"] tr[data-key="slow"]').getAttribute("data-state"),
    ).resolves.toBe("breach");
    // A counted figure opens the contacts it counted.
    await page.click('[data-testid="window"] [data-window="60m"]');
    const href = await page
      .locator('[data-testid="queues"] tr[data-key="cards"] td[data-col="60m.offered"] a')
      .getAttribute("href");
    const drill = new URL(href ?? "", server.url).searchParams.get("drill") ?? "";
    expect(drill).toMatch(/^\/api\/v1\/contacts\?site=.*&queue=cards&.*outcome=offered/);
    const listed = await (await admin(drill)).json();
    expect(listed.visits.map((v: { contact_id: string }) => v.contact_id).sort()).toEqual(
      expect.arrayContaining(["c1", "c2", "c3"]),
    );
    await closeDesk(page);
  });

  it("sorts the queues by any column, one way then the other", async () => {
    const { page } = await openSupervisor();
    const order = async () => (await readQueueTable(page)).order;
    // First by state: the breaching queue on top, the calm one last.
    const rank: Record<string, number> = { breach: 2, warning: 1, ok: 0 };
    const states = () =>
      page
        .locator('[data-testid="queues"] tbody tr[data-key]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-state") ?? ""));
    await expect.poll(async () => (await states()).length, WAIT).toBe(3);
    const ranks = (await states()).map((st) => rank[st] ?? -1);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect((await order())[0]).toBe("slow");
    const header = (col: string) =>
      page.locator(`[data-testid="queues"] th[data-col="${col}"] button`);
    await header("longest_waiting_s").click();
    await expect.poll(order, WAIT).toEqual(["slow", "cards", "loans"]);
    await expect(
      page
        .locator('[data-testid="queues"] th[data-col="longest_waiting_s"]')
        .getAttribute("aria-sort"),
    ).resolves.toBe("descending");
    await header("longest_waiting_s").click();
    await expect.poll(order, WAIT).toEqual(["loans", "cards", "slow"]);
    await header("queue").click();
    await expect.poll(order, WAIT).toEqual(["slow", "loans", "cards"]);
    await header("queue").click();
    await expect.poll(order, WAIT).toEqual(["cards", "loans", "slow"]);
    await closeDesk(page);
  });

  it("switches the table's headers and queue names to Chinese", async () => {
    const { page } = await openSupervisor();
    const th = (col: string) => page.locator(`[data-testid="queues"] th[data-col="${col}"]`);
    const cardsName = page.locator(
      '[data-testid="queues"] tr[data-key="cards"] td[data-col="queue"]',
    );
    await expect(th("queue").innerText()).resolves.toBe("Queue");
    await expect(th("15m.service_level").innerText()).resolves.toBe("SL");
    await expect(cardsName.innerText()).resolves.toBe("Credit cards");
    await page.click('[data-testid="lang-switch"]');
    await expect.poll(() => th("queue").innerText(), WAIT).toBe("队列");
    await expect(th("15m.service_level").innerText()).resolves.toBe("服务水平");
    await expect(th("agents.available").innerText()).resolves.toBe("空闲");
    await expect(cardsName.innerText()).resolves.toBe("信用卡");
    await expect(
      page.locator('[data-testid="agents"] th[data-col="in_state"]').innerText(),
    ).resolves.toBe("状态时长");
    await closeDesk(page);
  });

  it("lists every agent as GET /agents does, the time in state ticking, filtered by team and state", async () => {
    const { page, agentAnswers } = await openSupervisor();
    const list = await agents();
    expect(list.agents.map((a) => a.agent_id)).toEqual(["a1", "a2", "a3", "a4", "a5"]);
    const grid = page.locator('[data-testid="agents"]');
    await expect.poll(() => grid.locator("tbody tr[data-key]").count(), WAIT).toBe(5);
    const cell = (id: string, col: string) =>
      grid.locator(`tr[data-key="${id}"] td[data-col="${col}"]`);
    for (const a of list.agents) {
      await expect(cell(a.agent_id, "agent").innerText()).resolves.toContain(a.name);
      await expect(
        grid.locator(`tr[data-key="${a.agent_id}"]`).getAttribute("data-state"),
      ).resolves.toBe(a.state);
      await expect(cell(a.agent_id, "reason").innerText()).resolves.toBe(a.reason);
      await expect(cell(a.agent_id, "handled_today").innerText()).resolves.toBe(
        String(a.handled_today),
      );
      await expect(cell(a.agent_id, "aht_today_s").innerText()).resolves.toBe(
        formatDuration(a.aht_today_s),
      );
    }
    // c1, wrapped up 8 minutes before noon: today whatever the hour of the run.
    expect(list.agents.find((a) => a.agent_id === "a1")?.handled_today).toBe(1);
    await expect(cell("a3", "state").innerText()).resolves.toBe("Not ready");
    await expect(cell("a5", "team").innerText()).resolves.toBe("(no team)");
    await expect(cell("a2", "queues").innerText()).resolves.toBe("Credit cards、Loans");
    // The time in state: the API's, counting on by the second (20 minutes and some). The page
    // counts from the state's start on the API's clock as its answer told it (never ahead of it),
    // ticking once a second: at its first tick after its first answer it shows at least that
    // answer's time, and it never shows more than the API answers after.
    const seconds = async () => {
      const [m, s] = (await cell("a1", "in_state").innerText()).split(":").map(Number);
      return (m ?? 0) * 60 + (s ?? 0);
    };
    await expect.poll(() => agentAnswers.length, WAIT).toBeGreaterThan(0);
    const pageA1 = agentAnswers[0]!.agents.find((a) => a.agent_id === "a1")!;
    expect(pageA1.in_state_s).toBeGreaterThan(20 * 60);
    await expect.poll(seconds, WAIT).toBeGreaterThanOrEqual(Math.floor(pageA1.in_state_s));
    const first = await seconds();
    const after = (await agents()).agents.find((a) => a.agent_id === "a1")!;
    expect(first).toBeLessThanOrEqual(Math.floor(after.in_state_s));
    await expect.poll(seconds, WAIT).toBeGreaterThan(first);

    // Sorted by name, whose order is the collation's: compare the members.
    const keys = async () =>
      (
        await grid
          .locator("tbody tr[data-key]")
          .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key") ?? ""))
      ).sort();
    await page.selectOption('[data-testid="agents-team"]', { label: "north" });
    await expect.poll(keys, WAIT).toEqual(["a1", "a2"]);
    await page.selectOption('[data-testid="agents-state"]', { label: "Available" });
    await expect.poll(keys, WAIT).toEqual(["a2"]);
    await page.selectOption('[data-testid="agents-team"]', { label: "All teams" });
    await expect
      .poll(keys, WAIT)
      .toEqual(list.agents.filter((a) => a.state === "available").map((a) => a.agent_id));
    await expect(page.locator('[data-testid="agents-count"]').innerText()).resolves.toBe(
      "2 of 5 agents",
    );
    await closeDesk(page);
  });

  it("keeps a QA token out: the shell's forbidden panel, and GET /agents refused", async () => {
    const qa = await storedToken(h.ch, "qa", { sites: [site] });
    const page = await openDesk(browser, server.url, `/supervisor?site=${site}`, qa.token);
    await page.waitForSelector('[data-testid="forbidden"]');
    expect(await page.locator('[data-testid="agents"]').count()).toBe(0);
    expect(await page.locator('[data-screen="supervisor"]').count()).toBe(0);
    const res = await fetch(`${server.url}/api/v1/agents?site=${site}`, {
      headers: bearer(qa.token),
    });
    expect(res.status).toBe(403);
    await closeDesk(page);
  });

  it("acknowledges a firing alert with a note: GET /alerts and the TV's banner say who took it on", async () => {
    // The evaluator ticks every second: the wait past 300 s fires at the first.
    let firing: string | undefined;
    await expect
      .poll(
        async () => {
          firing = (await alerts()).find(
            (a) => a.rule_id === "longest-wait" && a.scope.queue === "slow" && a.state === "firing",
          )?.id;
          return firing;
        },
        { timeout: 20_000 },
      )
      .toBeDefined();
    const id = firing!;
    const { page } = await openSupervisor();
    const row = page.locator(`[data-testid="alerts"] tr[data-key="${id}"]`);
    await row.waitFor();
    await expect(row.getAttribute("data-phase")).resolves.toBe("firing");
    await expect(row.getAttribute("data-acknowledged")).resolves.toBe("false");
    await expect(row.locator('td[data-col="where"]').innerText()).resolves.toBe("slow");
    await row.locator('[data-testid="ack"]').click();
    await row.locator('[data-testid="ack-note"]').fill("calling in two agents from loans");
    await row.locator('[data-testid="ack-confirm"]').click();

    await expect
      .poll(async () => (await alerts()).find((a) => a.id === id)?.acknowledged, WAIT)
      .toMatchObject({ by: SUPERVISOR_NAME, note: "calling in two agents from loans" });
    await expect.poll(() => row.getAttribute("data-acknowledged"), WAIT).toBe("true");
    await expect(row.locator('[data-testid="acknowledged"]').innerText()).resolves.toContain(
      SUPERVISOR_NAME,
    );
    await expect(row.locator('[data-testid="ack-shown-note"]').innerText()).resolves.toBe(
      "calling in two agents from loans",
    );
    await closeDesk(page);

    // The floor's TV shows the alert as taken on.
    const tv = await newPageOnSiteClock();
    await tv.goto(`${server.url}/?site=${site}&lang=en#token=${display.token}`);
    const item = tv.locator(`[data-testid="alert-banner"] [data-alert="${id}"]`);
    await expect.poll(() => item.getAttribute("data-acknowledged"), WAIT).toBe("true");
    await expect(
      item.locator('[data-testid="alert-acknowledged"]').textContent(),
    ).resolves.toContain("Acknowledged");
    await tv.context().close();
  });

  it("shows a low score nobody called back as overdue, before one falling due later today", async () => {
    const { page } = await openSupervisor();
    const row = page.locator('[data-testid="followups"] tr[data-key="s-overdue"]');
    await row.waitFor(WAIT);
    await expect(row.getAttribute("data-status")).resolves.toBe("overdue");
    await expect(row.locator('td[data-col="status"]').innerText()).resolves.toBe("Overdue");
    await expect(row.locator('td[data-col="queue"]').innerText()).resolves.toBe("Credit cards");
    await expect(row.locator('td[data-col="contact"] a').getAttribute("href")).resolves.toMatch(
      new RegExp(`^/contacts/f1\\?site=${site}&around=`),
    );
    const listed = await (await admin(`/api/v1/followups?site=${site}&status=overdue`)).json();
    expect(listed.followups.map((f: { survey_id: string }) => f.survey_id)).toEqual(["s-overdue"]);
    // Overdue first, then what falls due today.
    const due = page.locator('[data-testid="followups"] tr[data-key="s-due"]');
    await due.waitFor();
    await expect(due.getAttribute("data-status")).resolves.toBe("due_today");
    await expect(due.locator('td[data-col="status"]').innerText()).resolves.toBe("Due today");
    const keys = await page
      .locator('[data-testid="followups"] tbody tr[data-key]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")));
    expect(keys).toEqual(["s-overdue", "s-due"]);
    await closeDesk(page);
  });

  it("draws a queue's service level over the chosen range against its target", async () => {
    const { page } = await openSupervisor();
    const trend = page.locator('[data-testid="trend"]');
    await page.selectOption('[data-testid="trend-queue"]', "cards");
    await expect.poll(() => trend.getAttribute("data-queue"), WAIT).toBe("cards");
    await expect
      .poll(async () => Number(await trend.getAttribute("data-points")), WAIT)
      .toBeGreaterThanOrEqual(1);
    await expect(trend.getAttribute("data-target")).resolves.toBe("80");
    await trend.locator("canvas").first().waitFor();
    await expect(trend.locator("canvas").count()).resolves.toBe(1);
    for (const range of ["1h", "1d"] as const) {
      await page.click(`[data-testid="trend-range"] [data-range="${range}"]`);
      await expect.poll(() => trend.getAttribute("data-range"), WAIT).toBe(range);
      await expect.poll(() => trend.getAttribute("data-loaded"), WAIT).toBe("true");
      expect(Number(await trend.getAttribute("data-points"))).toBeGreaterThanOrEqual(1);
    }
    // The target of loans is its own.
    await page.selectOption('[data-testid="trend-queue"]', "loans");
    await expect.poll(() => trend.getAttribute("data-target"), WAIT).toBe("90");
    await closeDesk(page);
  });

  it("marks the figures stale when they stop arriving, and live again when they come back", async () => {
    const { page } = await openSupervisor();
    const stale = page.locator('[data-testid="stale"]');
    await expect(stale.count()).resolves.toBe(0);
    await page.route("**/api/v1/live?**", (route) => route.abort("connectionrefused"));
    await expect.poll(() => stale.count(), { timeout: 20_000 }).toBe(1);
    await expect(stale.innerText()).resolves.toMatch(/Not live: last update \d+:\d\d ago/);
    await page.unroute("**/api/v1/live?**");
    await expect.poll(() => stale.count(), WAIT).toBe(0);
    await closeDesk(page);
  });
});
