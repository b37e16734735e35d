// The monthly packs screen (issue #15) in a real Chromium against the real API, over events produced
// to the real Kafka and ingested into ClickHouse: a QA token asks for last month's pack and watches
// it go from queued to done; the download saves exactly the zip the API recorded (its SHA-256
// recomputed here), checked in the page; a second request lists first; the personal-data choice
// appears only for a granted token and is sent explicitly; a supervisor neither sees the screen nor
// is answered by the API; the headers follow the language switch. The API's clock and the page's
// are pinned to 5 November 2026 in Shanghai, so "last month" is October whatever the date.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningServer } from "@floorwatch/api";
import { ExportList, ExportRecord, PackManifest } from "@floorwatch/contracts";
import { type RunningIngest, startIngest } from "@floorwatch/ingest";
import { EXPORTS_TABLE, type ExportRow, insertRows } from "@floorwatch/sql";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, seenSites, storedToken } from "../support/api";
import { launchBrowser, startWallboardServer, watchPageErrors } from "../support/browser";
import { closeDesk, type DeskLang, deskUrl, screenReady } from "../support/desk";
import { abandoned, answered, produceAll, queued, wrappedUp } from "../support/events";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { manifestOf, readZip, sha256 } from "../support/unzip";

/** Asia/Shanghai wall time (UTC+8, no daylight saving): the seen sites' zone. */
const sh = (d: string, t: string) => Date.parse(`${d}T${t}+08:00`);
/** The API's and the page's clock: 5 November 2026, 10:00 in Shanghai. */
const NOW = sh("2026-11-05", "10:00:00");
/** How long a poll waits for what the page shows (a pack is made in seconds). Only a bound. */
const WAIT = { timeout: 30_000 };

describe("monthly packs screen", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let server: RunningServer;
  let browser: Browser;
  let dir: string;
  let now = NOW;
  /** One site per test, so no test reads another's packs. */
  const site = (name: string) => `${name}-${h.id}`.replaceAll("_", "-");
  const tokens = { qa: "", qaPii: "", supervisor: "" };

  const api = async (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v1${path}`, {
      ...init,
      headers: { ...bearer(token), ...(init.headers as Record<string, string> | undefined) },
    });
  const listOf = async (s: string, token = tokens.qa) => {
    const res = await api(`/exports?site=${s}`, token);
    expect(res.status).toBe(200);
    return ExportList.parse(await res.json()).exports;
  };
  const post = (token: string, body: Record<string, unknown>) =>
    api("/exports", token, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  /** The pack's record once it is no longer queued or running. */
  const settled = async (id: string): Promise<ExportRecord> => {
    let record: ExportRecord | undefined;
    await expect
      .poll(async () => {
        const res = await api(`/exports/${id}`, tokens.qa, {
          headers: { accept: "application/json" },
        });
        record = ExportRecord.parse(await res.json());
        return record.status;
      }, WAIT)
      .toMatch(/^(done|failed)$/);
    return record!;
  };
  /** October's pack of `s` in English, asked for by the API as QA, once made (or failed). */
  const made = async (s: string) => {
    const res = await post(tokens.qa, { site: s, month: "2026-10", lang: "en" });
    expect(res.status).toBe(202);
    return settled(ExportRecord.parse(await res.json()).id);
  };

  /** The screen opened as `token`, the page's clock pinned to NOW (its default month is October). */
  const open = async (
    path: string,
    token: string,
    opts: { lang?: DeskLang; before?: (page: Page) => Promise<unknown>; clipboard?: boolean } = {},
  ): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1800, height: 1000 } });
    if (opts.clipboard)
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    const page = await context.newPage();
    await opts.before?.(page);
    await page.clock.setFixedTime(NOW);
    await page.goto(`${server.url}${deskUrl(server.url, path, token, opts.lang)}`);
    return page;
  };
  const rowsShown = (page: Page) =>
    page.$$eval('[data-testid="packs"] tbody tr[data-id]', (trs) =>
      trs.map((tr) => ({
        id: tr.getAttribute("data-id"),
        status: tr.getAttribute("data-status"),
        month: tr.getAttribute("data-month"),
        lang: tr.getAttribute("data-lang"),
        personal: tr.getAttribute("data-personal"),
        cells: Object.fromEntries(
          [...tr.querySelectorAll("td[data-col]")].map((td) => [
            td.getAttribute("data-col"),
            td.textContent?.trim() ?? "",
          ]),
        ),
        sha256: tr.querySelector("[data-sha256]")?.getAttribute("data-sha256") ?? null,
      })),
    );
  const headers = (page: Page) =>
    page.$$eval('[data-testid="packs"] thead th', (ths) =>
      ths.map((th) => th.textContent?.trim() ?? ""),
    );
  /** The POST /exports bodies the page sends. */
  const askedBodies = (page: Page) => {
    const bodies: unknown[] = [];
    page.on("request", (req) => {
      if (req.method() === "POST" && new URL(req.url()).pathname === "/api/v1/exports")
        bodies.push(req.postDataJSON());
    });
    return bodies;
  };
  /** Records every status each pack row shows, from now on, in the order shown. */
  const watchStatuses = (page: Page) =>
    page.evaluate(() => {
      const seen: Record<string, string[]> = {};
      const note = (tr: Element) => {
        const id = tr.getAttribute("data-id");
        const status = tr.getAttribute("data-status");
        if (!id || !status) return;
        const list = (seen[id] ??= []);
        if (list.at(-1) !== status) list.push(status);
      };
      const table = document.querySelector('[data-testid="packs"]');
      if (!table) throw new Error("no pack table");
      table.querySelectorAll("tr[data-id]").forEach(note);
      new MutationObserver((changes) => {
        for (const ch of changes) {
          if (ch.target instanceof Element && ch.target.matches("tr[data-id]")) note(ch.target);
          for (const n of ch.addedNodes)
            if (n instanceof Element) {
              if (n.matches("tr[data-id]")) note(n);
              n.querySelectorAll("tr[data-id]").forEach(note);
            }
        }
      }).observe(table, { subtree: true, childList: true, attributes: true });
      (window as unknown as { packStatuses: typeof seen }).packStatuses = seen;
    });
  const statusesSeen = (page: Page) =>
    page.evaluate(
      () => (window as unknown as { packStatuses: Record<string, string[]> }).packStatuses,
    );

  beforeAll(async () => {
    h = await createHarness("desk_exports");
    dir = await mkdtemp(join(tmpdir(), "fw-desk-exports-"));
    const all = ["flow", "dl", "pii", "kinds", "lang", "deny"].map(site);
    await seenSites(h.ch, all);
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    server = await startWallboardServer(h, { now: () => now, exports: { dir } });
    browser = await launchBrowser();
    tokens.qa = (await storedToken(h.ch, "qa", { sites: all, name: "李质检" })).token;
    tokens.qaPii = (await storedToken(h.ch, "qa", { sites: all, name: "王审计", pii: true })).token;
    tokens.supervisor = (await storedToken(h.ch, "supervisor", { sites: all })).token;
    // A few contacts of October for each site: answered and handled, abandoned, one with a phone.
    const d = "2026-10-15";
    await produceAll(
      h.kafka,
      h.config.topics,
      all.flatMap((s) => [
        queued({
          site: s,
          at: sh(d, "09:00:00"),
          contact: "c1",
          queue: "cards",
          phone: "13812345678",
        }),
        answered({ site: s, at: sh(d, "09:00:12"), contact: "c1", queue: "cards", agent: "a1" }),
        wrappedUp({ site: s, at: sh(d, "09:04:12"), contact: "c1", queue: "cards", agent: "a1" }),
        queued({ site: s, at: sh(d, "10:00:00"), contact: "c2", queue: "cards" }),
        abandoned({ site: s, at: sh(d, "10:00:45"), contact: "c2", queue: "cards" }),
      ]),
    );
    await waitForIngested(h);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await ingest?.stop();
    await h?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("asks for last month as a QA token: the row shows queued, then done, with who, when and the recorded hash; a second request lists first", async () => {
    const s = site("flow");
    now = NOW;
    const page = await open(`/exports?site=${s}`, tokens.qa);
    const bodies = askedBodies(page);
    await screenReady(page, "exports");
    // The months offered end with those the site's calendar has closed: October first, no November.
    const months = await page.$$eval('[data-testid="ask-month"] option', (os) =>
      os.map((o) => (o as HTMLOptionElement).value),
    );
    expect(months.slice(0, 2)).toEqual(["2026-10", "2026-09"]);
    expect(months).not.toContain("2026-11");
    expect(await page.inputValue('[data-testid="ask-month"]')).toBe("2026-10");
    expect(await page.inputValue('[data-testid="ask-lang"]')).toBe("en"); // the screen's language
    expect(await page.$('[data-testid="ask-personal"]')).toBeNull(); // not granted personal data
    expect(await page.getAttribute('[data-testid="packs"]', "data-rows")).toBe("0");

    await watchStatuses(page);
    await page.click('[data-testid="ask"]');
    await page.waitForSelector('[data-testid="packs"] tr[data-status="done"]', WAIT);
    const [first] = await listOf(s);
    expect(first).toMatchObject({ month: "2026-10", lang: "en", status: "done", trigger: "api" });
    const seen = (await statusesSeen(page))[first!.id]!;
    // Shown as the POST answered it (queued), followed until done, never back.
    expect(seen[0]).toBe("queued");
    expect(seen.at(-1)).toBe("done");
    expect(seen.filter((x) => !["queued", "running"].includes(x))).toEqual(["done"]);
    // The screen asked explicitly for a pack without personal data.
    expect(bodies).toEqual([{ site: s, month: "2026-10", lang: "en", personal_data: false }]);

    const [row] = await rowsShown(page);
    expect(row).toMatchObject({ id: first!.id, month: "2026-10", lang: "en", personal: "false" });
    expect(row!.cells).toMatchObject({
      month: "2026-10",
      lang: "English",
      personal: "Masked",
      status: "✓ Ready",
      asked_by: "李质检",
      asked_at: "2026-11-05 10:00:00", // NOW on Shanghai's clock
      trigger: "Asked",
      restated: "–",
    });
    // Its size in kB to three figures, its hash short on screen and whole for copying.
    const kb = Number(/^([\d.]+) kB$/.exec(row!.cells.size!)?.[1]);
    expect(Math.abs(kb * 1000 - first!.bytes!)).toBeLessThan(first!.bytes! * 0.01);
    expect(row!.sha256).toBe(first!.sha256);
    expect(row!.cells.sha256).toContain(first!.sha256!.slice(0, 12));
    expect(row!.cells.sha256).not.toContain(first!.sha256!.slice(12));

    // A minute later, September in Chinese: listed first, the API's order.
    now = NOW + 60_000;
    await page.selectOption('[data-testid="ask-month"]', "2026-09");
    expect(new URL(page.url()).searchParams.get("month")).toBe("2026-09");
    await page.selectOption('[data-testid="ask-lang"]', "zh-CN");
    await page.click('[data-testid="ask"]');
    await page.waitForSelector('[data-testid="packs"][data-rows="2"]');
    await expect
      .poll(async () => (await rowsShown(page)).map((r) => r.status), WAIT)
      .toEqual(["done", "done"]);
    const listed = await listOf(s);
    expect(listed.map((r) => [r.month, r.lang])).toEqual([
      ["2026-09", "zh-CN"],
      ["2026-10", "en"],
    ]);
    const shown = await rowsShown(page);
    expect(shown.map((r) => r.id)).toEqual(listed.map((r) => r.id));
    expect(shown.map((r) => r.cells.asked_at)).toEqual([
      "2026-11-05 10:01:00",
      "2026-11-05 10:00:00",
    ]);
    expect(bodies[1]).toEqual({ site: s, month: "2026-09", lang: "zh-CN", personal_data: false });
    await closeDesk(page);
  });

  it("downloads exactly the zip the API recorded, its SHA-256 checked in the page", async () => {
    const s = site("dl");
    now = NOW;
    const record = await made(s);
    expect(record.status).toBe("done");

    let violations: string[] = [];
    const page = await open(`/exports?site=${s}`, tokens.qa, {
      before: async (p) => {
        violations = await watchPageErrors(p);
      },
      clipboard: true,
    });
    await screenReady(page, "exports");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click(`tr[data-id="${record.id}"] [data-testid="download"]`),
    ]);
    expect(download.suggestedFilename()).toBe(record.file_name);
    const saved = await readFile((await download.path())!);
    expect(sha256(saved)).toBe(record.sha256);
    // The same bytes the API serves, and a pack: its manifest names the site and month.
    const direct = Buffer.from(await (await api(`/exports/${record.id}`, tokens.qa)).arrayBuffer());
    expect(saved.equals(direct)).toBe(true);
    const manifest = PackManifest.parse(manifestOf(readZip(saved)));
    expect(manifest).toMatchObject({ site: s, month: "2026-10", personal_data: false });
    // The page says it checked, in words, not colour alone.
    const check = `tr[data-id="${record.id}"] [data-testid="download-check"]`;
    await page.waitForSelector(`${check}[data-check="verified"]`);
    expect(await page.textContent(check)).toBe("✓ Verified: SHA-256 matches");
    // Copy puts the whole hash on the clipboard, though the row shows 12 digits of it.
    await page.click(`tr[data-id="${record.id}"] [data-testid="copy-sha"]`);
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(record.sha256);
    expect(await page.textContent(`tr[data-id="${record.id}"] [data-testid="copy-sha"]`)).toBe(
      "Copied",
    );
    expect(violations).toEqual([]); // fetched, hashed, saved and copied under the page's CSP

    // Bytes that are not the pack (one flipped on the way) are refused in the page: not saved.
    const tampered = Buffer.from(saved);
    tampered[tampered.length - 1]! ^= 0xff;
    await page.route(`**/api/v1/exports/${record.id}`, (route) =>
      route.fulfill({ status: 200, contentType: "application/zip", body: tampered }),
    );
    // Saving makes an object URL before the page says anything: counted, none may be made.
    await page.evaluate(() => {
      const made = URL.createObjectURL.bind(URL);
      const w = window as unknown as { objectUrls: number };
      w.objectUrls = 0;
      URL.createObjectURL = (o: Blob | MediaSource) => {
        w.objectUrls++;
        return made(o);
      };
    });
    await page.click(`tr[data-id="${record.id}"] [data-testid="download"]`);
    await page.waitForSelector(`${check}[data-check="mismatch"]`);
    const said = await page.textContent(check);
    expect(said).toContain(sha256(tampered));
    expect(said).toContain(record.sha256!);
    expect(said).toMatch(/^✗ Not saved/);
    expect(
      await page.evaluate(() => (window as unknown as { objectUrls: number }).objectUrls),
    ).toBe(0);
    await closeDesk(page);
  });

  it("offers personal data only to a granted token, unticked, and marks the pack that has it", async () => {
    const s = site("pii");
    now = NOW;
    const plain = await open(`/exports?site=${s}`, tokens.qa);
    await screenReady(plain, "exports");
    expect(await plain.$('[data-testid="ask-personal"]')).toBeNull();
    await closeDesk(plain);

    const page = await open(`/exports?site=${s}`, tokens.qaPii);
    const bodies = askedBodies(page);
    await screenReady(page, "exports");
    const box = page.locator('[data-testid="ask-personal"]');
    expect(await box.isChecked()).toBe(false); // least exposure
    // Reachable by its label.
    expect(
      await page.getByLabel("Include personal data (phone numbers, survey comments)").count(),
    ).toBe(1);
    await box.check();
    await page.click('[data-testid="ask"]');
    await page.waitForSelector('[data-testid="packs"] tr[data-status="done"]', WAIT);
    expect(bodies).toEqual([{ site: s, month: "2026-10", lang: "en", personal_data: true }]);
    const [row] = await rowsShown(page);
    expect(row).toMatchObject({ personal: "true" });
    expect(row!.cells.personal).toBe("⚠ Personal data");
    expect(await box.isChecked()).toBe(false); // not left ticked for the next pack
    const [record] = await listOf(s);
    expect(record).toMatchObject({ personal_data: true, status: "done" });
    expect(record!.file_name).toMatch(/_pii\.zip$/);
    await closeDesk(page);

    // A token without the grant sees the pack, marked, and cannot download it; nor would the API.
    const other = await open(`/exports?site=${s}`, tokens.qa);
    await screenReady(other, "exports");
    const button = other.locator(`tr[data-id="${record!.id}"] [data-testid="download"]`);
    expect(await button.isDisabled()).toBe(true);
    expect(await button.getAttribute("title")).toBe(
      "Only a token granted personal data downloads this pack.",
    );
    expect((await api(`/exports/${record!.id}`, tokens.qa)).status).toBe(403);
    await closeDesk(other);
  });

  it("shows scheduled and command-line packs, a failed one with its error, a restated one marked, and one still being made", async () => {
    const s = site("kinds");
    now = NOW;
    // Records as the schedule, the command line and another process write them (service.ts).
    const base: ExportRow = {
      export_id: "",
      site: s,
      month: "2026-10",
      lang: "zh-CN",
      personal_data: 0,
      status: "done",
      trigger: "schedule",
      requested_by_id: "schedule",
      requested_by: "floorwatch (schedule)",
      requested_ms: 0,
      finished_ms: 0,
      error: "",
      bytes: 0,
      sha256: "",
      path: "",
      manifest: "",
      restated: 0,
      updated_ms: 0,
    };
    const ids = {
      scheduled: "11111111-1111-5111-a111-111111111111",
      failed: "22222222-2222-4222-8222-222222222222",
      running: "33333333-3333-4333-8333-333333333333",
    };
    await insertRows(h.ch, EXPORTS_TABLE, [
      {
        ...base,
        export_id: ids.scheduled,
        requested_ms: sh("2026-11-02", "02:00:00"),
        finished_ms: sh("2026-11-02", "02:00:09"),
        bytes: 2_345_678,
        sha256: "ab".repeat(32),
        path: `${s}/2026-10/${ids.scheduled}.zip`,
        restated: 1,
        updated_ms: sh("2026-11-02", "02:00:09"),
      },
      {
        ...base,
        export_id: ids.failed,
        lang: "en",
        status: "failed",
        trigger: "cli",
        requested_by_id: "cli",
        requested_by: "ops (command line)",
        requested_ms: sh("2026-11-03", "08:30:00"),
        finished_ms: sh("2026-11-03", "08:31:00"),
        error: "ClickHouse refused: memory limit exceeded",
        updated_ms: sh("2026-11-03", "08:31:00"),
      },
      {
        // Rewritten by its process a moment ago (NOW): being made elsewhere, not interrupted.
        ...base,
        export_id: ids.running,
        status: "running",
        trigger: "api",
        requested_by_id: "qa-2",
        requested_by: "张质检",
        requested_ms: sh("2026-11-04", "17:45:30"),
        updated_ms: NOW,
      },
    ]);
    const page = await open(`/exports?site=${s}`, tokens.qa);
    await screenReady(page, "exports");
    const rows = await rowsShown(page);
    expect(rows.map((r) => r.id)).toEqual([ids.running, ids.failed, ids.scheduled]);
    const [running, failed, scheduled] = rows;
    expect(scheduled!.cells).toMatchObject({
      lang: "中文 · Chinese",
      status: "✓ Ready",
      asked_by: "floorwatch (schedule)",
      asked_at: "2026-11-02 02:00:00",
      trigger: "Scheduled",
      restated: "⟲ Restated",
      size: "2.35 MB",
    });
    expect(
      await page.getAttribute(`tr[data-id="${ids.scheduled}"] .pack-restated`, "title"),
    ).toContain("earlier pack");
    expect(failed!.cells).toMatchObject({
      status: "✗ Failed: ClickHouse refused: memory limit exceeded",
      asked_by: "ops (command line)",
      asked_at: "2026-11-03 08:30:00",
      trigger: "Command line",
      restated: "–",
      size: "–",
      sha256: "–",
    });
    expect(running!.cells).toMatchObject({
      status: "◔ Being made",
      asked_at: "2026-11-04 17:45:30",
    });
    for (const id of [ids.failed, ids.running])
      expect(await page.isDisabled(`tr[data-id="${id}"] [data-testid="download"]`)).toBe(true);
    // Followed while one is being made: the list is asked again, and says so.
    expect(await page.textContent('[data-testid="polling"]')).toContain("every few seconds");
    let lists = 0;
    page.on("requestfinished", (req) => {
      if (new URL(req.url()).pathname === "/api/v1/exports") lists++;
    });
    await expect.poll(() => lists, WAIT).toBeGreaterThan(1);
    await closeDesk(page);
  });

  it("neither shows a supervisor the screen nor answers it", async () => {
    const s = site("deny");
    const page = await open(`/exports?site=${s}`, tokens.supervisor);
    await page.waitForSelector('[data-testid="forbidden"]');
    expect(await page.$('[data-screen="exports"]')).toBeNull();
    const nav = await page.$$eval(".desk-nav [data-nav]", (els) =>
      els.map((e) => e.getAttribute("data-nav")),
    );
    expect(nav).not.toContain("exports");
    expect(nav).toContain("reports");
    expect((await api(`/exports?site=${s}`, tokens.supervisor)).status).toBe(403);
    expect((await post(tokens.supervisor, { site: s, month: "2026-10" })).status).toBe(403);
    expect(await listOf(s)).toEqual([]);
    await closeDesk(page);
  });

  it("says everything again in Chinese when the language is switched, the pack's language with it", async () => {
    const s = site("lang");
    now = NOW;
    await made(s);
    const page = await open(`/exports?site=${s}`, tokens.qa);
    await screenReady(page, "exports");
    expect(await headers(page)).toEqual([
      "Month",
      "Language",
      "Personal data",
      "Status",
      "Asked by",
      "Asked at",
      "How",
      "Restated",
      "Size",
      "SHA-256",
      "Download",
    ]);
    expect(await page.inputValue('[data-testid="ask-lang"]')).toBe("en");
    await page.click('[data-testid="lang-switch"]');
    await expect
      .poll(() => headers(page))
      .toEqual([
        "月份",
        "语言",
        "个人信息",
        "状态",
        "申请人",
        "申请时间",
        "方式",
        "重述",
        "大小",
        "SHA-256",
        "下载",
      ]);
    const [row] = await rowsShown(page);
    expect(row!.cells).toMatchObject({
      personal: "已脱敏",
      status: "✓ 已完成",
      trigger: "手动申请",
    });
    expect(await page.textContent("h1")).toBe("月度合规数据包");
    // Not chosen by hand, the pack's language follows the screen's.
    expect(await page.inputValue('[data-testid="ask-lang"]')).toBe("zh-CN");
    await closeDesk(page);
  });
});
