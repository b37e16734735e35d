// The QA screens (issue #14) in a real Chromium against the real API, ingest, Kafka and ClickHouse:
// the breach list as GET /breaches answers it and narrowed by every filter (kept in the address),
// a breach's page listing exactly the contacts behind it, a contact opening into its timeline,
// low-score follow-ups with one overdue, both lists exported as CSV (BOM, CRLF, headers in the
// language, the rows shown), personal data masked unless a token granted it asks (and audited),
// and the screen refused to a supervisor.
// Breaches are made by the real evaluator on a clock the test sets, each evaluation after the
// events it reads are ingested (as alerts.happy.test.ts does); the pages then run on the real clock.
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createApi } from "@floorwatch/api";
import {
  AuditList,
  type Breach,
  BreachDetail,
  BreachEvidence,
  BreachList,
  ContactDetail,
  type Event,
  FollowupList,
} from "@floorwatch/contracts";
import { serve } from "@hono/node-server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDateTime } from "../../wallboard/src/desk/format";
import { createRule } from "../support/alerts";
import { asAdmin, seenSites, storedToken, TEST_ADMIN_TOKEN } from "../support/api";
import { launchBrowser } from "../support/browser";
import { closeDesk, openDesk } from "../support/desk";
import { abandoned, answered, produceAll, queued, survey } from "../support/events";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { parseCsv } from "../support/unzip";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";

const S = 1_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TZ = "Asia/Shanghai";
const site = "desk-qa";
/** A day of the site's calendar (the seen site's zone is the default, Asia/Shanghai). */
const siteDate = (ms: number) => new Intl.DateTimeFormat("en-CA", { timeZone: TZ }).format(ms);
/** The site's date `days` after `date` (Shanghai keeps UTC+8 all year: its noons are a day apart). */
const addDays = (date: string, days: number) =>
  siteDate(Date.parse(`${date}T12:00:00+08:00`) + days * DAY);
/**
 * How long a poll waits for what the page or the API will show (vitest's default is 1 s, which a
 * loaded two-core machine can spend on a single round trip to the browser). Only a bound on a wait.
 */
const WAIT = { timeout: 15_000 };

describe("the QA screens in a real browser", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let browser: Browser;
  let url: string;
  let closeServer: () => Promise<void>;
  /** What the API and its evaluator take for now while breaches are made; the real clock after. */
  let clock: number | null = null;
  let tick: () => Promise<unknown>;
  let qa: string;
  let qaPii: string;
  let supervisor: string;
  /** The breaches the test made, and the contacts behind each. */
  let waitBreach: Breach;
  let oldWaitBreach: Breach;
  let loansBreach: Breach;

  // Real time: the ingest refuses events from the future.
  const now = Date.now();
  const T0 = Math.floor((now - 40 * 60_000) / S) * S;
  const OLD = T0 - 3 * DAY;

  const at = async (ms: number) => {
    clock = ms;
    await tick();
  };
  const produce = async (events: Event[]) =>
    waitForIngested(h, await produceAll(h.kafka, h.config.topics, events));
  const admin = async <T>(path: string, schema: { parse(v: unknown): T }): Promise<T> => {
    const res = await fetch(`${url}${path}`, asAdmin);
    expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
    return schema.parse(await res.json());
  };
  const adminJson = (path: string, method: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method,
      body: JSON.stringify(body),
      headers: { ...asAdmin.headers, "content-type": "application/json" },
    });

  /** The keys of a table's rows, in the order shown. */
  const keys = (page: Page, testid: string) =>
    page.$$eval(`[data-testid="${testid}"] tbody tr[data-key]`, (rows) =>
      rows.map((r) => r.getAttribute("data-key") ?? ""),
    );
  /** Each shown row's cells as text, the shape icons beside words left out. */
  const cells = (page: Page, testid: string) =>
    page.$$eval(`[data-testid="${testid}"] tbody tr[data-key]`, (rows) =>
      rows.map((r) =>
        [...r.querySelectorAll("td")].map((td) => (td.textContent ?? "").replace(/^[⬢▲●○✓?] /, "")),
      ),
    );
  /**
   * Waits until the list `testid` shows the answer to a request whose query has `want` (a value,
   * or null: absent); answers the API address it came from.
   */
  const listFor = async (page: Page, testid: string, want: Record<string, string | null>) => {
    const handle = await page.waitForFunction(
      ([id, w]) => {
        const el = document.querySelector(`[data-testid="${id}"]`);
        const path = el?.getAttribute("data-path") ?? "";
        if (el?.getAttribute("data-status") !== "ready" || !path) return null;
        const q = new URLSearchParams(path.slice(path.indexOf("?") + 1));
        return Object.entries(w).every(([k, v]) => q.get(k) === v) ? path : null;
      },
      [testid, want] as const,
      { timeout: 30_000 },
    );
    return `/api/v1${(await handle.jsonValue()) as string}`;
  };
  /**
   * Waits until the screen names the queues (its GET /sites/:site/queues is answered beside the
   * list, and may come after it): until then a row says "cards" where it will say "Credit cards".
   */
  const queueNamesShown = (page: Page, lang: "en" | "zh-CN" = "en") =>
    expect
      .poll(() => page.textContent('[data-testid="filter-queue"] option[value="cards"]'), WAIT)
      .toBe(lang === "en" ? "Credit cards" : "信用卡");

  beforeAll(async () => {
    h = await createHarness("desk_qa");
    await seenSites(h.ch, [site]);
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    const api = createApi({
      ch: h.ch,
      log: h.log,
      wallboardDir: join(import.meta.dirname, "../../wallboard/dist"),
      liveTtlMs: 0,
      adminToken: TEST_ADMIN_TOKEN,
      now: () => clock ?? Date.now(),
    });
    const { app, evaluator, seen } = api;
    // Not the leader: it evaluates only when the test ticks, at the instant `clock` holds.
    tick = () => evaluator.tickOnce();
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
      s.once("error", reject);
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    closeServer = async () => {
      await evaluator.stop();
      await new Promise<void>((done) => {
        server.close(() => done());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await seen.close();
    };
    browser = await launchBrowser();
    qa = (await storedToken(h.ch, "qa", { sites: [site], name: "李质检" })).token;
    qaPii = (await storedToken(h.ch, "qa", { sites: [site], pii: true, name: "赵质检 (pii)" }))
      .token;
    supervisor = (await storedToken(h.ch, "supervisor", { sites: [site], name: "王主管" })).token;

    // Three days ago: the cards queue's first breach. The queues exist once events name them.
    await produce([
      queued({ site, at: OLD - 600 * S, contact: "e1", queue: "loans" }),
      answered({ site, at: OLD - 590 * S, contact: "e1", queue: "loans" }),
      queued({ site, at: OLD, contact: "d1", queue: "cards" }),
    ]);
    clock = OLD - 60 * S;
    const cardsWait = await createRule(app, site, {
      kind: "threshold",
      name: "cards: nobody waits 2 min",
      name_zh: "信用卡：等待不超过2分钟",
      severity: "warning",
      figure: "longest_waiting_s",
      window: "now",
      scope: { kind: "queue", queue: "cards" },
      comparator: ">",
      threshold: 120,
      for_s: 0,
      keep_firing_for_s: 0,
    });
    const loansWait = await createRule(app, site, {
      kind: "threshold",
      name: "loans: nobody waits a minute",
      name_zh: "贷款：等待不超过1分钟",
      severity: "critical",
      figure: "longest_waiting_s",
      window: "now",
      scope: { kind: "queue", queue: "loans" },
      comparator: ">",
      threshold: 60,
      for_s: 0,
      keep_firing_for_s: 0,
    });
    await at(OLD + 150 * S); // d1 has waited 150 s: firing
    await produce([answered({ site, at: OLD + 200 * S, contact: "d1", queue: "cards" })]);
    await at(OLD + 230 * S); // nobody waits: resolved

    // Today: c1, c2, c3 wait together in cards (c0 was answered before); l1 waits in loans.
    await produce([
      queued({ site, at: T0 - 100 * S, contact: "c0", queue: "cards" }),
      answered({ site, at: T0 + 10 * S, contact: "c0", queue: "cards" }),
      queued({
        site,
        at: T0,
        contact: "c1",
        queue: "cards",
        phone: "13812345678",
        customer: "cu1",
        tier: "vip",
      }),
      queued({ site, at: T0 + 20 * S, contact: "c2", queue: "cards" }),
      queued({ site, at: T0 + 40 * S, contact: "c3", queue: "cards" }),
    ]);
    await at(T0 + 150 * S); // c1 150 s: firing
    await at(T0 + 190 * S); // c1 190 s: the peak, c1, c2 and c3 waiting
    await produce([
      answered({ site, at: T0 + 200 * S, contact: "c1", queue: "cards", agent: "a-7" }),
      answered({ site, at: T0 + 210 * S, contact: "c2", queue: "cards" }),
      abandoned({ site, at: T0 + 220 * S, contact: "c3", queue: "cards" }),
    ]);
    await at(T0 + 230 * S); // resolved
    await produce([queued({ site, at: T0 + 300 * S, contact: "l1", queue: "loans" })]);
    await at(T0 + 370 * S); // l1 70 s: firing, its peak
    await produce([answered({ site, at: T0 + 400 * S, contact: "l1", queue: "loans" })]);
    await at(T0 + 410 * S); // resolved
    // Late: l0 waited in loans from before l1 until after; at the peak it had waited 90 s.
    await produce([
      queued({ site, at: T0 + 280 * S, contact: "l0", queue: "loans" }),
      answered({ site, at: T0 + 420 * S, contact: "l0", queue: "loans" }),
    ]);
    clock = null;

    // Low scores: one met by an outbound call, one overdue (nobody called back), one still open.
    await produce([
      queued({ site, at: now - 31 * HOUR, contact: "f8", queue: "cards", customer: "cu8" }),
      answered({ site, at: now - 31 * HOUR + 30 * S, contact: "f8", queue: "cards", agent: "a-8" }),
      survey({
        site,
        at: now - 30 * HOUR,
        contact: "f8",
        queue: "cards",
        survey: "s-met",
        agent: "a-8",
        csat: 2,
      }),
      queued({
        site,
        at: now - 28 * HOUR,
        contact: "o8",
        queue: "cards",
        customer: "cu8",
        outbound: true,
      }),
      queued({
        site,
        at: now - 31 * HOUR,
        contact: "f9",
        queue: "loans",
        customer: "cu9",
        phone: "13900009999",
      }),
      answered({ site, at: now - 31 * HOUR + 30 * S, contact: "f9", queue: "loans", agent: "a-9" }),
      survey({
        site,
        at: now - 30 * HOUR,
        contact: "f9",
        queue: "loans",
        survey: "s-overdue",
        agent: "a-9",
        csat: 1,
      }),
      queued({ site, at: now - 2 * HOUR, contact: "f7", queue: "cards", customer: "cu7" }),
      answered({ site, at: now - 2 * HOUR + 30 * S, contact: "f7", queue: "cards", agent: "a-7" }),
      survey({
        site,
        at: now - HOUR,
        contact: "f7",
        queue: "cards",
        survey: "s-open",
        agent: "a-7",
        csat: 1,
      }),
    ]);

    for (const [queue, name_zh, name_en] of [
      ["cards", "信用卡", "Credit cards"],
      ["loans", "贷款", "Loans"],
    ] as const) {
      const res = await adminJson(`/api/v1/sites/${site}/queues/${queue}`, "PUT", {
        name_zh,
        name_en,
      });
      expect(res.status, await res.text()).toBeLessThan(300);
    }

    const all = await admin(
      `/api/v1/breaches?site=${site}&from=${new Date(OLD - DAY).toISOString()}&to=${new Date(now + HOUR).toISOString()}`,
      BreachList,
    );
    const of = (rule: string) => all.breaches.filter((b) => b.rule_id === rule);
    expect(of(cardsWait.id)).toHaveLength(2);
    expect(of(loansWait.id)).toHaveLength(1);
    [waitBreach, oldWaitBreach] = of(cardsWait.id) as [Breach, Breach];
    loansBreach = of(loansWait.id)[0]!;
    const ack = await fetch(`${url}/api/v1/alerts/${loansBreach.id}/ack`, {
      method: "POST",
      body: JSON.stringify({ site, note: "calling in the loans team, 2 agents" }),
      headers: { authorization: `Bearer ${supervisor}`, "content-type": "application/json" },
    });
    expect(ack.status, await ack.text()).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await closeServer?.();
    await ingest?.stop();
    await h?.cleanup();
  });

  it("lists the breaches of the last 7 days on the site's calendar, as GET /breaches does", async () => {
    // The page takes its today from its clock as it opens: between these two readings (a
    // midnight may fall between them).
    const opened = Date.now();
    const page = await openDesk(browser, url, `/qa?site=${site}`, qa, { ready: "qa" });
    const api = await listFor(page, "breach-list", {
      queue: null,
      rule: null,
      severity: null,
      acknowledged: null,
    });
    const seen = Date.now();
    const today = await page.inputValue('[data-testid="filter-to"]');
    expect([siteDate(opened), siteDate(seen)]).toContain(today);
    const from = addDays(today, -6);
    const asked = new URLSearchParams(api.slice(api.indexOf("?") + 1));
    expect([asked.get("from"), asked.get("to")]).toEqual([from, addDays(today, 1)]);
    const answer = await admin(api, BreachList);
    const shown = await keys(page, "breaches");
    expect(shown).toEqual(answer.breaches.map((b) => b.id));
    expect(shown).toEqual(
      expect.arrayContaining([waitBreach.id, oldWaitBreach.id, loansBreach.id]),
    );
    expect(await page.inputValue('[data-testid="filter-from"]')).toBe(from);
    // The row says what the breach was, in the site's clock and the language.
    await queueNamesShown(page);
    const row = page.locator(`[data-testid="breaches"] tr[data-key="${waitBreach.id}"]`);
    await expect(row.locator('[data-col="started"]').textContent()).resolves.toBe(
      formatDateTime(waitBreach.started_at, TZ),
    );
    await expect(row.locator('[data-col="scope"]').textContent()).resolves.toBe("Credit cards");
    await expect(row.locator('[data-col="condition"]').textContent()).resolves.toBe(
      "Longest wait > 2:00",
    );
    await expect(row.locator('[data-col="peak"]').textContent()).resolves.toBe("3:10");
    await closeDesk(page);
  });

  it("narrows the list by queue, rule, severity, acknowledgement and days as the API does, in a link to share", async () => {
    const page = await openDesk(browser, url, `/qa?site=${site}`, qa, { ready: "qa" });
    const showsApi = async (want: Record<string, string | null>) => {
      const api = await listFor(page, "breach-list", want);
      const answer = (await admin(api, BreachList)).breaches.map((b) => b.id);
      expect(await keys(page, "breaches")).toEqual(answer);
      return answer;
    };

    await page.selectOption('[data-testid="filter-queue"]', "loans");
    const loans = await showsApi({ queue: "loans" });
    expect(loans).toContain(loansBreach.id);
    expect(loans).not.toContain(waitBreach.id);

    await page.selectOption('[data-testid="filter-queue"]', "");
    await page.selectOption('[data-testid="filter-rule"]', waitBreach.rule_id);
    expect(await showsApi({ queue: null, rule: waitBreach.rule_id })).toEqual([
      waitBreach.id,
      oldWaitBreach.id,
    ]);

    await page.selectOption('[data-testid="filter-rule"]', "");
    await page.selectOption('[data-testid="filter-severity"]', "critical");
    const critical = await showsApi({ rule: null, severity: "critical" });
    expect(critical).toContain(loansBreach.id);
    expect(critical).not.toContain(waitBreach.id);

    await page.selectOption('[data-testid="filter-severity"]', "");
    await page.selectOption('[data-testid="filter-ack"]', "yes");
    expect(await showsApi({ severity: null, acknowledged: "true" })).toEqual([loansBreach.id]);
    await expect(
      page
        .locator(`[data-testid="breaches"] tr[data-key="${loansBreach.id}"] [data-col="ack_by"]`)
        .textContent(),
    ).resolves.toBe("王主管");
    await page.selectOption('[data-testid="filter-ack"]', "no");
    const unacknowledged = await showsApi({ acknowledged: "false" });
    expect(unacknowledged).toEqual(expect.arrayContaining([waitBreach.id, oldWaitBreach.id]));
    expect(unacknowledged).not.toContain(loansBreach.id);

    // Only the day of today's breaches: the one of three days ago is gone.
    const day = siteDate(Date.parse(waitBreach.started_at));
    await page.fill('[data-testid="filter-from"]', day);
    await page.fill('[data-testid="filter-to"]', day);
    const oneDay = await showsApi({
      acknowledged: "false",
      from: day,
      to: siteDate(Date.parse(`${day}T12:00:00+08:00`) + DAY),
    });
    expect(oneDay).toContain(waitBreach.id);
    expect(oneDay).not.toContain(oldWaitBreach.id);

    // The address holds the filters: opened elsewhere, the same list.
    const link = new URL(page.url());
    expect(Object.fromEntries(link.searchParams)).toMatchObject({
      site,
      ack: "no",
      from: day,
      to: day,
    });
    const shared = await openDesk(browser, url, `${link.pathname}${link.search}`, qa, {
      ready: "qa",
    });
    await listFor(shared, "breach-list", { acknowledged: "false", from: day });
    expect(await keys(shared, "breaches")).toEqual(oneDay);
    expect(await shared.inputValue('[data-testid="filter-ack"]')).toBe("no");
    await closeDesk(shared);

    // A first day after the last asks nothing and says why.
    await page.fill(
      '[data-testid="filter-from"]',
      siteDate(Date.parse(`${day}T12:00:00+08:00`) + DAY),
    );
    await page.waitForSelector('[data-testid="range-problem"]');
    await closeDesk(page);
  });

  it("opens a breach's page with its figure, rule, versions, peak, and exactly the contacts behind it", async () => {
    const page = await openDesk(browser, url, `/qa?site=${site}`, qa, { ready: "qa" });
    await listFor(page, "breach-list", { queue: null });
    await page.click(`[data-testid="breaches"] tr[data-key="${waitBreach.id}"] [data-col="peak"]`);
    await page.waitForURL(
      (u) => u.pathname === `/qa/breaches/${waitBreach.id}` && u.searchParams.get("site") === site,
    );
    await page.waitForSelector('[data-screen="breach"][data-ready="true"]');

    const detail = await admin(`/api/v1/breaches/${waitBreach.id}?site=${site}`, BreachDetail);
    const evidence = await admin(detail.drill, BreachEvidence);
    const text = (testid: string) => page.textContent(`[data-testid="${testid}"]`);
    expect(await text("breach-figure")).toBe("Longest wait");
    expect(await text("breach-condition")).toBe("Longest wait > 2:00");
    expect(await text("breach-rule")).toContain("cards: nobody waits 2 min");
    expect(await text("breach-rule")).toContain(waitBreach.rule_id);
    expect(await text("breach-rule-version")).toBe("1");
    expect(await text("breach-definition-version")).toBe(String(detail.definition_version));
    expect(await text("breach-severity")).toContain("Warning");
    expect(await text("breach-started")).toBe(formatDateTime(detail.started_at, TZ));
    expect(await text("breach-ended")).toBe(formatDateTime(detail.ended_at, TZ));
    expect(await text("breach-duration")).toBe("1:20");
    expect(await text("breach-peak")).toBe("3:10");
    expect(await text("breach-peak-at")).toBe(
      formatDateTime(new Date(T0 + 190 * S).toISOString(), TZ),
    );
    expect(await text("breach-ack")).toContain("Nobody");
    expect(await page.$('[data-testid="breach-restated"]')).toBeNull();
    expect(
      await page.$$eval('[data-testid="transitions"] tbody tr[data-key]', (rows) =>
        rows.map((r) => r.getAttribute("data-kind")),
      ),
    ).toEqual(["pending", "firing", "resolved"]);
    expect(detail.transitions.map((t) => t.kind).sort()).toEqual(["firing", "pending", "resolved"]);

    // Exactly the contacts of the evidence, which are exactly the three waiting at the peak.
    const shownContacts = await page.$$eval('[data-testid="evidence"] tbody tr[data-key]', (rows) =>
      rows.map((r) => r.getAttribute("data-contact")),
    );
    expect(new Set(shownContacts)).toEqual(new Set(evidence.visits.map((v) => v.contact_id)));
    expect([...shownContacts].sort()).toEqual(["c1", "c2", "c3"]);
    expect(await keys(page, "evidence")).toEqual(evidence.visits.map((v) => v.contact_id));
    await closeDesk(page);
  });

  it("marks a breach restated by late events, and shows who acknowledged it", async () => {
    const page = await openDesk(browser, url, `/qa/breaches/${loansBreach.id}?site=${site}`, qa, {
      ready: "breach",
      lang: "zh-CN",
    });
    const detail = await admin(`/api/v1/breaches/${loansBreach.id}?site=${site}`, BreachDetail);
    expect(detail).toMatchObject({ peak: 70, peak_now: 90, restated: true });
    await page.waitForSelector('[data-testid="breach-restated"]');
    expect(await page.getAttribute('[data-testid="breach-peak-now"] span', "data-restated")).toBe(
      "true",
    );
    expect(await page.textContent('[data-testid="breach-peak"]')).toBe("1:10");
    expect(await page.textContent('[data-testid="breach-peak-now"]')).toBe("1:30");
    expect(await page.textContent('[data-testid="breach-figure"]')).toBe("最长等待");
    expect(await page.textContent('[data-testid="breach-severity"]')).toContain("严重");
    // The queue's name comes with the site's queue list, asked beside the breach.
    await expect.poll(() => page.textContent('[data-testid="breach-scope"]'), WAIT).toBe("贷款");
    expect(await page.textContent('[data-testid="breach-ack"]')).toContain("王主管");
    expect(await page.textContent('[data-testid="breach-ack-note"]')).toBe(
      "calling in the loans team, 2 agents",
    );
    // The late contact is among those behind the figure now.
    const evidence = await admin(detail.drill, BreachEvidence);
    const shown = await page.$$eval('[data-testid="evidence"] tbody tr[data-key]', (rows) =>
      rows.map((r) => r.getAttribute("data-contact")).sort(),
    );
    expect(shown).toEqual(evidence.visits.map((v) => v.contact_id).sort());
    expect(shown).toEqual(["l0", "l1"]);
    await closeDesk(page);
  });

  it("opens a contact of the evidence into its timeline, masked for a token without personal data", async () => {
    const page = await openDesk(browser, url, `/qa/breaches/${waitBreach.id}?site=${site}`, qa, {
      ready: "breach",
    });
    await page.click('[data-testid="evidence"] tr[data-key="c1"] [data-col="queue"]');
    await page.waitForURL(
      (u) =>
        u.pathname === "/contacts/c1" &&
        u.searchParams.get("site") === site &&
        u.searchParams.has("around"),
    );
    await page.waitForSelector('[data-screen="contact"][data-ready="true"]');
    const around = new URL(page.url()).searchParams.get("around")!;
    const detail = await admin(
      `/api/v1/contacts/c1?site=${site}&around=${encodeURIComponent(around)}`,
      ContactDetail,
    );
    const timeline = await page.$$eval('[data-testid="timeline"] li[data-kind="event"]', (items) =>
      items.map((li) => [li.getAttribute("data-key"), li.getAttribute("data-type")] as const),
    );
    expect(timeline).toEqual(detail.events.map((e) => [e.event_id, e.type]));
    expect(timeline.map(([, type]) => type)).toEqual(["contact.queued", "contact.answered"]);
    const times = await page.$$eval('[data-testid="timeline"] li time', (els) =>
      els.map((e) => e.textContent),
    );
    expect(times).toEqual(detail.events.map((e) => formatDateTime(e.at, TZ)));
    expect(await page.textContent('[data-testid="customer-phone"]')).toBe("138****5678");
    expect(await page.textContent('[data-testid="timeline"]')).not.toContain("13812345678");
    expect(await page.$('[data-testid="unmask"]')).toBeNull();
    await page.waitForSelector('[data-testid="masked-note"]');
    // The API refuses this token the unmasked read the page does not offer.
    const refused = await page.evaluate(
      async ([s, t]) =>
        (
          await fetch(`/api/v1/contacts/c1?site=${s}&unmask=true`, {
            headers: { authorization: `Bearer ${t}` },
          })
        ).status,
      [site, qa],
    );
    expect(refused).toBe(403);
    await closeDesk(page);
  });

  it("shows personal data to a token granted it once asked, says so, and the read is audited", async () => {
    const asked = Date.now();
    const page = await openDesk(
      browser,
      url,
      `/contacts/c1?site=${site}&around=${encodeURIComponent(new Date(T0).toISOString())}`,
      qaPii,
      { ready: "contact" },
    );
    expect(await page.textContent('[data-testid="customer-phone"]')).toBe("138****5678");
    expect(await page.$('[data-testid="unmasked-notice"]')).toBeNull();
    await page.click('[data-testid="unmask"]');
    await page.waitForSelector('[data-testid="customer-phone"][data-unmasked="true"]');
    expect(await page.textContent('[data-testid="customer-phone"]')).toBe("13812345678");
    await page.waitForSelector('[data-testid="unmasked-notice"]');
    expect(await page.textContent('[data-testid="timeline"]')).toContain("13812345678");
    await expect
      .poll(
        async () => {
          const list = await admin(
            `/api/v1/audit?site=${site}&action=pii.read&from=${new Date(asked - 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`,
            AuditList,
          );
          return list.entries.map((e) => [e.actor.name, e.target]);
        },
        { timeout: 15_000 },
      )
      .toContainEqual(["赵质检 (pii)", "contact:c1"]);
    // Masked again on request, without reading personal data again.
    await page.click('[data-testid="unmask"]');
    await page.waitForSelector('[data-testid="customer-phone"][data-unmasked="false"]');
    expect(await page.textContent('[data-testid="customer-phone"]')).toBe("138****5678");
    await closeDesk(page);
  });

  it("shows a low score overdue when its due time passed with no contact, with the counts and the contact that met another", async () => {
    const page = await openDesk(browser, url, `/qa?site=${site}&view=followups`, qa, {
      ready: "qa",
    });
    const api = await listFor(page, "followup-list", { status: null });
    const answer = await admin(api, FollowupList);
    expect(await keys(page, "followups")).toEqual(answer.followups.map((f) => f.survey_id));
    const row = (id: string) => page.locator(`[data-testid="followups"] tr[data-key="${id}"]`);
    await expect(row("s-overdue").getAttribute("data-status")).resolves.toBe("overdue");
    await expect(row("s-overdue").locator('[data-col="status"]').textContent()).resolves.toContain(
      "Overdue",
    );
    await expect(row("s-overdue").locator('[data-col="met_by"]').textContent()).resolves.toBe("–");
    await expect(row("s-open").getAttribute("data-status")).resolves.toBe("open");
    await expect(row("s-met").getAttribute("data-status")).resolves.toBe("met");
    const overdue = answer.followups.find((f) => f.survey_id === "s-overdue")!;
    await expect(row("s-overdue").locator('[data-col="due"]').textContent()).resolves.toBe(
      formatDateTime(overdue.due_at, TZ),
    );
    await expect(row("s-overdue").locator('[data-col="phone"]').textContent()).resolves.toBe(
      "139****9999",
    );
    // The counts of every status, as the API counts them over the days.
    for (const status of ["open", "met", "overdue", "untrackable"] as const)
      expect(
        await page.getAttribute(
          `[data-testid="followup-status"] [data-status="${status}"]`,
          "data-count",
        ),
      ).toBe(String(answer.counts[status]));
    expect(answer.counts).toMatchObject({ open: 1, met: 1, overdue: 1 });

    // The contact that met one, linked to its story around the call.
    const met = answer.followups.find((f) => f.survey_id === "s-met")!;
    const metLink = new URL(
      (await row("s-met").locator('[data-testid="met-by"]').getAttribute("href"))!,
      url,
    );
    expect(metLink.pathname).toBe("/contacts/o8");
    expect(metLink.searchParams.get("around")).toBe(met.met_by!.at);

    // Only the overdue ones, as the API lists them.
    await page.click('[data-testid="followup-status"] [data-status="overdue"]');
    const only = await listFor(page, "followup-list", { status: "overdue" });
    expect(await keys(page, "followups")).toEqual(
      (await admin(only, FollowupList)).followups.map((f) => f.survey_id),
    );
    expect(await keys(page, "followups")).toEqual(["s-overdue"]);
    expect(new URL(page.url()).searchParams.get("status")).toBe("overdue");

    // The surveyed contact opens into its story.
    await row("s-overdue").locator('[data-testid="surveyed-contact"]').click();
    await page.waitForURL((u) => u.pathname === "/contacts/f9");
    await page.waitForSelector('[data-screen="contact"][data-ready="true"]');
    expect(
      await page.$$eval('[data-testid="timeline"] li', (items) =>
        items.map((li) => li.getAttribute("data-type")),
      ),
    ).toEqual(["contact.queued", "contact.answered", "survey.completed"]);
    await closeDesk(page);
  });

  it("exports the breach list as shown: BOM, CRLF, headers in the language, the same rows", async () => {
    for (const lang of ["en", "zh-CN"] as const) {
      const opened = Date.now();
      const page = await openDesk(browser, url, `/qa?site=${site}`, qa, { ready: "qa", lang });
      const api = await listFor(page, "breach-list", { queue: null });
      await queueNamesShown(page, lang);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click('[data-testid="export-csv"]'),
      ]);
      // Named by the days listed: the 7 ending on the page's today, taken as it opened.
      const to = await page.inputValue('[data-testid="filter-to"]');
      expect([siteDate(opened), siteDate(Date.now())]).toContain(to);
      expect(download.suggestedFilename()).toBe(`breaches_${site}_${addDays(to, -6)}_${to}.csv`);
      const bytes = await readFile((await download.path())!);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString("utf8").slice(1);
      expect(text.endsWith("\r\n")).toBe(true);
      expect(text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
      const [header, ...rows] = parseCsv(bytes);
      const headerShown = await page.$$eval('[data-testid="breaches"] thead th', (ths) =>
        ths.map((th) => th.textContent),
      );
      expect(header).toEqual(headerShown);
      expect(header?.slice(0, 3)).toEqual(
        lang === "en" ? ["Started", "Severity", "Rule"] : ["开始时间", "级别", "规则"],
      );
      expect(rows).toEqual(await cells(page, "breaches"));
      expect(rows.map((r) => r.at(-1))).toEqual(
        (await admin(api, BreachList)).breaches.map((b) => b.id),
      );
      // A note with a comma stays one cell.
      const loans = rows.find((r) => r.at(-1) === loansBreach.id)!;
      expect(loans).toContain("calling in the loans team, 2 agents");
      await closeDesk(page);
    }
  });

  it("exports the follow-ups as shown, in Chinese for a Chinese screen", async () => {
    const page = await openDesk(browser, url, `/qa?site=${site}&view=followups`, qa, {
      ready: "qa",
      lang: "zh-CN",
    });
    await listFor(page, "followup-list", { status: null });
    await queueNamesShown(page, "zh-CN");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click('[data-testid="export-followups-csv"]'),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^followups_${site}_\\d{4}-\\d{2}-\\d{2}_\\d{4}-\\d{2}-\\d{2}\\.csv$`),
    );
    const bytes = await readFile((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8").slice(1);
    expect(text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
    const [header, ...rows] = parseCsv(bytes);
    expect(header?.slice(0, 3)).toEqual(["状态", "评价时间", "评分"]);
    expect(rows).toEqual(await cells(page, "followups"));
    expect(rows.find((r) => r.at(-1) === "s-overdue")?.[0]).toBe("回访超时");
    expect(rows.map((r) => r.at(-1)).sort()).toEqual(["s-met", "s-open", "s-overdue"]);
    await closeDesk(page);
  });

  it("says a breach that does not exist cannot be read, once", async () => {
    const page = await openDesk(browser, url, `/qa/breaches/${"0".repeat(24)}?site=${site}`, qa);
    // The breach's own answer (its evidence's is "no alert …"), then no second panel beside it.
    await page.waitForSelector('[data-testid="error"]:has-text("no breach")');
    expect(await page.locator('[data-testid="error"]').count()).toBe(1);
    expect(await page.$('[data-testid="evidence-section"]')).toBeNull();
    expect(await page.getAttribute('[data-screen="breach"]', "data-ready")).toBe("false");
    await closeDesk(page);
  });

  it("refuses the QA screen to a supervisor token", async () => {
    const page = await openDesk(browser, url, `/qa?site=${site}`, supervisor);
    await page.waitForSelector('[data-testid="forbidden"]');
    expect(await page.$('[data-screen="qa"]')).toBeNull();
    expect(await page.$('[data-testid="breaches"]')).toBeNull();
    await closeDesk(page);
  });
});
