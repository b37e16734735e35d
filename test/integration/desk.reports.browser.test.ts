// The Reports screen and the drill list (issue #14) in a real Chromium against the real API, over
// events produced to the real Kafka and ingested into ClickHouse: the table says what GET
// /reports/intervals says, every choice changes the request, a figure's formula shows its row's
// parts and definition version, a number opens exactly the contacts it counted, a late event marks
// its interval restated, and the screen speaks both languages and refuses a display token.
import { readFile } from "node:fs/promises";
import { ContactsResponse, ReportResponse, type ReportRow } from "@floorwatch/contracts";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intervalLabel } from "../../wallboard/src/desk/reports/cells";
import { addDays } from "../../wallboard/src/desk/dates";
import { formatDeskFigure } from "../../wallboard/src/desk/format";
import { DEFAULT_COLS, todayAt } from "../../wallboard/src/desk/reports/params";
import { bearer, storedToken } from "../support/api";
import { startWallboardStack, type WallboardStack } from "../support/browser";
import { closeDesk, deskUrl, openDesk, screenReady } from "../support/desk";
import {
  abandoned,
  answered,
  callbackRequested,
  produceAll,
  queued,
  survey,
  wrappedUp,
} from "../support/events";
import { waitForIngested } from "../support/ingested";
import { defineQueues } from "../support/sites";

const TZ = "Asia/Shanghai";
const DAY = "2026-11-02";
/** An instant of the site's (Shanghai's) wall clock on DAY. */
const at = (hms: string, day = DAY) => Date.parse(`${day}T${hms}+08:00`);
const NINE = `cards|${DAY}T09:00:00+08:00`;
const TEN = `cards|${DAY}T10:00:00+08:00`;
/**
 * How long a poll waits for what the page or the API will show (vitest's default is 1 s, which a
 * loaded two-core machine can spend on a single round trip to the browser). Only a bound on a wait.
 */
const WAIT = { timeout: 15_000 };

describe("reports screen and drill list", () => {
  let stack: WallboardStack;
  let site: string;
  let qa: string;
  let supervisor: string;

  const api = async <T>(path: string, schema: { parse(x: unknown): T }, token = qa): Promise<T> => {
    const res = await fetch(
      `${stack.server.url}${path.startsWith("/api/") ? path : `/api/v1${path}`}`,
      {
        headers: bearer(token),
      },
    );
    const body = await res.json();
    expect(res.status, `${path}: ${JSON.stringify(body)}`).toBe(200);
    return schema.parse(body);
  };

  /** The day's hourly report opened as QA, once the page shows what GET /reports/intervals answers. */
  const openHourly = async () => {
    const q = { from: DAY, to: "2026-11-03", interval: "1h" };
    const page = await openDesk(
      stack.browser,
      stack.server.url,
      `/reports?site=${site}&from=${DAY}&to=2026-11-03&interval=1h`,
      qa,
      { ready: "reports" },
    );
    const answer = await api(reportQuery(q), ReportResponse);
    await reportShown(page, reportQuery(q), answer);
    return { page, answer, path: reportQuery(q) };
  };
  const reportQuery = (q: Record<string, string>) =>
    `/reports/intervals?${new URLSearchParams({ site, ...q })}`;
  /** Every visit a drill path lists, all pages. */
  const drillIds = async (path: string): Promise<string[]> => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ContactsResponse = await api(
        cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path,
        ContactsResponse,
      );
      ids.push(...page.visits.map((v) => v.contact_id));
      cursor = page.next_cursor;
    } while (cursor);
    return ids.sort();
  };

  /**
   * Every row of a table as shown: key, each cell's text by column, the row's marks. The tables
   * render the rows in view only (WindowedTable), so this scrolls through them, waiting at each
   * step until rows cover the view, and back to the top.
   */
  const tableRows = (page: Page, testid: string) =>
    page.evaluate(async (id) => {
      const table = document.querySelector(`[data-testid="${id}"]`);
      const wrap = table?.closest<HTMLElement>(".desk-table-wrap");
      if (!table || !wrap) throw new Error(`no table ${id}`);
      const total = Number(table.getAttribute("data-rows"));
      const rendered = () => [...table.querySelectorAll<HTMLElement>("tbody tr[data-key]")];
      const covered = () => {
        const rows = rendered();
        if (total === 0 || rows.length === total) return true;
        const view = wrap.getBoundingClientRect();
        const head = table.querySelector("thead")?.getBoundingClientRect().height ?? 0;
        const top = rows[0]!.getBoundingClientRect().top;
        const last = rows.at(-1)!;
        return (
          top <= view.top + head + 1 &&
          (last.getBoundingClientRect().bottom >= view.bottom - 1 ||
            Number(last.getAttribute("aria-rowindex")) === total + 1)
        );
      };
      const settle = async () => {
        for (let i = 0; i < 200 && !covered(); i++)
          await new Promise((r) => requestAnimationFrame(r));
        if (!covered()) throw new Error(`rows of ${id} never covered the view`);
      };
      const seen = new Map<string, { index: number; row: Record<string, unknown> }>();
      wrap.scrollTop = 0;
      for (;;) {
        await settle();
        for (const tr of rendered())
          seen.set(tr.dataset.key ?? "", {
            index: Number(tr.getAttribute("aria-rowindex")),
            row: {
              key: tr.dataset.key ?? "",
              restated: tr.dataset.restated ?? null,
              closed: tr.dataset.closed ?? null,
              cells: Object.fromEntries(
                [...tr.querySelectorAll<HTMLElement>("td[data-col]")].map((td) => [
                  td.dataset.col,
                  td.textContent?.trim() ?? "",
                ]),
              ),
            },
          });
        if (wrap.scrollTop + wrap.clientHeight >= wrap.scrollHeight - 1) break;
        wrap.scrollTop += wrap.clientHeight;
      }
      wrap.scrollTop = 0;
      await settle();
      if (seen.size !== total) throw new Error(`${seen.size} rows of ${total} seen in ${id}`);
      return [...seen.values()].sort((x, y) => x.index - y.index).map((x) => x.row);
    }, testid) as Promise<
      {
        key: string;
        restated: string | null;
        closed: string | null;
        cells: Record<string, string>;
      }[]
    >;

  /** Waits until the table shows the answer to `request` (the screen's data-request) in full. */
  const reportShown = async (page: Page, request: string, answer: ReportResponse) => {
    await page.waitForSelector(
      `[data-testid="report-view"][data-state="ready"][data-request="${request}"][data-from="${answer.from}"][data-to="${answer.to}"][data-interval="${answer.interval}"]`,
    );
    await page.waitForSelector(`[data-testid="report"][data-rows="${answer.rows.length}"]`);
  };

  /** The screen's table equals the API's answer: every row, every default column, formatted alike. */
  const expectTableEquals = async (page: Page, answer: ReportResponse) => {
    const shown = await tableRows(page, "report");
    expect(shown.map((r) => r.key).sort()).toEqual(
      answer.rows.map((r) => `${r.queue}|${r.interval_start}`).sort(),
    );
    const byKey = new Map(shown.map((r) => [r.key, r]));
    for (const row of answer.rows) {
      const s = byKey.get(`${row.queue}|${row.interval_start}`)!;
      expect(s.cells.interval).toBe(intervalLabel(row.interval_start, answer.interval, answer.tz));
      for (const col of DEFAULT_COLS)
        expect(s.cells[col], `${s.key} ${col}`).toBe(
          formatDeskFigure(col, row[col as keyof ReportRow] as number | null),
        );
      expect(s.restated).toBe(row.restated ? "true" : null);
      expect(s.closed).toBe(row.closed ? "true" : "false");
    }
  };

  const rowOf = (answer: ReportResponse, key: string) => {
    const row = answer.rows.find((r) => `${r.queue}|${r.interval_start}` === key);
    if (!row) throw new Error(`no row ${key}`);
    return row;
  };

  beforeAll(async () => {
    stack = await startWallboardStack("desk_reports");
    site = stack.site;
    qa = (await storedToken(stack.h.ch, "qa", { sites: [site], name: "李质检" })).token;
    supervisor = (await storedToken(stack.h.ch, "supervisor", { sites: [site] })).token;
    // Queue names in both languages; version 1 of cards from the start of time (voice defaults).
    await defineQueues(stack.h.ch, site, [
      { queue: "cards", name_zh: "信用卡", name_en: "Cards", created_ms: Date.now() },
    ]);
    const q = "cards";
    await produceAll(stack.h.kafka, stack.h.config.topics, [
      // cards 09:00–10:00 (T = 20 s, S = 5 s): answered a1 (10 s, within), a2 (30 s, not);
      // abandoned b1 (2 s, short), b2 (40 s), b3 (12 s); k1 a callback after 60 s, the longest wait.
      // offered 6; SL = 1 / (2 + 3 − 1) = 25 %; abandon rate (3 − 1) / 4 = 50 %.
      queued({ site, at: at("09:01:00"), contact: "a1", queue: q }),
      answered({ site, at: at("09:01:10"), contact: "a1", queue: q, agent: "ag1" }),
      wrappedUp({
        site,
        at: at("09:05:10"),
        contact: "a1",
        queue: q,
        agent: "ag1",
        disposition: "resolved",
      }),
      survey({ site, at: at("09:20:00"), contact: "a1", queue: q, agent: "ag1", csat: 5, nps: 10 }),
      queued({ site, at: at("09:02:00"), contact: "a2", queue: q }),
      answered({ site, at: at("09:02:30"), contact: "a2", queue: q, agent: "ag2" }),
      queued({ site, at: at("09:03:00"), contact: "b1", queue: q }),
      abandoned({ site, at: at("09:03:02"), contact: "b1", queue: q }),
      queued({ site, at: at("09:04:00"), contact: "b2", queue: q, phone: "13812345678" }),
      abandoned({ site, at: at("09:04:40"), contact: "b2", queue: q }),
      queued({ site, at: at("09:05:00"), contact: "b3", queue: q }),
      abandoned({ site, at: at("09:05:12"), contact: "b3", queue: q }),
      queued({ site, at: at("09:06:00"), contact: "k1", queue: q }),
      callbackRequested({ site, at: at("09:07:00"), contact: "k1", queue: q }),
      // cards 10:00–11:00: a3 answered in 5 s, b4 abandoned after 20 s.
      queued({ site, at: at("10:01:00"), contact: "a3", queue: q }),
      answered({ site, at: at("10:01:05"), contact: "a3", queue: q }),
      queued({ site, at: at("10:02:00"), contact: "b4", queue: q }),
      abandoned({ site, at: at("10:02:20"), contact: "b4", queue: q }),
      // loans (no names configured: shown by id), and the next day.
      queued({ site, at: at("09:10:00"), contact: "l1", queue: "loans" }),
      answered({ site, at: at("09:10:15"), contact: "l1", queue: "loans" }),
      queued({ site, at: at("11:00:00", "2026-11-03"), contact: "l2", queue: "loans" }),
      abandoned({ site, at: at("11:00:30", "2026-11-03"), contact: "l2", queue: "loans" }),
    ]);
    // Every event stored before any report is read: a read publishes the closed intervals' figures.
    await waitForIngested(stack.h);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it("shows every row and figure of the interval report as GET /reports/intervals answers it", async () => {
    const { page, answer } = await openHourly();
    expect(answer.rows).toHaveLength(48); // cards and loans, 24 hours each
    await expectTableEquals(page, answer);
    // By hand, so a formatter that broke both sides alike would still be caught.
    const nine = (await tableRows(page, "report")).find((r) => r.key === NINE)!;
    expect(nine.cells).toMatchObject({
      queue: "Cards",
      interval: "2026-11-02 09:00",
      offered: "6",
      answered: "2",
      abandoned: "3",
      service_level: "25.0%",
      abandon_rate: "50.0%",
      asa_s: "0:20",
      max_wait_s: "1:00",
      handled: "1",
      csat: "100.0%",
      nps: "+100",
    });
    expect(
      (await tableRows(page, "report")).find((r) => r.key.startsWith("loans|"))?.cells.queue,
    ).toBe("loans");
    // The chart: one point per hour of the day.
    expect(await page.getAttribute('[data-testid="report-chart"]', "data-points")).toBe("24");
    await page.waitForSelector('[data-testid="report-chart"] canvas');
    await closeDesk(page);
  });

  it("asks the API again and shows its answer when the interval, range, queue or channel changes", async () => {
    const page = await openDesk(
      stack.browser,
      stack.server.url,
      `/reports?site=${site}&from=${DAY}&to=2026-11-03&interval=1h`,
      qa,
      { ready: "reports" },
    );
    // Interval → 1 day.
    await page.selectOption('[data-testid="report-interval"]', "1d");
    const daily = { from: DAY, to: "2026-11-03", interval: "1d" };
    let answer = await api(reportQuery(daily), ReportResponse);
    await reportShown(page, reportQuery(daily), answer);
    expect(new URL(page.url()).searchParams.get("interval")).toBe("1d");
    expect(answer.rows).toHaveLength(2);
    await expectTableEquals(page, answer);
    // Range → through the 3rd (the address's `to` is the day after, as the API reads it).
    await page.fill('[data-testid="report-through"]', "2026-11-03");
    await page.dispatchEvent('[data-testid="report-through"]', "change");
    const twoDays = { from: DAY, to: "2026-11-04", interval: "1d" };
    answer = await api(reportQuery(twoDays), ReportResponse);
    await reportShown(page, reportQuery(twoDays), answer);
    expect(new URL(page.url()).searchParams.get("to")).toBe("2026-11-04");
    expect(answer.rows).toHaveLength(4);
    await expectTableEquals(page, answer);
    expect(rowOf(answer, `loans|2026-11-03T00:00:00+08:00`).abandoned).toBe(1); // l2
    // One queue.
    await page.selectOption('[data-testid="report-queue"]', "loans");
    const loans = { ...twoDays, queue: "loans" };
    answer = await api(reportQuery(loans), ReportResponse);
    await reportShown(page, reportQuery(loans), answer);
    expect(answer.rows.map((r) => r.queue)).toEqual(["loans", "loans"]);
    await expectTableEquals(page, answer);
    // A channel: every queue of it (the queue choice goes with the channel).
    await page.selectOption('[data-testid="report-channel"]', "chat");
    const chat = { ...twoDays, channel: "chat" };
    answer = await api(reportQuery(chat), ReportResponse);
    await reportShown(page, reportQuery(chat), answer);
    expect(answer.rows).toHaveLength(0);
    await expectTableEquals(page, answer);
    // The address is the whole question: opened again from it, the same report.
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ site, ...chat, lang: "en" });
    await closeDesk(page);
  });

  it("opens today by the hour when the address names no range, open hours marked, and takes presets from the site's clock", async () => {
    // The page takes today from its clock as it opens: between these two readings of the site's
    // calendar (a midnight may fall between them).
    const before = todayAt(TZ, Date.now());
    const context = await stack.browser.newContext({
      viewport: { width: 1600, height: 1000 },
      locale: "en-US",
      baseURL: stack.server.url,
    });
    const page = await context.newPage();
    // The page's own answers: whether an hour is still open is the API's word at its instant.
    const answers: { url: URL; body: ReportResponse }[] = [];
    page.on("response", (res) => {
      if (!res.url().includes("/api/v1/reports/intervals?") || res.status() !== 200) return;
      res
        .json()
        .then((body) => answers.push({ url: new URL(res.url()), body: ReportResponse.parse(body) }))
        .catch(() => {});
    });
    await page.goto(deskUrl(stack.server.url, `/reports?site=${site}`, supervisor));
    await screenReady(page, "reports");
    await page.waitForURL((u) => u.searchParams.get("from") !== null);
    const after = todayAt(TZ, Date.now());
    const search = Object.fromEntries(new URL(page.url()).searchParams);
    const today = search.from!;
    expect([before, after]).toContain(today);
    const q = { from: today, to: addDays(today, 1), interval: "1h" };
    expect(search).toMatchObject(q);
    const asked = () =>
      answers.find(
        (a) =>
          a.url.searchParams.get("from") === q.from &&
          a.url.searchParams.get("to") === q.to &&
          a.url.searchParams.get("interval") === q.interval &&
          !a.url.searchParams.has("queue"),
      )?.body;
    await expect.poll(asked, WAIT).toBeDefined();
    const answer = asked()!;
    await reportShown(page, reportQuery(q), answer);
    await expectTableEquals(page, answer);
    // The hours still to come today are open intervals, marked in words: the day's last hour at
    // least, unless the day was over when the API answered (a midnight after the page took today).
    const open = (await tableRows(page, "report")).filter((r) => r.closed === "false");
    expect(open.length > 0).toBe(todayAt(TZ, Date.parse(answer.generated_at)) === today);
    for (const r of open) expect(r.cells.status).toContain("Open");
    // A preset: yesterday on the site's calendar (the page's, taken as it opened).
    await page.selectOption('[data-testid="report-range"]', "yesterday");
    await page.waitForURL((u) => u.searchParams.get("to") === today);
    expect(new URL(page.url()).searchParams.get("from")).toBe(addDays(today, -1));
    await closeDesk(page);
  });

  it("shows a figure's formula with its row's numerator, denominator and definition version", async () => {
    const { page, answer } = await openHourly();
    const row = rowOf(answer, NINE);
    // Hover the service level: answered within T / (answered + abandoned − short abandoned).
    await page.hover(
      `[data-testid="report"] tr[data-key="${NINE}"] td[data-col="service_level"] .fig`,
    );
    const sl = await page.waitForSelector(
      `[data-testid="formula"][data-figure="service_level"][data-key="${NINE}"]`,
    );
    const attr = (sel: string, name: string) => sl.$eval(sel, (el, n) => el.getAttribute(n), name);
    expect(await attr('[data-part="numerator"]', "data-value")).toBe(
      String(row.answered_within_sl),
    );
    expect(
      await attr('[data-part="numerator"] [data-field="answered_within_sl"]', "data-value"),
    ).toBe("1");
    expect(await attr('[data-part="denominator"] [data-field="answered"]', "data-value")).toBe(
      String(row.answered),
    );
    expect(await attr('[data-part="denominator"] [data-field="abandoned"]', "data-value")).toBe(
      String(row.abandoned),
    );
    expect(
      await attr('[data-part="denominator"] [data-field="short_abandoned"]', "data-value"),
    ).toBe(String(row.short_abandoned));
    expect(await attr('[data-part="denominator"]', "data-value")).toBe(
      String(row.answered + row.abandoned - row.short_abandoned),
    );
    expect(await attr('[data-part="denominator"]', "data-value")).toBe("4");
    expect(await attr('[data-part="result"]', "data-value")).toBe(String(row.service_level));
    expect(await attr('[data-part="result"]', "data-recomputed")).toBe("0.25");
    expect(await sl.getAttribute("data-params")).toBe("T,S,target");
    const v = row.definition.versions[0]!;
    expect(
      await sl.$$eval('[data-part="versions"] li', (lis) =>
        lis.map((li) => ({ ...(li as HTMLElement).dataset })),
      ),
    ).toEqual([
      {
        version: String(v.version),
        t: String(v.sl_threshold_s),
        s: String(v.short_abandon_s),
        target: String(v.sl_target),
      },
    ]);
    expect(v).toMatchObject({ version: 1, sl_threshold_s: 20, short_abandon_s: 5, sl_target: 0.8 });
    const text = await sl.textContent();
    expect(text).toContain("1 / 4 = 25.0%");
    expect(text).toContain("floorwatch-metrics-v1, version 1");
    expect(text).toContain("T = 20 s, S = 5 s, target 80.0%");

    // Keyboard: focus reaches a figure the report carries only as a ratio; its count is derived.
    await page.focus(`[data-testid="report"] tr[data-key="${NINE}"] td[data-col="csat"] .fig`);
    const csat = await page.waitForSelector(`[data-testid="formula"][data-figure="csat"]`);
    expect(
      await csat.$eval('[data-part="numerator"]', (el) => ({ ...(el as HTMLElement).dataset })),
    ).toMatchObject({ value: "1", derived: "true" });
    expect(
      await csat.$eval('[data-part="denominator"]', (el) => (el as HTMLElement).dataset.value),
    ).toBe(String(row.csat_responses));
    await page.keyboard.press("Escape");
    await page.waitForSelector('[data-testid="formula"]', { state: "detached" });

    // The popover's own links: the numerator's visits.
    await page.hover(
      `[data-testid="report"] tr[data-key="${NINE}"] td[data-col="abandon_rate"] .fig`,
    );
    const ar = await page.waitForSelector(`[data-testid="formula"][data-figure="abandon_rate"]`);
    expect(
      await ar.$eval('[data-part="numerator"]', (el) => (el as HTMLElement).dataset.value),
    ).toBe("2");
    await page.hover('[data-testid="formula"] [data-part="numerator"] [data-field="abandoned"] a');
    await page.click('[data-testid="formula"] [data-part="numerator"] [data-field="abandoned"] a');
    await screenReady(page, "contacts");
    await page.waitForSelector('[data-testid="contacts-count"][data-complete="true"]');
    expect((await tableRows(page, "contacts")).map((r) => r.cells.contact).sort()).toEqual([
      "b1",
      "b2",
      "b3",
    ]);
    await closeDesk(page);
  });

  it("opens a figure's number into exactly the contacts it counted, as the API's drill lists them", async () => {
    const { page, answer, path } = await openHourly();
    const row = rowOf(answer, NINE);
    const cases: [string, string, string[]][] = [
      // column, drill key, the contacts produced above that it counts
      ["abandoned", "abandoned", ["b1", "b2", "b3"]],
      ["offered", "offered", ["a1", "a2", "b1", "b2", "b3", "k1"]],
      ["service_level", "answered_within_sl", ["a1"]],
      ["max_wait_s", "max_wait_s", ["k1"]],
    ];
    for (const [col, key, produced] of cases) {
      const link = `[data-testid="report"] tr[data-key="${NINE}"] td[data-col="${col}"] a`;
      expect(await page.getAttribute(link, "data-drill")).toBe(key);
      const apiPath = `${row.drill}&${answer.drill_filters[key]}`;
      const href = new URL((await page.getAttribute(link, "href"))!, stack.server.url);
      expect(href.pathname).toBe("/contacts");
      expect(href.searchParams.get("drill")).toBe(apiPath);
      await page.click(link);
      await page.waitForURL((u) => u.pathname === "/contacts");
      await screenReady(page, "contacts");
      await page.waitForSelector(
        `[data-testid="contacts-count"][data-complete="true"][data-count="${produced.length}"]`,
      );
      const shown = await tableRows(page, "contacts");
      const ids = shown.map((r) => r.cells.contact).sort();
      expect(ids, col).toEqual(produced);
      // The API's drill answer (the longest wait is its first visit only).
      const apiIds =
        key === "max_wait_s"
          ? (await api(apiPath, ContactsResponse)).visits.map((v) => v.contact_id)
          : await drillIds(apiPath);
      expect(apiIds, col).toEqual(produced);
      if (col === "abandoned") {
        const b2 = shown.find((r) => r.cells.contact === "b2")!;
        expect(b2.key).toBe(`b2|${DAY}T09:04:00+08:00`);
        expect(b2.cells).toMatchObject({
          queue: "Cards",
          outcome: "abandoned",
          started: "2026-11-02 09:04:00",
          ended: "2026-11-02 09:04:40",
          wait: "0:40",
          phone: "138****5678",
        });
        expect(await page.textContent('[data-testid="contacts-title"]')).toBe("Abandoned · Cards");
      }
      await page.goBack();
      await reportShown(page, path, answer);
    }
    // A visit opens its contact's story, read around the visit's end.
    await page.click(`[data-testid="report"] tr[data-key="${NINE}"] td[data-col="abandoned"] a`);
    await page.waitForSelector(`[data-testid="contacts"] tr[data-contact="b2"]`);
    await page.click(`[data-testid="contacts"] tr[data-contact="b2"] td[data-col="outcome"]`);
    await page.waitForURL((u) => u.pathname === "/contacts/b2");
    const u = new URL(page.url());
    expect(u.searchParams.get("site")).toBe(site);
    expect(u.searchParams.get("around")).toBe(`${DAY}T09:04:40+08:00`);
    await closeDesk(page);
  });

  it("pages the drill list with the API's cursor, sorts it, and exports it as CSV", async () => {
    const q = { from: DAY, to: "2026-11-03", interval: "1h" };
    const row = rowOf(await api(reportQuery(q), ReportResponse), NINE);
    const drill = `${row.drill}&outcome=offered&limit=2`;
    const page = await openDesk(
      stack.browser,
      stack.server.url,
      `/contacts?site=${site}&drill=${encodeURIComponent(drill)}`,
      qa,
      { ready: "contacts" },
    );
    await page.waitForSelector(
      '[data-testid="contacts-count"][data-count="2"][data-complete="false"]',
    );
    await page.click('[data-testid="load-more"]');
    await page.waitForSelector(
      '[data-testid="contacts-count"][data-count="4"][data-complete="false"]',
    );
    await page.click('[data-testid="load-all"]');
    await page.waitForSelector(
      '[data-testid="contacts-count"][data-count="6"][data-complete="true"]',
    );
    const ids = (await tableRows(page, "contacts")).map((r) => r.cells.contact);
    expect([...ids].sort()).toEqual(await drillIds(`${row.drill}&outcome=offered`));
    expect(new Set(ids).size).toBe(6);
    // Longest wait first on a click of its header: k1 waited 60 s.
    await page.click('[data-testid="contacts"] th[data-col="wait"] button');
    await expect
      .poll(async () => (await tableRows(page, "contacts"))[0]?.cells.contact, WAIT)
      .toBe("k1");
    expect((await tableRows(page, "contacts"))[0]?.cells.wait).toBe("1:00");
    // CSV: UTF-8 with a BOM, CRLF, one line per visit on the site's clock, the phone masked.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click('[data-testid="export-csv"]'),
    ]);
    const csv = await readFile((await download.path())!, "utf8");
    expect(csv.startsWith("\uFEFFContact,Queue,Channel,Outcome,Queued,Ended,Wait (s),")).toBe(true);
    const lines = csv.slice(1).trimEnd().split("\r\n");
    expect(lines).toHaveLength(7);
    expect(lines.find((l) => l.startsWith("b2,"))).toBe(
      "b2,cards,voice,abandoned,2026-11-02 09:04:00,2026-11-02 09:04:40,40,,false,,,138****5678",
    );
    expect(download.suggestedFilename()).toBe(`contacts-${site}-cards-offered-2026-11-02.csv`);
    await closeDesk(page);
  });

  it("shows full phone numbers only to a token granted them, and only when it asks", async () => {
    const q = { from: DAY, to: "2026-11-03", interval: "1h" };
    const row = rowOf(await api(reportQuery(q), ReportResponse), NINE);
    const path = `/contacts?site=${site}&drill=${encodeURIComponent(`${row.drill}&outcome=abandoned`)}`;
    const phoneOfB2 = async (page: Page) =>
      (await tableRows(page, "contacts")).find((r) => r.cells.contact === "b2")?.cells.phone;
    // qa without personal data: masked, and no way to ask.
    const plain = await openDesk(stack.browser, stack.server.url, path, qa, { ready: "contacts" });
    await plain.waitForSelector('[data-testid="contacts-count"][data-count="3"]');
    expect(await phoneOfB2(plain)).toBe("138****5678");
    expect(await plain.$('[data-testid="unmask"]')).toBeNull();
    await closeDesk(plain);
    const pii = (await storedToken(stack.h.ch, "qa", { sites: [site], pii: true })).token;
    const page = await openDesk(stack.browser, stack.server.url, path, pii, { ready: "contacts" });
    await page.waitForSelector('[data-testid="contacts-count"][data-count="3"]');
    expect(await phoneOfB2(page)).toBe("138****5678");
    await page.check('[data-testid="unmask"]');
    await expect.poll(() => phoneOfB2(page), WAIT).toBe("13812345678");
    await closeDesk(page);
  });

  it("refuses a drill link to anything but this site's contacts list", async () => {
    const page = await openDesk(
      stack.browser,
      stack.server.url,
      `/contacts?site=${site}&drill=${encodeURIComponent("/api/v1/tokens")}`,
      qa,
      { ready: "contacts" },
    );
    expect(await page.getAttribute('[data-testid="drill-refused"]', "data-reason")).toBe(
      "not_contacts",
    );
    expect(await page.$('[data-testid="contacts"]')).toBeNull();
    await page.goto(
      `/contacts?site=${site}&drill=${encodeURIComponent("/api/v1/contacts?site=elsewhere&queue=cards&from=2026-11-02&to=2026-11-03")}`,
    );
    await page.waitForSelector('[data-testid="drill-refused"][data-reason="other_site"]');
    await closeDesk(page);
  });

  it("marks a closed interval restated once a late event changes what was first published", async () => {
    const q = { from: DAY, to: "2026-11-03", interval: "1h", queue: "cards" };
    // Read once: the closed hours' figures are published (if no earlier read did).
    const before = await api(reportQuery(q), ReportResponse);
    expect(rowOf(before, TEN).restated).toBe(false);
    expect(rowOf(before, TEN).closed).toBe(true);
    await produceAll(stack.h.kafka, stack.h.config.topics, [
      queued({ site, at: at("10:30:00"), contact: "late1", queue: "cards" }),
      abandoned({ site, at: at("10:30:45"), contact: "late1", queue: "cards" }),
    ]);
    await waitForIngested(stack.h);
    const after = await api(reportQuery(q), ReportResponse);
    expect(rowOf(after, TEN)).toMatchObject({ restated: true, abandoned: 2, offered: 3 });
    expect(rowOf(after, NINE).restated).toBe(false);

    const page = await openDesk(
      stack.browser,
      stack.server.url,
      `/reports?site=${site}&from=${DAY}&to=2026-11-03&interval=1h&queue=cards`,
      qa,
      { ready: "reports" },
    );
    await reportShown(page, reportQuery(q), after);
    await expectTableEquals(page, after);
    const rows = await tableRows(page, "report");
    const ten = rows.find((r) => r.key === TEN)!;
    expect(ten.restated).toBe("true");
    expect(ten.cells.status).toBe("⟲ Restated");
    expect(ten.cells.abandoned).toBe("2");
    expect(rows.filter((r) => r.restated === "true").map((r) => r.key)).toEqual([TEN]);
    await closeDesk(page);
  });

  it("speaks Chinese after the language switch: headers, queue names, marks and formulas", async () => {
    const { page } = await openHourly();
    const header = (col: string) =>
      page.textContent(`[data-testid="report"] th[data-col="${col}"]`);
    expect(await header("queue")).toBe("Queue");
    expect(await header("service_level")).toBe("Service level");
    await page.click('[data-testid="lang-switch"]');
    await expect.poll(() => header("queue"), WAIT).toBe("队列");
    expect(await header("service_level")).toBe("服务水平");
    expect(await header("abandoned")).toBe("放弃");
    const nine = (await tableRows(page, "report")).find((r) => r.key === NINE)!;
    expect(nine.cells.queue).toBe("信用卡");
    expect(nine.cells.service_level).toBe("25.0%");
    expect(await page.textContent("h1")).toBe("时段报表");
    await page.hover(
      `[data-testid="report"] tr[data-key="${NINE}"] td[data-col="service_level"] .fig`,
    );
    const f = await page.waitForSelector('[data-testid="formula"][data-figure="service_level"]');
    expect(await f.textContent()).toContain("回拨与溢出不计入分子和分母");
    expect(await f.textContent()).toContain("第 1 版");
    // The choice of report stays in the address through the switch.
    expect(new URL(page.url()).searchParams.get("interval")).toBe("1h");
    await closeDesk(page);
  });

  it("asks before loading a report of more rows than a table holds, and shows the API's refusal", async () => {
    // A year by half hours of two queues: 35,040 rows (and more intervals than the API lists).
    const page = await openDesk(
      stack.browser,
      stack.server.url,
      `/reports?site=${site}&from=2026-01-01&to=2027-01-01&interval=30m`,
      qa,
    );
    await page.waitForSelector('[data-testid="too-many-rows"]');
    expect(await page.textContent('[data-testid="too-many-rows"]')).toContain("35,040");
    expect(await page.$('[data-testid="report"]')).toBeNull();
    await page.click('[data-testid="too-many-rows"] button');
    await page.waitForSelector('[data-testid="error"]');
    expect(await page.textContent('[data-testid="error"]')).toContain("choose a coarser interval");
    // A coarser interval is asked at once.
    await page.selectOption('[data-testid="report-interval"]', "1mo");
    await screenReady(page, "reports");
    await page.waitForSelector('[data-testid="report"][data-rows="24"]');
    await closeDesk(page);
  });

  it("shows a display token the forbidden panel for /reports, and the API refuses it the same", async () => {
    const display = await storedToken(stack.h.ch, "display", { sites: [site] });
    const page = await openDesk(
      stack.browser,
      stack.server.url,
      `/reports?site=${site}`,
      display.token,
    );
    await page.waitForSelector('[data-testid="forbidden"]');
    expect(await page.$('[data-screen="reports"]')).toBeNull();
    const res = await fetch(
      `${stack.server.url}/api/v1${reportQuery({ from: DAY, to: "2026-11-03", interval: "1h" })}`,
      {
        headers: bearer(display.token),
      },
    );
    expect(res.status).toBe(403);
    await closeDesk(page);
  });
});
