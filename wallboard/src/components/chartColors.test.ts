import { describe, expect, it } from "vitest";
import { SKY, skyFill } from "./chartColors";

describe("chart colours", () => {
  it("fills in the very sky blue the lines are drawn in, at the alpha asked", () => {
    const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(SKY.slice(i, i + 2), 16));
    expect(skyFill(0.16)).toBe(`rgba(${r}, ${g}, ${b}, 0.16)`);
  });
});
