import { describe, expect, it } from "vitest";
import { breachesPath, csvFileName, followupsPath, readFilters, searchOf } from "./filters";

// 2026-11-07 23:30 in Shanghai is still 2026-11-07 15:30 UTC; 2026-11-08 01:00 there is the 7th in UTC.
const lateInShanghai = Date.parse("2026-11-07T15:30:00Z");
const pastMidnightInShanghai = Date.parse("2026-11-07T17:00:00Z");

describe("the QA screen's filters", () => {
  it("defaults to the last 7 days, today included, on the site's calendar", () => {
    expect(readFilters({}, "Asia/Shanghai", lateInShanghai)).toMatchObject({
      view: "breaches",
      from: "2026-11-01",
      to: "2026-11-07",
      queue: null,
      rule: null,
      severity: null,
      ack: null,
      status: null,
    });
    // Past midnight in Shanghai while it is still the 7th in UTC: the site's day counts.
    expect(readFilters({}, "Asia/Shanghai", pastMidnightInShanghai)).toMatchObject({
      from: "2026-11-02",
      to: "2026-11-08",
    });
    expect(readFilters({}, "America/New_York", pastMidnightInShanghai).to).toBe("2026-11-07");
  });

  it("reads every filter of the address", () => {
    expect(
      readFilters(
        {
          view: "followups",
          from: "2026-10-01",
          to: "2026-10-31",
          queue: "信用卡",
          rule: "longest-wait",
          severity: "critical",
          ack: "no",
          status: "overdue",
        },
        "Asia/Shanghai",
        lateInShanghai,
      ),
    ).toEqual({
      view: "followups",
      from: "2026-10-01",
      to: "2026-10-31",
      queue: "信用卡",
      rule: "longest-wait",
      severity: "critical",
      ack: "no",
      status: "overdue",
    });
  });

  it("keeps a week ending on a given last day, and a week starting on a first day ahead of today", () => {
    expect(readFilters({ to: "2026-10-10" }, "UTC", lateInShanghai)).toMatchObject({
      from: "2026-10-04",
      to: "2026-10-10",
    });
    expect(readFilters({ from: "2026-12-01" }, "UTC", lateInShanghai)).toMatchObject({
      from: "2026-12-01",
      to: "2026-12-01",
    });
  });

  it("ignores what the API would refuse instead of failing the list", () => {
    const f = readFilters(
      {
        from: "2026-02-30",
        to: "yesterday",
        queue: "",
        rule: "x".repeat(65),
        severity: "urgent",
        ack: "true",
        status: "closed",
        view: "other",
      },
      "UTC",
      lateInShanghai,
    );
    expect(f).toEqual({
      view: "breaches",
      from: "2026-11-01",
      to: "2026-11-07",
      queue: null,
      rule: null,
      severity: null,
      ack: null,
      status: null,
    });
  });

  it("takes the first of a repeated parameter", () => {
    expect(readFilters({ queue: ["cards", "loans"] }, "UTC", lateInShanghai).queue).toBe("cards");
  });

  it("asks the API for the days as the site's midnights, the last day included", () => {
    const f = readFilters(
      { from: "2026-11-01", to: "2026-11-30", queue: "cards", ack: "yes", severity: "warning" },
      "UTC",
      lateInShanghai,
    );
    expect(breachesPath("sh-01", f)).toBe(
      "/breaches?site=sh-01&from=2026-11-01&to=2026-12-01&queue=cards&severity=warning&acknowledged=true&limit=1000",
    );
    expect(breachesPath("sh-01", { ...f, ack: "no", queue: null, severity: null })).toBe(
      "/breaches?site=sh-01&from=2026-11-01&to=2026-12-01&acknowledged=false&limit=1000",
    );
    expect(followupsPath("sh-01", { ...f, status: "overdue" })).toBe(
      "/followups?site=sh-01&from=2026-11-01&to=2026-12-01&queue=cards&status=overdue&limit=1000",
    );
  });

  it("asks nothing for a range that ends before it starts, or without a site", () => {
    const f = readFilters({ from: "2026-11-05", to: "2026-11-04" }, "UTC", lateInShanghai);
    expect(breachesPath("sh-01", f)).toBeNull();
    expect(followupsPath("sh-01", f)).toBeNull();
    expect(breachesPath("", readFilters({}, "UTC", lateInShanghai))).toBeNull();
  });

  it("writes changes as the address's parameters, removing cleared ones and the default view", () => {
    expect(searchOf({ queue: "cards", rule: null, view: "breaches", ack: "yes" })).toEqual({
      queue: "cards",
      rule: null,
      view: null,
      ack: "yes",
    });
    expect(searchOf({ view: "followups", status: "met" })).toEqual({
      view: "followups",
      status: "met",
    });
  });

  it("names a CSV by list, site and days", () => {
    const f = readFilters({ from: "2026-11-01", to: "2026-11-07" }, "UTC", lateInShanghai);
    expect(csvFileName("breaches", "sh-01", f)).toBe("breaches_sh-01_2026-11-01_2026-11-07.csv");
    expect(csvFileName("followups", "sh_01", f)).toBe("followups_sh_01_2026-11-01_2026-11-07.csv");
  });
});
