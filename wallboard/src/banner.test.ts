import { describe, expect, it } from "vitest";
import { alertFigure, alertIndexAt, alertLine, comparatorSign } from "./banner";
import { alert, loansTile } from "./test-frames";

describe("comparatorSign", () => {
  it("writes a comparator as it is read, and one it does not know as sent", () => {
    expect([">", ">=", "<", "<="].map(comparatorSign)).toEqual([">", "≥", "<", "≤"]);
    expect(comparatorSign("==")).toBe("==");
  });
});

describe("alertLine", () => {
  it("says the rule, the tile, the value against the threshold and since when, in English", () => {
    expect(alertLine(alert(), [loansTile()], "en", "Asia/Shanghai")).toEqual({
      id: "a1",
      severity: "critical",
      rule: "Nobody waits over 5 minutes",
      where: "Loans",
      value: "5:20",
      comparator: ">",
      threshold: "5:00",
      since: "17:58:00",
    });
  });

  it("speaks Chinese, with ratios in %", () => {
    const a = alert({
      figure: "service_level",
      window: "15m",
      comparator: "<",
      value: 0.62,
      threshold: 0.8,
      rule_name_zh: "服务水平不低于目标",
    });
    expect(alertLine(a, [loansTile()], "zh-CN", "Asia/Shanghai")).toMatchObject({
      rule: "服务水平不低于目标",
      where: "贷款",
      value: "62%",
      threshold: "80%",
    });
  });

  it("has no tile for a site-wide alert and names a tile not on screen by its id", () => {
    expect(alertLine(alert({ tile: null }), [], "en", "UTC").where).toBeNull();
    expect(alertLine(alert({ tile: "queue:home_loans" }), [], "en", "UTC").where).toBe(
      "home loans",
    );
  });

  it("falls back to the English rule name when the Chinese one is empty", () => {
    expect(alertLine(alert({ rule_name_zh: "" }), [], "zh-CN", "UTC").rule).toBe(
      "Nobody waits over 5 minutes",
    );
  });

  it("reads a window's figure like the tile does", () => {
    expect(alertFigure({ figure: "asa_s", window: "60m" })).toBe("60m.asa_s");
    expect(alertFigure({ figure: "waiting", window: "now" })).toBe("waiting");
  });
});

describe("alertIndexAt", () => {
  it("cycles through several alerts and stays on a single one", () => {
    expect(alertIndexAt(1, 50_000)).toBe(0);
    expect(alertIndexAt(3, 0)).toBe(0);
    expect(alertIndexAt(3, 6_000)).toBe(1);
    expect(alertIndexAt(3, 18_000)).toBe(0);
  });
});
