import { describe, expect, it } from "vitest";
import { one } from "./search";

describe("a parameter of the address", () => {
  it("is its value, the first of a repeated one, or nothing", () => {
    expect(one("cards")).toBe("cards");
    expect(one(["cards", "loans"])).toBe("cards");
    expect(one(undefined)).toBeUndefined();
  });
});
