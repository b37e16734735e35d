import { describe, expect, it } from "vitest";
import {
  DEFAULT_COLS,
  defaultInterval,
  intervalCount,
  paramsSearch,
  parseParams,
  presetOf,
  presetRange,
  todayAt,
} from "./params";

describe("report range presets on the site's calendar", () => {
  it("takes today from the site's clock, not the browser's", () => {
    // 2026-11-02 17:30 UTC is already the 3rd in Shanghai, still the 2nd in New York.
    const now = Date.parse("2026-11-02T17:30:00Z");
    expect(todayAt("Asia/Shanghai", now)).toBe("2026-11-03");
    expect(todayAt("America/New_York", now)).toBe("2026-11-02");
  });

  it("works out each preset with the last date excluded, as the API reads `to`", () => {
    const today = "2026-03-01";
    expect(presetRange("today", today)).toEqual({ from: "2026-03-01", to: "2026-03-02" });
    expect(presetRange("yesterday", today)).toEqual({ from: "2026-02-28", to: "2026-03-01" });
    expect(presetRange("last7", today)).toEqual({ from: "2026-02-23", to: "2026-03-02" });
    expect(presetRange("thisMonth", today)).toEqual({ from: "2026-03-01", to: "2026-03-02" });
    expect(presetRange("lastMonth", today)).toEqual({ from: "2026-02-01", to: "2026-03-01" });
    expect(presetRange("lastMonth", "2026-01-31")).toEqual({
      from: "2025-12-01",
      to: "2026-01-01",
    });
  });

  it("names the preset a range is, else custom", () => {
    expect(presetOf({ from: "2026-02-01", to: "2026-03-01" }, "2026-03-15")).toBe("lastMonth");
    expect(presetOf({ from: "2026-03-01", to: "2026-03-16" }, "2026-03-15")).toBe("thisMonth");
    expect(presetOf({ from: "2026-03-02", to: "2026-03-05" }, "2026-03-15")).toBe("custom");
  });

  it("counts the intervals of a range, months by the calendar", () => {
    const nov = { from: "2026-11-01", to: "2026-12-01" };
    expect(intervalCount(nov, "15m")).toBe(2880);
    expect(intervalCount(nov, "1d")).toBe(30);
    expect(intervalCount(nov, "1mo")).toBe(1);
    expect(intervalCount({ from: "2026-10-15", to: "2027-01-02" }, "1mo")).toBe(4);
    expect(defaultInterval({ from: "2026-11-01", to: "2026-11-02" })).toBe("1h");
    expect(defaultInterval(nov)).toBe("1d");
    expect(defaultInterval({ from: "2026-01-01", to: "2027-01-01" })).toBe("1mo");
  });
});

describe("report parameters in the address", () => {
  it("opens today by the hour on every queue with the default columns when nothing is named", () => {
    expect(parseParams({}, "2026-11-02")).toEqual({
      from: "2026-11-02",
      to: "2026-11-03",
      interval: "1h",
      queue: "",
      channel: "",
      cols: DEFAULT_COLS,
    });
  });

  it("keeps what is well formed and replaces what is not", () => {
    const p = parseParams(
      {
        from: "2026-10-01",
        to: "2026-11-01",
        interval: "30m",
        queue: "cards",
        channel: "fax",
        cols: "csat,nope,offered",
      },
      "2026-11-02",
    );
    // Columns in the table's order whatever order the address lists them in.
    expect(p).toEqual({
      from: "2026-10-01",
      to: "2026-11-01",
      interval: "30m",
      queue: "cards",
      channel: "",
      cols: ["offered", "csat"],
    });
    expect(parseParams({ from: "2026-11-05", to: "2026-11-01" }, "2026-11-02").from).toBe(
      "2026-11-02",
    );
    expect(parseParams({ from: "2026-10-01", to: "2026-11-01" }, "2026-11-02").interval).toBe("1d");
  });

  it("writes back every choice, the columns only when they differ from the default", () => {
    const p = parseParams({ from: "2026-10-01", to: "2026-11-01", interval: "1d" }, "2026-11-02");
    expect(paramsSearch(p)).toEqual({
      from: "2026-10-01",
      to: "2026-11-01",
      interval: "1d",
      queue: "",
      channel: "",
      cols: "",
    });
    expect(paramsSearch({ ...p, cols: ["csat", "offered"] }).cols).toBe("csat,offered");
    expect(parseParams(paramsSearch({ ...p, queue: "卡" }), "2026-11-02")).toEqual({
      ...p,
      queue: "卡",
    });
  });
});
