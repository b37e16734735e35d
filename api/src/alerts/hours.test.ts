import { instantOf } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { openAt } from "./hours";

const tz = "Asia/Shanghai";
// 2026-11-30 is a Monday.
const monday = (h: number, mi = 0) => instantOf(tz, 2026, 11, 30, h, mi);
const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, open: "08:30", close: "20:00" }));

describe("business hours", () => {
  it("are open inside a period and closed outside, in the site's local time", () => {
    const v = [{ valid_from_ms: 0, weekly: weekdays }];
    expect(openAt(v, tz, monday(8, 29))).toBe(false);
    expect(openAt(v, tz, monday(8, 30))).toBe(true);
    expect(openAt(v, tz, monday(19, 59))).toBe(true);
    expect(openAt(v, tz, monday(20, 0))).toBe(false);
    // Sunday 2026-11-29 at noon: no period.
    expect(openAt(v, tz, instantOf(tz, 2026, 11, 29, 12))).toBe(false);
  });

  it("follow the version in force at the instant, and a site without hours is always open", () => {
    const v = [
      { valid_from_ms: 0, weekly: [] },
      { valid_from_ms: monday(12), weekly: weekdays },
    ];
    expect(openAt(v, tz, monday(11))).toBe(false);
    expect(openAt(v, tz, monday(13))).toBe(true);
    expect(openAt([], tz, monday(3))).toBe(true);
  });
});
