import { describe, expect, it } from "vitest";
import { maskPhone } from "./drill";

describe("maskPhone", () => {
  it("keeps the first 3 and the last 4 digits, as metrics.md shows", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
  });

  it("keeps separators where they are and counts digits only", () => {
    expect(maskPhone("+86 138-1234-5678")).toBe("+86 1**-****-5678");
    expect(maskPhone("(021) 6888 1234")).toBe("(021) **** 1234");
  });

  it("masks a number too short to keep 7 digits of whole", () => {
    expect(maskPhone("1234567")).toBe("*******");
    expect(maskPhone("95588")).toBe("*****");
  });

  it("keeps 8 digits' worth: 3 + 4 and one masked", () => {
    expect(maskPhone("12345678")).toBe("123*5678");
  });
});
