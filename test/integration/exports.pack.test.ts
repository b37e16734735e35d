// The monthly compliance pack end to end (issue #15): events through the real Kafka and ingest into
// the real ClickHouse, packs made by generatePack and by the API (POST /exports, GET /exports/:id,
// the list, the schedule), unzipped by the test's own reader. Byte-identical repeats, manifest
// hashes recomputed here, masking by role, a restated month naming the earlier pack.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApi, type ExportService, generatePack } from "@floorwatch/api";
import type { ExportList, ExportRecord } from "@floorwatch/contracts";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { loadAudit, runQuery } from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, refused, sendJson, storedToken, TEST_ADMIN_TOKEN } from "../support/api";
import { abandoned, answered, produceAll, queued, survey, wrappedUp } from "../support/events";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { defineQueues, defineSite } from "../support/sites";
import {
  checkedManifest,
  columnOf,
  csvOf,
  entryOf,
  manifestOf,
  readZip,
  sha256,
} from "../support/unzip";

/** Asia/Shanghai wall time (UTC+8, no daylight saving). */
const sh = (d: string, t: string) => Date.parse(`${d}T${t}+08:00`);
const site = "pack";
const MONTH = "2026-10";
/** The API's clock: the 2nd of the next month, noon, site time. */
const NOW = sh("2026-11-02", "12:00:00");
const PHONE = "13812345678";
const COMMENT = '客服态度差, "太慢"\n下次不来了';

describe("monthly compliance pack", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let api: ReturnType<typeof createApi>;
  let exportsSvc: ExportService;
  let dir: string;
  let now = NOW;
  const tokens: Record<string, string> = {};

  const pack = async (name: string, opts: { nowMs?: number; personalData?: boolean } = {}) => {
    const path = join(dir, `${name}.zip`);
    const made = await generatePack(
      h.ch,
      {
        site,
        month: MONTH,
        lang: "en",
        personalData: opts.personalData ?? false,
        nowMs: opts.nowMs ?? NOW,
      },
      { zipPath: path },
    );
    const bytes = await readFile(path);
    return { made, bytes, zip: readZip(bytes) };
  };

  /** Polls GET /exports/:id (as JSON) until the export is no longer queued or running. */
  const settled = async (id: string, token: string): Promise<ExportRecord> => {
    await exportsSvc.idle();
    const res = await api.app.request(`/api/v1/exports/${id}`, {
      headers: { ...bearer(token), accept: "application/json" },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as ExportRecord;
  };

  /** POST /exports as `token`. */
  const ask = (body: Record<string, unknown>, token = tokens.qa!) =>
    sendJson(api.app, "POST", "/api/v1/exports", body, bearer(token));
  /** The month's pack asked for by the API as qa, once no longer queued or running. */
  const made = async () => {
    const res = await ask({ site, month: MONTH });
    expect(res.status).toBe(202);
    return settled(((await res.json()) as ExportRecord).id, tokens.qa!);
  };
  /** GET /exports/:id as `token`: the zip. */
  const download = (id: string, token: string) =>
    api.app.request(`/api/v1/exports/${id}`, { headers: bearer(token) });

  beforeAll(async () => {
    h = await createHarness("exports_pack");
    dir = await mkdtemp(join(tmpdir(), "fw-pack-"));
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    await defineSite(h.ch, site, "Asia/Shanghai", "Pack centre 总部");
    await defineQueues(h.ch, site, [
      { queue: "cards", name_zh: "信用卡", name_en: "Cards" },
      // Defined after October, no October calls: in no October pack (a pack made again later
      // must list the same queues).
      { queue: "loans", name_zh: "贷款", name_en: "Loans", created_ms: NOW },
    ]);
    const d = "2026-10-15";
    const produced = await produceAll(h.kafka, h.config.topics, [
      // c1: answered after 10 s, handled, surveyed low with a comment (personal data).
      queued({
        site,
        at: sh(d, "09:00:00"),
        contact: "c1",
        queue: "cards",
        phone: PHONE,
        customer: "cust-1",
      }),
      answered({ site, at: sh(d, "09:00:10"), contact: "c1", queue: "cards", agent: "a-1" }),
      wrappedUp({
        site,
        at: sh(d, "09:05:10"),
        contact: "c1",
        queue: "cards",
        agent: "a-1",
        category: "fees",
      }),
      survey({
        site,
        at: sh(d, "09:30:00"),
        contact: "c1",
        queue: "cards",
        csat: 1,
        comment: COMMENT,
      }),
      // c2: abandoned after 40 s.
      queued({ site, at: sh(d, "10:00:00"), contact: "c2", queue: "cards", phone: "13900001111" }),
      abandoned({ site, at: sh(d, "10:00:40"), contact: "c2", queue: "cards" }),
      // A low score on the 2nd re-sent, still low, on the 5th (the survey tool corrects it): one
      // follow-up, judged by the latest response (follow-ups are read a few days at a time).
      survey({
        site,
        at: sh("2026-10-02", "10:00:00"),
        survey: "s-cor",
        contact: "c-gone",
        queue: "cards",
        csat: 1,
      }),
      survey({
        site,
        at: sh("2026-10-05", "09:00:00"),
        survey: "s-cor",
        contact: "c-gone",
        queue: "cards",
        csat: 2,
      }),
      // c3: September, not in the pack.
      queued({ site, at: sh("2026-09-30", "23:59:00"), contact: "c3", queue: "cards" }),
      answered({ site, at: sh("2026-09-30", "23:59:05"), contact: "c3", queue: "cards" }),
    ]);
    await waitForIngested(h, produced);
    api = createApi({
      ch: h.ch,
      log: h.log,
      adminToken: TEST_ADMIN_TOKEN,
      now: () => now,
      exports: { dir, schedule: { graceMs: 6 * 3_600_000, langs: ["en"], checkMs: 3_600_000 } },
    });
    exportsSvc = api.exports;
    tokens.qa = (await storedToken(h.ch, "qa", { sites: [site] })).token;
    tokens.qaPii = (await storedToken(h.ch, "qa", { sites: [site], pii: true })).token;
    tokens.supervisor = (await storedToken(h.ch, "supervisor", { sites: [site] })).token;
    tokens.display = (await storedToken(h.ch, "display", { sites: [site] })).token;
    tokens.otherSite = (await storedToken(h.ch, "qa", { sites: ["elsewhere"] })).token;
  });

  afterAll(async () => {
    await exportsSvc?.stop();
    await ingest?.stop();
    await h?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("makes the same bytes twice; another clock changes only generated_at in the manifest", async () => {
    const a = await pack("a");
    const b = await pack("b");
    expect(sha256(b.bytes)).toBe(sha256(a.bytes));
    expect(a.made.sha256).toBe(sha256(a.bytes));
    expect(a.made.bytes).toBe(a.bytes.length);

    const later = await pack("later", { nowMs: NOW + 86_400_000 });
    const names = a.zip.map((e) => e.name);
    expect(names).toEqual([
      "daily_queue_summary.csv",
      "interval_queue_summary.csv",
      "breaches.csv",
      "low_csat_followups.csv",
      "contacts.csv",
      "pii_access.csv",
      "summary.html",
      "manifest.json",
    ]);
    expect(later.zip.map((e) => e.name)).toEqual(names);
    for (const e of a.zip) {
      const other = entryOf(later.zip, e.name);
      // Fixed entry time, no host-dependent extra field.
      expect([other.dosDate, other.dosTime, other.extraLength]).toEqual([e.dosDate, e.dosTime, 0]);
      if (e.name !== "manifest.json") expect(sha256(other.data)).toBe(sha256(e.data));
    }
    const ma = manifestOf(a.zip);
    const ml = manifestOf(later.zip);
    expect(ml.generated_at).not.toBe(ma.generated_at);
    expect({ ...ml, generated_at: "" }).toEqual({ ...ma, generated_at: "" });
  });

  it("lists every file in the manifest with the hash and row count the test recomputes", async () => {
    const { zip } = await pack("hashes");
    const m = checkedManifest(zip);
    expect(m).toMatchObject({
      site,
      month: MONTH,
      tz: "Asia/Shanghai",
      lang: "en",
      personal_data: false,
    });
    expect(m.from).toBe("2026-10-01T00:00:00+08:00");
    expect(m.to).toBe("2026-11-01T00:00:00+08:00");
    expect(m.definitions).toEqual([
      expect.objectContaining({
        queue: "cards",
        version: 1,
        sl_threshold_s: 20,
        short_abandon_s: 5,
        sl_target: 0.8,
      }),
    ]);
    expect(m.rules.length).toBeGreaterThan(0);
    expect(m.restated).toBeNull();
    // 31 days of one queue; the day of the calls holds them.
    const daily = csvOf(zip, "daily_queue_summary.csv");
    expect(daily[0]!.slice(0, 2)).toEqual(["date", "queue"]);
    expect(daily.length - 1).toBe(31);
    const day = daily.find((r) => r[0] === "2026-10-15")!;
    expect(Number(day[daily[0]!.indexOf("offered")])).toBe(2);
    expect(Number(day[daily[0]!.indexOf("answered")])).toBe(1);
    expect(Number(day[daily[0]!.indexOf("abandoned")])).toBe(1);
    const followups = csvOf(zip, "low_csat_followups.csv");
    const corrected = followups.slice(1).filter((r) => r[0] === "s-cor");
    expect(corrected.map((r) => r[followups[0]!.indexOf("csat")])).toEqual(["2"]);
    expect(corrected[0]![followups[0]!.indexOf("surveyed_at")]).toBe("2026-10-05T09:00:00+08:00");
    // c3 started in September: only c1 and c2 are the month's contacts.
    expect(columnOf(csvOf(zip, "contacts.csv"), "contact_id")).toEqual(["c1", "c2"]);
  });

  it("masks phone numbers and leaves comments out unless made with personal data", async () => {
    const masked = await pack("masked");
    const contacts = csvOf(masked.zip, "contacts.csv");
    expect(columnOf(contacts, "customer_phone")[0]).toBe("138****5678");
    expect(columnOf(contacts, "comment")).toEqual(["", ""]);
    for (const e of masked.zip) {
      expect(e.data.includes(Buffer.from(PHONE)), e.name).toBe(false);
      expect(e.data.includes(Buffer.from("太慢")), e.name).toBe(false);
    }
    const full = await pack("full", { personalData: true });
    const fullContacts = csvOf(full.zip, "contacts.csv");
    expect(columnOf(fullContacts, "customer_phone")[0]).toBe(PHONE);
    expect(columnOf(fullContacts, "comment")[0]).toBe(COMMENT);
    expect(manifestOf(full.zip).personal_data).toBe(true);
  });

  it("POST /exports makes a pack for qa; the record, then the zip; each step audited", async () => {
    const res = await ask({ site, month: MONTH });
    expect(res.status).toBe(202);
    const asked = (await res.json()) as ExportRecord;
    expect(asked).toMatchObject({
      site,
      month: MONTH,
      lang: "en",
      personal_data: false,
      trigger: "api",
    });
    expect(res.headers.get("location")).toBe(`/api/v1/exports/${asked.id}`);
    const done = await settled(asked.id, tokens.qa!);
    expect(done.status).toBe("done");
    expect(done.download).toBe(`/api/v1/exports/${asked.id}`);

    const dl = await download(asked.id, tokens.qa!);
    expect(dl.status).toBe(200);
    expect(dl.headers.get("content-type")).toBe("application/zip");
    expect(dl.headers.get("content-disposition")).toContain(`floorwatch_${site}_${MONTH}_en.zip`);
    const bytes = Buffer.from(await dl.arrayBuffer());
    expect(sha256(bytes)).toBe(done.sha256);
    expect(bytes.length).toBe(done.bytes);
    // The API's pack is the library's pack: same data files.
    const direct = await pack("direct");
    const viaApi = readZip(bytes);
    for (const e of direct.zip)
      if (e.name !== "manifest.json")
        expect(sha256(entryOf(viaApi, e.name).data), e.name).toBe(sha256(e.data));

    const audit = await runQuery(h.ch, loadAudit, {
      from_ms: NOW - 1,
      to_ms: NOW + 1,
      sites: [site],
      actions: ["export"],
      limit: 100,
    });
    const mine = audit.filter((a) => a.target === asked.id);
    expect(
      mine
        .map((a) => JSON.parse(a.detail))
        .sort((x, y) => Number(!!x.download) - Number(!!y.download)),
    ).toEqual([
      { month: MONTH, lang: "en", personal_data: false },
      { month: MONTH, lang: "en", personal_data: false, download: true },
    ]);
    expect(mine.every((a) => a.actor_role === "qa")).toBe(true);
  });

  it("refuses roles without export, other sites, personal data without the grant, open months", async () => {
    await refused(ask({ site, month: MONTH }, tokens.supervisor!), 403);
    await refused(ask({ site, month: MONTH }, tokens.display!), 403);
    await refused(ask({ site, month: MONTH }, tokens.otherSite!), 403);
    const pii = await refused(ask({ site, month: MONTH, personal_data: true }), 403);
    expect(JSON.stringify(pii)).toContain("personal_data");
    const open = await refused(ask({ site, month: "2026-11" }), 400);
    expect(JSON.stringify(open)).toContain("month");
    const bad = await refused(ask({ site, month: "2026-13", lang: "fr" }), 400);
    expect(JSON.stringify(bad)).toContain("lang");
    await refused(
      api.app.request(`/api/v1/exports?site=${site}`, { headers: bearer(tokens.supervisor!) }),
      403,
    );
    await refused(
      api.app.request("/api/v1/exports/not-an-id", { headers: bearer(tokens.qa!) }),
      400,
    );
    await refused(
      api.app.request("/api/v1/exports/00000000-0000-4000-8000-000000000000", {
        headers: bearer(tokens.qa!),
      }),
      404,
    );
  });

  it("a pii-granted token's pack holds personal data and only pii-granted tokens download it", async () => {
    const res = await ask({ site, month: MONTH }, tokens.qaPii!);
    expect(res.status).toBe(202);
    const asked = (await res.json()) as ExportRecord;
    expect(asked.personal_data).toBe(true);
    const done = await settled(asked.id, tokens.qaPii!);
    expect(done.file_name).toBe(`floorwatch_${site}_${MONTH}_en_pii.zip`);
    await refused(download(asked.id, tokens.qa!), 403);
    const dl = await download(asked.id, tokens.qaPii!);
    expect(dl.status).toBe(200);
    const zip = readZip(Buffer.from(await dl.arrayBuffer()));
    expect(columnOf(csvOf(zip, "contacts.csv"), "customer_phone")[0]).toBe(PHONE);
  });

  it("GET /exports?site= lists the site's packs, newest first", async () => {
    const res = await api.app.request(`/api/v1/exports?site=${site}`, {
      headers: bearer(tokens.qa!),
    });
    expect(res.status).toBe(200);
    const list = (await res.json()) as ExportList;
    expect(list.exports.length).toBeGreaterThanOrEqual(2);
    const times = list.exports.map((e) => e.requested_at);
    expect(times).toEqual([...times].sort().reverse());
    expect(list.exports.every((e) => e.site === site && e.status === "done")).toBe(true);
  });

  it("makes last month's pack by itself after the 1st's midnight plus the grace, once", async () => {
    // 03:00 on the 1st: within the 6 h grace, nothing yet.
    now = sh("2026-11-01", "03:00:00");
    expect(await exportsSvc.scheduleNow()).toEqual([]);
    now = sh("2026-11-01", "06:00:01");
    const made = await exportsSvc.scheduleNow();
    expect(made).toHaveLength(1);
    expect(await exportsSvc.scheduleNow()).toEqual([]);
    now = NOW;
    const done = await settled(made[0]!, tokens.qa!);
    expect(done).toMatchObject({
      status: "done",
      trigger: "schedule",
      month: MONTH,
      personal_data: false,
    });
    expect(await exportsSvc.scheduleNow()).toEqual([]);
  });

  it("a month restated after a pack says so, naming the earlier pack and its hashes", async () => {
    const before = await pack("before-late");
    // Recorded as the API records packs, so the next one can compare with it. Each later request a
    // second later: "the latest earlier pack" is by request time.
    now = NOW + 10_000;
    const first = await made();
    expect(first.restated).toBe(false);

    // A call of the 20th arrives late.
    const produced = await produceAll(h.kafka, h.config.topics, [
      queued({ site, at: sh("2026-10-20", "11:00:00"), contact: "late-1", queue: "cards" }),
      abandoned({ site, at: sh("2026-10-20", "11:01:00"), contact: "late-1", queue: "cards" }),
    ]);
    await waitForIngested(h, produced);

    now = NOW + 20_000;
    const second = await made();
    expect(second.restated).toBe(true);
    const zip = readZip(await readFile(join(dir, site, MONTH, `${second.id}.zip`)));
    const m = manifestOf(zip);
    expect(m.restated).toMatchObject({ earlier_id: first.id });
    expect(m.restated!.changed).toEqual(
      expect.arrayContaining(["contacts.csv", "daily_queue_summary.csv"]),
    );
    expect(m.restated!.earlier_files.find((f) => f.name === "contacts.csv")!.sha256).toBe(
      before.made.manifest.files.find((f) => f.name === "contacts.csv")!.sha256,
    );
    // The day's row says it was restated after its first publication.
    const daily = csvOf(zip, "daily_queue_summary.csv");
    const day20 = daily.find((r) => r[0] === "2026-10-20")!;
    expect(day20[daily[0]!.indexOf("restated")]).toBe("true");
    expect(day20[daily[0]!.indexOf("abandoned")]).toBe("1");

    // Made again, unchanged: the same data and the same restatement (only generated_at differs).
    now = NOW + 30_000;
    const third = await made();
    const zip3 = readZip(await readFile(join(dir, site, MONTH, `${third.id}.zip`)));
    const m3 = manifestOf(zip3);
    expect({ ...m3, generated_at: "" }).toEqual({ ...m, generated_at: "" });
  });
});
