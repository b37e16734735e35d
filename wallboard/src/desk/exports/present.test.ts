import type { ExportRecord } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import {
  addMonths,
  downloadable,
  endedMonths,
  formatBytes,
  keepUnchanged,
  mergeAsked,
  monthAt,
  newestFirst,
  pickMonth,
  shortHash,
} from "./present";

const record = (over: Partial<ExportRecord>): ExportRecord => ({
  id: "00000000-0000-4000-8000-000000000000",
  site: "s",
  month: "2026-10",
  lang: "en",
  personal_data: false,
  status: "done",
  trigger: "api",
  requested_by: "qa",
  requested_at: "2026-11-02T04:00:00.000Z",
  finished_at: "2026-11-02T04:00:05.000Z",
  error: null,
  bytes: 1234,
  sha256: "a".repeat(64),
  restated: false,
  download: "/api/v1/exports/00000000-0000-4000-8000-000000000000",
  file_name: "floorwatch_s_2026-10_en.zip",
  ...over,
});

describe("months a pack can be asked for", () => {
  it("moves months across years both ways", () => {
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2026-12", 1)).toBe("2027-01");
    expect(addMonths("2026-03", -15)).toBe("2024-12");
  });

  it("offers last month of the site's calendar first, never the month under way", () => {
    // 2026-11-05 10:00 in Shanghai.
    const months = endedMonths(Date.parse("2026-11-05T10:00:00+08:00"), "Asia/Shanghai", 3);
    expect(months).toEqual(["2026-10", "2026-09", "2026-08"]);
  });

  it("takes the month from the site's clock, not UTC's: Shanghai's November starts 16:00 UTC on 31 October", () => {
    const justAfter = Date.parse("2026-10-31T16:00:00Z"); // 2026-11-01 00:00 in Shanghai
    expect(monthAt(justAfter, "Asia/Shanghai")).toBe("2026-11");
    expect(endedMonths(justAfter, "Asia/Shanghai", 1)).toEqual(["2026-10"]);
    // One millisecond earlier October is still under way there (and in UTC, and in Berlin).
    expect(endedMonths(justAfter - 1, "Asia/Shanghai", 1)).toEqual(["2026-09"]);
    expect(endedMonths(justAfter, "Europe/Berlin", 1)).toEqual(["2026-09"]);
  });

  it("offers three years by default", () => {
    const months = endedMonths(Date.parse("2026-11-05T10:00:00+08:00"), "Asia/Shanghai");
    expect(months).toHaveLength(36);
    expect(months.at(-1)).toBe("2023-11");
  });

  it("keeps the address's month only when it is offered", () => {
    const offered = ["2026-10", "2026-09"];
    expect(pickMonth("2026-09", offered)).toBe("2026-09");
    expect(pickMonth("2026-11", offered)).toBe("2026-10"); // not ended yet
    expect(pickMonth(undefined, offered)).toBe("2026-10");
    expect(pickMonth(["2026-09"], offered)).toBe("2026-10");
  });
});

describe("the list of packs", () => {
  const a = record({ id: "a", requested_at: "2026-11-02T04:00:00.000Z" });
  const b = record({ id: "b", requested_at: "2026-11-02T05:00:00.000Z" });
  const c = record({ id: "c", requested_at: "2026-11-02T05:00:00.000Z" });

  it("puts the newest request first, two in one millisecond by id descending", () => {
    expect(newestFirst([a, b, c]).map((r) => r.id)).toEqual(["c", "b", "a"]);
  });

  it("shows a pack just asked for before the list has it, and the list's copy once it does", () => {
    const asked = record({ id: "d", status: "queued", requested_at: "2026-11-02T06:00:00.000Z" });
    expect(mergeAsked([b, a], [asked], "s").map((r) => r.id)).toEqual(["d", "b", "a"]);
    const listed = { ...asked, status: "done" as const };
    const merged = mergeAsked([listed, b, a], [asked], "s");
    expect(merged.map((r) => [r.id, r.status])).toEqual([
      ["d", "done"],
      ["b", "done"],
      ["a", "done"],
    ]);
    // A pack asked for another site stays off this site's list.
    expect(mergeAsked([a], [record({ id: "e", site: "other" })], "s").map((r) => r.id)).toEqual([
      "a",
    ]);
  });
});

describe("a pack's row", () => {
  it("writes sizes in decimal units", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1000)).toBe("1.00 kB");
    expect(formatBytes(12_345)).toBe("12.3 kB");
    expect(formatBytes(999_949)).toBe("1000 kB");
    expect(formatBytes(999_950)).toBe("1.00 MB");
    expect(formatBytes(45_600_000)).toBe("45.6 MB");
    expect(formatBytes(null)).toBe("–");
  });

  it("shortens a hash to its first 12 digits", () => {
    expect(shortHash("0123456789abcdef".repeat(4))).toBe("0123456789ab");
  });

  it("offers a download only of a done pack, one with personal data only to a granted token", () => {
    expect(downloadable(record({}), false)).toBe("yes");
    expect(downloadable(record({ status: "running", download: null }), true)).toBe("not-ready");
    expect(downloadable(record({ status: "failed", download: null }), true)).toBe("not-ready");
    expect(downloadable(record({ personal_data: true }), false)).toBe("needs-pii");
    expect(downloadable(record({ personal_data: true }), true)).toBe("yes");
  });
});

describe("keepUnchanged", () => {
  it("hands back the earlier object of a pack that did not change, the new one of a pack that did", () => {
    const done = record({ id: "a" });
    const running = record({ id: "b", status: "running", download: null, bytes: null });
    const previous = [running, done];
    const next = [{ ...running, status: "done" as const }, { ...done }];
    const kept = keepUnchanged(previous, next);
    expect(kept[0]).toBe(next[0]);
    expect(kept[1]).toBe(done);
    expect(kept.map((r) => r.status)).toEqual(["done", "done"]);
  });
});
