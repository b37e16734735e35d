// The zip writer alone (no ClickHouse): the same entries give the same bytes whatever the host's
// time zone, a file that fails midway leaves no zip and no temporary file behind, and the
// month's bounds and the scheduler's month follow the site's calendar.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readZip } from "../../../test/support/unzip";
import { monthBounds, type Part, previousMonth, writeZip } from "./pack";

const parts = (fail = false): Part[] => [
  {
    name: "a.csv",
    chunks: async function* (t) {
      t.rows = 2;
      yield Buffer.from("\uFEFFx\r\n1\r\n");
      if (fail) throw new Error("the read died");
      yield Buffer.from("2\r\n");
    },
  },
  {
    name: "b.html",
    chunks: async function* () {
      yield Buffer.from("<p>总结</p>");
    },
  },
];
const manifest = async (files: unknown[]) => Buffer.from(JSON.stringify(files));

describe("writeZip", () => {
  let dir: string;
  const tz = process.env.TZ;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fw-zip-"));
  });
  // Restored, or removed when it was not set ("undefined" would be a zone name of its own).
  const restoreTz = () => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  };
  afterAll(async () => {
    restoreTz();
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the same bytes on hosts in different time zones", async () => {
    let ny: Awaited<ReturnType<typeof writeZip>>;
    let sh: typeof ny;
    try {
      process.env.TZ = "America/New_York";
      ny = await writeZip(join(dir, "ny.zip"), "2026-10", parts(), manifest);
      process.env.TZ = "Asia/Shanghai";
      sh = await writeZip(join(dir, "sh.zip"), "2026-10", parts(), manifest);
    } finally {
      restoreTz();
    }
    const [a, b] = await Promise.all([
      readFile(join(dir, "ny.zip")),
      readFile(join(dir, "sh.zip")),
    ]);
    expect(a.equals(b)).toBe(true);
    expect(ny).toEqual(sh);
    const entries = readZip(a);
    expect(entries.map((e) => e.name)).toEqual(["a.csv", "b.html", "manifest.json"]);
    expect(entries[0]!.data.toString()).toBe("\uFEFFx\r\n1\r\n2\r\n");
    // 2026-11-01 00:00 as DOS fields: ((2026 − 1980) << 9) | (11 << 5) | 1, time 0.
    expect(entries.map((e) => [e.dosDate, e.dosTime])).toEqual(
      entries.map(() => [(46 << 9) | (11 << 5) | 1, 0]),
    );
    const files = JSON.parse(entries[2]!.data.toString()) as { name: string; rows: number }[];
    expect(files.map((f) => [f.name, f.rows])).toEqual([
      ["a.csv", 2],
      ["b.html", null],
    ]);
  });

  it("leaves nothing behind when a file fails midway", async () => {
    await expect(writeZip(join(dir, "bad.zip"), "2026-10", parts(true), manifest)).rejects.toThrow(
      "the read died",
    );
    expect((await readdir(dir)).filter((f) => f.startsWith("bad"))).toEqual([]);
  });
});

describe("the site's month", () => {
  it("is bounded by local midnights, across a daylight-saving change", () => {
    const b = monthBounds("Europe/Berlin", "2026-03");
    expect(new Date(b.from_ms).toISOString()).toBe("2026-02-28T23:00:00.000Z");
    expect(new Date(b.to_ms).toISOString()).toBe("2026-03-31T22:00:00.000Z");
    const dec = monthBounds("Asia/Shanghai", "2026-12");
    expect(new Date(dec.to_ms).toISOString()).toBe("2026-12-31T16:00:00.000Z");
  });

  it("before an instant is the previous month of the site's calendar, not of UTC", () => {
    // 2026-11-01 00:30 in Shanghai is still October in UTC.
    expect(previousMonth("Asia/Shanghai", Date.parse("2026-10-31T16:30:00Z"))).toBe("2026-10");
    expect(previousMonth("Asia/Shanghai", Date.parse("2026-10-31T15:30:00Z"))).toBe("2026-09");
    expect(previousMonth("Asia/Shanghai", Date.parse("2026-01-10T00:00:00Z"))).toBe("2025-12");
  });
});
