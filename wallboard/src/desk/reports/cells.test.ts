import { describe, expect, it } from "vitest";
import { CELL_DRILL, drillPath, intervalLabel, reportLabel, rowKey } from "./cells";
import { formatDeskFigure } from "../format";

const FILTERS = {
  offered: "outcome=offered",
  answered_within_sl: "outcome=answered&within_sl=true",
  abandoned_after_short: "outcome=abandoned&short_abandon=false",
  max_wait_s: "outcome=offered&sort=longest_wait&limit=1",
};

describe("report cells", () => {
  it("formats figures as the desk does, NPS as a signed score out of 100", () => {
    expect(formatDeskFigure("service_level", 0.6)).toBe("60.0%");
    expect(formatDeskFigure("service_level", 0.79996)).toBe("79.9%");
    expect(formatDeskFigure("asa_s", 16.5)).toBe("0:16");
    expect(formatDeskFigure("aht_s", 3725)).toBe("1:02:05");
    expect(formatDeskFigure("offered", 8)).toBe("8");
    expect(formatDeskFigure("nps", 1 / 3)).toBe("+33");
    expect(formatDeskFigure("nps", -0.5)).toBe("-50");
    expect(formatDeskFigure("csat", null)).toBe("–");
  });

  it("names every figure in both languages, the report's own words where the TV's are too short", () => {
    expect(reportLabel("service_level", "en")).toBe("Service level");
    expect(reportLabel("csat_responses", "zh-CN")).toBe("满意度回复数");
    expect(reportLabel("asa_s", "zh-CN")).toBe("平均应答");
  });

  it("labels an interval on the site's clock as precisely as the interval", () => {
    const start = "2026-11-02T09:15:00+08:00";
    expect(intervalLabel(start, "15m", "Asia/Shanghai")).toBe("2026-11-02 09:15");
    expect(intervalLabel("2026-11-01T00:00:00-04:00", "1d", "America/New_York")).toBe("2026-11-01");
    expect(intervalLabel("2026-11-01T00:00:00+08:00", "1mo", "Asia/Shanghai")).toBe("2026-11");
  });

  it("links a cell to the drill of what it counted, ratios to their numerator", () => {
    const row = { drill: "/api/v1/contacts?site=s&queue=cards&from=a&to=b" };
    expect(drillPath(row, FILTERS, CELL_DRILL.offered)).toBe(`${row.drill}&outcome=offered`);
    expect(drillPath(row, FILTERS, CELL_DRILL.service_level)).toBe(
      `${row.drill}&outcome=answered&within_sl=true`,
    );
    expect(drillPath(row, FILTERS, CELL_DRILL.abandon_rate)).toBe(
      `${row.drill}&outcome=abandoned&short_abandon=false`,
    );
    expect(drillPath(row, FILTERS, CELL_DRILL.csat)).toBeNull();
    // A filter the API does not offer is no link, not a guess.
    expect(drillPath(row, FILTERS, CELL_DRILL.callbacks)).toBeNull();
  });

  it("keys a row by its queue and interval start as the API gave them", () => {
    expect(rowKey({ queue: "cards", interval_start: "2026-11-02T09:00:00+08:00" })).toBe(
      "cards|2026-11-02T09:00:00+08:00",
    );
  });
});
