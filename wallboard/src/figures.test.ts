import { DEFAULT_TV_FIGURES } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import {
  figureFormat,
  figureLabel,
  figureState,
  formatFigure,
  sharePercent,
  showsSlTarget,
} from "./figures";

describe("formatFigure", () => {
  it("shows counts as integers, durations as m:ss and ratios as whole percent", () => {
    expect(formatFigure("waiting", 7)).toBe("7");
    expect(formatFigure("agents.on_contact", 12)).toBe("12");
    expect(formatFigure("longest_waiting_s", 185.4)).toBe("3:05");
    expect(formatFigure("60m.asa_s", 12.4)).toBe("0:12");
    expect(formatFigure("15m.service_level", 0.75)).toBe("75%");
    expect(formatFigure("today.csat", 1)).toBe("100%");
    expect(formatFigure("15m.abandon_rate", 0.05)).toBe("5%");
  });

  it("floors a ratio, so 79.6 % never reads as an 80 % target met", () => {
    expect(formatFigure("15m.service_level", 0.796)).toBe("79%");
    // 0.29 * 100 is 28.999999999999996 in floating point: still 29 %.
    expect(formatFigure("15m.service_level", 0.29)).toBe("29%");
    expect(formatFigure("today.csat", 0.999)).toBe("99%");
  });

  it("rounds up a share where more is worse, so a 10.04 % abandon rate never reads as a 10 % ceiling kept", () => {
    expect(formatFigure("15m.abandon_rate", 0.1004)).toBe("11%");
    expect(formatFigure("60m.transfer_rate", 0.052)).toBe("6%");
    // Exactly on the ceiling stays on it, binary fractions included (0.1 * 100 is 10.000000000000002).
    expect(formatFigure("15m.abandon_rate", 0.1)).toBe("10%");
    expect(formatFigure("abandon_rate", 0.29)).toBe("29%");
    expect(formatFigure("abandon_rate", 0)).toBe("0%");
  });

  it("shows a dash where a figure has no value, never a 0 that reads as a result", () => {
    expect(formatFigure("15m.service_level", null)).toBe("–");
    expect(formatFigure("waiting", undefined)).toBe("–");
    expect(formatFigure("waiting", Number.NaN)).toBe("–");
  });

  it("formats figures it has no name for by their kind", () => {
    expect(figureFormat("today.first_response_s")).toBe("duration");
    expect(figureFormat("60m.transfer_rate")).toBe("ratio");
    expect(figureFormat("today.occupancy")).toBe("ratio");
    expect(figureFormat("today.offered")).toBe("count");
    expect(formatFigure("today.nps", 0.316)).toBe("+32");
    expect(formatFigure("today.nps", -0.04)).toBe("-4");
    expect(formatFigure("today.nps", 0.004)).toBe("0");
    expect(formatFigure("today.offered", 41.7)).toBe("42");
  });
});

describe("figureLabel", () => {
  it("names every default figure in both languages", () => {
    for (const f of DEFAULT_TV_FIGURES) {
      expect(figureLabel(f, "en")).not.toBe("");
      expect(figureLabel(f, "zh-CN")).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(figureLabel("longest_waiting_s", "zh-CN")).toBe("最长等待");
    expect(figureLabel("15m.service_level", "en")).toBe("SL 15 min");
    expect(figureLabel("60m.asa_s", "en")).toBe("ASA 60 min");
    expect(figureLabel("agents.wrap_up", "zh-CN")).toBe("话后处理");
  });

  it("gives any other figure a generic label with its window", () => {
    expect(figureLabel("today.aht_s", "en")).toBe("AHT today");
    expect(figureLabel("today.aht_s", "zh-CN")).toBe("平均处理时长 今日");
    expect(figureLabel("60m.some_new_thing_s", "en")).toBe("some new thing 60 min");
    expect(figureLabel("agents.on_break", "en")).toBe("Agents on break");
  });
});

describe("figureState", () => {
  it("reads the state letter of a figure, ok where the letter is missing", () => {
    expect(figureState("owb", 0)).toBe("ok");
    expect(figureState("owb", 1)).toBe("warning");
    expect(figureState("owb", 2)).toBe("breach");
    expect(figureState("owb", 3)).toBe("ok");
  });

  it("shows the target next to service levels only", () => {
    expect(showsSlTarget("15m.service_level")).toBe(true);
    expect(showsSlTarget("today.csat")).toBe(false);
  });
});

describe("sharePercent", () => {
  it("gives a share in whole or tenth percent, never on the good side of what it is", () => {
    expect(sharePercent("service_level", 0.79996, 10)).toBe(79.9);
    expect(sharePercent("15m.service_level", 0.79996, 1)).toBe(79);
    expect(sharePercent("abandon_rate", 0.10004, 10)).toBe(10.1);
    expect(sharePercent("today.transfer_rate", 0.10004, 1)).toBe(11);
    expect(sharePercent("transfer_rate", 0.25, 10)).toBe(25);
  });
});

describe("a low-score follow-up's figure", () => {
  it("is hours past the due time, shown as h:mm:ss and named in both languages", () => {
    expect(figureFormat("followup_overdue_h")).toBe("hours");
    expect(formatFigure("followup_overdue_h", 26.0061)).toBe("26:00:21");
    expect(formatFigure("followup_overdue_h", 0)).toBe("0:00:00");
    expect(figureLabel("followup_overdue_h", "en")).toBe("Follow-up overdue");
    expect(figureLabel("followup_overdue_h", "zh-CN")).toBe("低分回访超时");
  });
});
