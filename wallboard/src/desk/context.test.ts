import { DEFAULT_TIME_ZONE } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { siteTimeZone } from "./context";

describe("siteTimeZone", () => {
  const chengdu = { tz: "Asia/Chongqing" };

  it("takes the answer's own zone first, then the site's", () => {
    expect(siteTimeZone(chengdu, "America/New_York")).toBe("America/New_York");
    expect(siteTimeZone(chengdu, undefined)).toBe("Asia/Chongqing");
    expect(siteTimeZone(undefined, "Europe/Berlin")).toBe("Europe/Berlin");
  });

  it("falls back to the default site zone, never to UTC", () => {
    expect(siteTimeZone(undefined)).toBe(DEFAULT_TIME_ZONE);
    expect(DEFAULT_TIME_ZONE).not.toBe("UTC");
  });
});
