import { describe, expect, it } from "vitest";
import { addDays, addMonths, isDate } from "./dates";

describe("dates of a site's calendar", () => {
  it("moves dates across months, years and leap days", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-11-07", -6)).toBe("2026-11-01");
  });

  it("moves to the first day of a month before or after", () => {
    expect(addMonths("2026-01-31", -1)).toBe("2025-12-01");
    expect(addMonths("2026-11-15", 2)).toBe("2027-01-01");
  });

  it("knows real dates written YYYY-MM-DD, and nothing else", () => {
    expect(isDate("2028-02-29")).toBe(true);
    expect(isDate("2026-02-29")).toBe(false);
    expect(isDate("2026-13-01")).toBe(false);
    expect(isDate("2026-1-01")).toBe(false);
    expect(isDate(undefined)).toBe(false);
    expect(isDate(["2026-11-01"])).toBe(false);
  });
});
