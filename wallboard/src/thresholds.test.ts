import { describe, expect, it } from "vitest";
import { classifyWait } from "./thresholds";

describe("classifyWait", () => {
  it("is ok below three minutes", () => {
    expect(classifyWait(0)).toBe("ok");
    expect(classifyWait(179)).toBe("ok");
  });

  it("stays ok at 179.9 s, which is displayed as 2:59", () => {
    expect(classifyWait(179.9)).toBe("ok");
  });

  it("turns amber at exactly three minutes", () => {
    expect(classifyWait(180)).toBe("warn");
    expect(classifyWait(299.9)).toBe("warn");
  });

  it("turns red at exactly five minutes and stays red beyond", () => {
    expect(classifyWait(300)).toBe("alert");
    expect(classifyWait(3 * 3600)).toBe("alert");
  });

  it("uses the thresholds it is given", () => {
    const t = { warnS: 20, alertS: 60 };
    expect(classifyWait(19, t)).toBe("ok");
    expect(classifyWait(20, t)).toBe("warn");
    expect(classifyWait(60, t)).toBe("alert");
  });
});
