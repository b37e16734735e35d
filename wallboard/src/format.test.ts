import { describe, expect, it } from "vitest";
import { formatClock, formatMinSec, queueTitle } from "./format";

describe("formatMinSec", () => {
  it("shows seconds below a minute with a zero minute and two-digit seconds", () => {
    expect(formatMinSec(0)).toBe("0:00");
    expect(formatMinSec(7)).toBe("0:07");
    expect(formatMinSec(59)).toBe("0:59");
  });

  it("rolls over to the next minute at sixty seconds", () => {
    expect(formatMinSec(60)).toBe("1:00");
    expect(formatMinSec(125)).toBe("2:05");
  });

  it("floors fractional seconds so 179.9 s still reads 2:59", () => {
    expect(formatMinSec(179.9)).toBe("2:59");
    expect(formatMinSec(185.4)).toBe("3:05");
  });

  it("keeps counting minutes past an hour instead of wrapping", () => {
    expect(formatMinSec(75 * 60 + 3)).toBe("75:03");
  });

  it("shows 0:00 for negative, NaN or infinite input rather than a broken figure", () => {
    expect(formatMinSec(-5)).toBe("0:00");
    expect(formatMinSec(Number.NaN)).toBe("0:00");
    expect(formatMinSec(Number.POSITIVE_INFINITY)).toBe("0:00");
  });
});

describe("formatClock", () => {
  it("shows a 24-hour time with seconds in the requested zone", () => {
    const t = Date.UTC(2026, 10, 22, 18, 4, 9);
    expect(formatClock(t, "en", "UTC")).toBe("18:04:09");
    expect(formatClock(t, "zh-CN", "Asia/Shanghai")).toBe("02:04:09");
  });

  it("shows midnight as 00, not 24", () => {
    expect(formatClock(Date.UTC(2026, 10, 22, 0, 0, 0), "en", "UTC")).toBe("00:00:00");
  });
});

describe("queueTitle", () => {
  it("turns underscores and hyphens into spaces", () => {
    expect(queueTitle("credit_card")).toBe("credit card");
    expect(queueTitle("home-loans__vip")).toBe("home loans vip");
  });

  it("leaves a Chinese queue name untouched", () => {
    expect(queueTitle("信用卡")).toBe("信用卡");
  });
});
