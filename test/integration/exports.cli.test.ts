// `npm run export` as an operator runs it (issue #15, docs/exports.md): a child process pointed at
// this file's ClickHouse database by the same variables the services read (sql/src/env.ts), over
// events that went through the real Kafka and ingest. A zip and a directory of the same bytes, the
// Chinese headers over the same rows, personal data only with --pii and audited under the
// operator's name, every run recorded as an export so a later run of a restated month says so, and
// bad input refused naming the option. The CLI's clock is the real one (Date.now()): the months
// are long past, and "not yet ended" is the month the test runs in.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PackManifest } from "@floorwatch/contracts";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { type ExportRow, loadAudit, loadExports, runQuery } from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTACTS_COLUMNS } from "../../api/src/exports/contacts";
import {
  DAILY_QUEUE_SUMMARY_COLUMNS,
  INTERVAL_QUEUE_SUMMARY_COLUMNS,
} from "../../api/src/exports/queue-summary";
import type { Column } from "../../api/src/exports/types";
import { abandoned, answered, produceAll, queued, wrappedUp } from "../support/events";
import { childEnv, clickhouseEnv } from "../support/env";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { defineQueues, defineSite } from "../support/sites";
import {
  checkedManifest,
  columnOf,
  csvOf,
  manifestOf,
  parseCsv,
  readZip,
  sha256,
  type ZipEntry,
} from "../support/unzip";

const root = join(import.meta.dirname, "../..");
/** Asia/Shanghai wall time (UTC+8, no daylight saving). */
const sh = (d: string, t: string) => Date.parse(`${d}T${t}+08:00`);
const site = "cli-site";
const MONTH = "2026-10";
const OPERATOR = "ops-li";
const PHONE = "13812345678";

const zh = (columns: readonly Column[]) => columns.map((c) => c.zh);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe("npm run export", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let dir: string;
  /** Each run's start, so the audit entries can be read from it on. */
  const started = Date.now();

  /**
   * Runs the command as an operator types it. --silent keeps npm's banner (which repeats the
   * arguments) out of stdout, so what the test reads there is the CLI's own.
   */
  const cli = (args: string[]): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn("npm", ["run", "--silent", "export", "--", ...args], {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
        env: childEnv({
          ...clickhouseEnv(h.clickhouse),
          USER: OPERATOR,
          LOG_LEVEL: "warn",
        }),
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.once("error", reject);
      child.once("close", (code) => resolve({ code, stdout, stderr }));
    });

  /** A run that must succeed; its output shown when it did not. */
  const ok = async (args: string[]): Promise<Run> => {
    const run = await cli(args);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    return run;
  };

  const exportsOfMonth = (month = MONTH) => runQuery(h.ch, loadExports, { site, month });
  /** The export recorded with this zip's SHA-256. */
  const recordOf = async (hash: string): Promise<ExportRow> => {
    const rec = (await exportsOfMonth()).find((e) => e.sha256 === hash);
    if (!rec) throw new Error(`no export recorded with sha256 ${hash}`);
    return rec;
  };
  const auditSinceStart = () =>
    runQuery(h.ch, loadAudit, {
      from_ms: started - 1,
      to_ms: Date.now() + 60_000,
      sites: [site],
      actions: ["export"],
      limit: 1_000,
    });

  const zips: Record<string, { bytes: Buffer; zip: ZipEntry[]; stdout: string }> = {};
  const runZip = async (name: string, extra: string[] = []) => {
    const out = join(dir, `${name}.zip`);
    const run = await ok(["--site", site, "--month", MONTH, "--out", out, ...extra]);
    const bytes = await readFile(out);
    zips[name] = { bytes, zip: readZip(bytes), stdout: run.stdout };
    return zips[name]!;
  };

  beforeAll(async () => {
    h = await createHarness("exports_cli");
    dir = await mkdtemp(join(tmpdir(), "fw-cli-"));
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    await defineSite(h.ch, site, "Asia/Shanghai", "CLI centre");
    await defineQueues(h.ch, site, [{ queue: "cards", name_zh: "信用卡", name_en: "Cards" }]);
    const d = "2026-10-15";
    const c = (contact: string) => ({ site, contact, queue: "cards" });
    const produced = await produceAll(h.kafka, h.config.topics, [
      // c1: answered after 10 s and handled; c2: abandoned after 40 s. Both with phones.
      queued({ ...c("c1"), at: sh(d, "09:00:00"), phone: PHONE }),
      answered({ ...c("c1"), at: sh(d, "09:00:10") }),
      wrappedUp({ ...c("c1"), at: sh(d, "09:05:10") }),
      queued({ ...c("c2"), at: sh(d, "10:00:00"), phone: "13900001111" }),
      abandoned({ ...c("c2"), at: sh(d, "10:00:40") }),
    ]);
    await waitForIngested(h, produced);
  });

  afterAll(async () => {
    await ingest?.stop();
    await h?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("--out x.zip writes a zip whose manifest matches its entries, printing each file's rows", async () => {
    const out = join(dir, "en.zip");
    const { bytes, zip, stdout } = await runZip("en");
    const m = checkedManifest(zip);
    expect(m).toMatchObject({
      site,
      month: MONTH,
      lang: "en",
      personal_data: false,
      restated: null,
    });
    // One queue: 31 days, 31 × 48 half hours, two contacts.
    const rowsOf = (name: string) => m.files.find((f) => f.name === name)!.rows;
    expect(rowsOf("daily_queue_summary.csv")).toBe(31);
    expect(rowsOf("interval_queue_summary.csv")).toBe(1488);
    expect(rowsOf("contacts.csv")).toBe(2);

    // stdout: the path, a line per file with its rows and bytes, the zip's SHA-256.
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(out);
    for (const f of m.files)
      expect(lines, f.name).toContain(`  ${f.name}: ${f.rows ?? "-"} rows, ${f.bytes} bytes`);
    expect(lines.at(-1)).toBe(`sha256 ${sha256(bytes)}`);
    expect(stdout).not.toContain("restated");

    // Recorded as an export made from the command line, by the operator.
    const rec = await recordOf(sha256(bytes));
    expect(rec).toMatchObject({
      status: "done",
      trigger: "cli",
      requested_by: `cli:${OPERATOR}`,
      lang: "en",
      personal_data: 0,
      bytes: bytes.length,
      restated: 0,
    });
    expect(JSON.parse(rec.manifest)).toEqual(m);
  });

  it("masks phone numbers without --pii, and audits the export under the operator's name", async () => {
    const { zip, bytes } = zips.en!;
    const contacts = csvOf(zip, "contacts.csv");
    expect(columnOf(contacts, "customer_phone")).toEqual(["138****5678", "139****1111"]);
    for (const e of zip) expect(e.data.includes(Buffer.from(PHONE)), e.name).toBe(false);
    const rec = await recordOf(sha256(bytes));
    const audit = (await auditSinceStart()).filter((a) => a.target === rec.export_id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_name: `cli:${OPERATOR}`, action: "export", site });
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({
      month: MONTH,
      lang: "en",
      personal_data: false,
    });
  });

  it("--out dir/ writes the same files as a directory, byte for byte but generated_at", async () => {
    const out = join(dir, "as-dir");
    const run = await ok(["--site", site, "--month", MONTH, "--out", `${out}/`]);
    const zip = zips.en!.zip;
    expect((await readdir(out)).sort()).toEqual(zip.map((e) => e.name).sort());
    for (const e of zip) {
      if (e.name === "manifest.json") continue;
      expect(sha256(await readFile(join(out, e.name))), e.name).toBe(sha256(e.data));
    }
    const manifestBytes = await readFile(join(out, "manifest.json"));
    const m = JSON.parse(manifestBytes.toString("utf8")) as PackManifest;
    const mz = manifestOf(zip);
    expect(m.generated_at).not.toBe(mz.generated_at);
    // Same data as the zip's: not restated, and otherwise the same manifest.
    expect({ ...m, generated_at: "" }).toEqual({ ...mz, generated_at: "" });
    expect(run.stdout.split("\n")[0]).toBe(out);
    // A directory has no hash of its own: its record has none, and the manifest it wrote.
    const rec = (await exportsOfMonth()).find(
      (e) => e.manifest && (JSON.parse(e.manifest) as PackManifest).generated_at === m.generated_at,
    );
    expect(rec).toMatchObject({ trigger: "cli", status: "done", sha256: "", bytes: 0, path: "" });
    expect(JSON.parse(rec!.manifest)).toEqual(m);
  });

  it("--lang zh-CN heads every table in Chinese over the same rows as English", async () => {
    const { zip } = await runZip("zh", ["--lang", "zh-CN"]);
    const en = zips.en!.zip;
    expect(manifestOf(zip)).toMatchObject({ lang: "zh-CN", personal_data: false });
    expect(zip.map((e) => e.name)).toEqual(en.map((e) => e.name));
    const daily = csvOf(zip, "daily_queue_summary.csv");
    // A few headers as docs/exports.md gives them, then each file's whole header from its columns.
    expect(daily[0]!.slice(0, 4)).toEqual(["日期", "队列", "渠道", "进线量"]);
    expect(daily[0]).toEqual(zh(DAILY_QUEUE_SUMMARY_COLUMNS));
    expect(csvOf(zip, "interval_queue_summary.csv")[0]).toEqual(zh(INTERVAL_QUEUE_SUMMARY_COLUMNS));
    const contacts = csvOf(zip, "contacts.csv");
    expect(contacts[0]).toEqual(zh(CONTACTS_COLUMNS));
    expect(contacts[0]).toContain("客户电话");
    for (const e of zip.filter((z) => z.name.endsWith(".csv"))) {
      const [zhHeader, ...zhRows] = parseCsv(e.data);
      const [enHeader, ...enRows] = csvOf(en, e.name);
      expect(zhHeader, e.name).not.toEqual(enHeader);
      expect(zhRows, e.name).toEqual(enRows);
    }
  });

  it("--pii writes the phone numbers in full and an audit entry saying so", async () => {
    const { zip, bytes, stdout } = await runZip("pii", ["--pii"]);
    expect(manifestOf(zip).personal_data).toBe(true);
    const contacts = csvOf(zip, "contacts.csv");
    expect(columnOf(contacts, "customer_phone")).toEqual([PHONE, "13900001111"]);
    // The first pack with personal data: nothing earlier of its kind to be restated against.
    expect(stdout).not.toContain("restated");
    const rec = await recordOf(sha256(bytes));
    expect(rec).toMatchObject({
      trigger: "cli",
      personal_data: 1,
      requested_by: `cli:${OPERATOR}`,
    });
    const audit = (await auditSinceStart()).filter((a) => a.target === rec.export_id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_name: `cli:${OPERATOR}`, action: "export" });
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ month: MONTH, personal_data: true });
  });

  it("refuses bad input with exit code 2, naming the option, and writes nothing", async () => {
    const out = join(dir, "refused.zip");
    const [month, lang, noSite, unknown] = await Promise.all([
      cli(["--site", site, "--month", "2026-13", "--out", out]),
      cli(["--site", site, "--month", MONTH, "--lang", "fr", "--out", out]),
      cli(["--month", MONTH, "--out", out]),
      cli(["--site", `${site}-typo`, "--month", MONTH, "--out", out]),
    ]);
    expect([month.code, lang.code, noSite.code, unknown.code]).toEqual([2, 2, 2, 2]);
    expect(month.stderr).toContain("--month");
    expect(lang.stderr).toContain("--lang");
    expect(noSite.stderr).toContain("--site");
    expect(unknown.stderr).toContain(`no site ${site}-typo`);
    for (const r of [month, lang, noSite, unknown]) {
      expect(r.stderr).toContain("usage: npm run export");
      expect(r.stdout).toBe("");
    }
    expect(existsSync(out)).toBe(false);
  });

  it("refuses the month not yet ended in the site's zone, writing no file, record or audit entry", async () => {
    // The month after the current one in Shanghai (UTC + 8 h, no daylight saving): not ended
    // however long the command takes to start, even when the test begins at a month's last second.
    const here = new Date(Date.now() + 8 * 3_600_000);
    const open = new Date(Date.UTC(here.getUTCFullYear(), here.getUTCMonth() + 1, 1))
      .toISOString()
      .slice(0, 7);
    const out = join(dir, "open.zip");
    const run = await cli(["--site", site, "--month", open, "--pii", "--out", out]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`${open} has not ended`);
    expect(run.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.part`)).toBe(false);
    expect(await exportsOfMonth(open)).toEqual([]);
    // Nothing was exported: no export (and no personal-data read, which pii_access.csv of that
    // month would list) may be in the audit log.
    const audit = (await auditSinceStart()).filter((a) => JSON.parse(a.detail).month === open);
    expect(audit).toEqual([]);
  });

  it("a run after a late event says on stdout and in its manifest that the month was restated", async () => {
    // The latest earlier pack of the same language without personal data (the directory's).
    const earlier = (await exportsOfMonth())
      .filter((e) => e.lang === "en" && e.personal_data === 0 && e.status === "done")
      .sort((a, b) => b.requested_ms - a.requested_ms)[0]!;
    const earlierManifest = JSON.parse(earlier.manifest) as PackManifest;

    // A call of the 20th arrives late.
    const produced = await produceAll(h.kafka, h.config.topics, [
      queued({ site, at: sh("2026-10-20", "11:00:00"), contact: "late-1", queue: "cards" }),
      abandoned({ site, at: sh("2026-10-20", "11:01:00"), contact: "late-1", queue: "cards" }),
    ]);
    await waitForIngested(h, produced);

    const { zip, bytes, stdout } = await runZip("late");
    const m = manifestOf(zip);
    expect(m.restated).toMatchObject({
      earlier_id: earlier.export_id,
      earlier_generated_at: earlierManifest.generated_at,
    });
    expect(m.restated!.changed).toEqual(
      expect.arrayContaining(["contacts.csv", "daily_queue_summary.csv"]),
    );
    expect(m.restated!.earlier_files).toEqual(earlierManifest.files);
    const line = stdout.split("\n").find((l) => l.startsWith("restated"));
    expect(line).toBe(
      `restated since ${earlierManifest.generated_at} (export ${earlier.export_id}): ${m.restated!.changed.join(", ")}`,
    );
    expect((await recordOf(sha256(bytes))).restated).toBe(1);
    // The 20th was published by the first runs with nothing on it; now it has the late call.
    const daily = csvOf(zip, "daily_queue_summary.csv");
    const day20 = daily.find((r) => r[0] === "2026-10-20")!;
    expect(day20[daily[0]!.indexOf("abandoned")]).toBe("1");
    expect(day20[daily[0]!.indexOf("restated")]).toBe("true");
    expect(columnOf(csvOf(zip, "contacts.csv"), "contact_id")).toEqual(["c1", "c2", "late-1"]);
  });
});
