import { describe, expect, it } from "vitest";
import { readParams } from "./params";

describe("readParams", () => {
  it("reads the site and the language from the query string", () => {
    expect(readParams("?site=anonymous-bank&lang=zh-CN", "en-US")).toEqual({ site: "anonymous-bank", lang: "zh-CN" });
  });

  it("shows the demo site when none or an empty one is given", () => {
    expect(readParams("", "en").site).toBe("demo");
    expect(readParams("?site=%20", "en").site).toBe("demo");
  });

  it("takes the language from the browser when the query does not name one", () => {
    expect(readParams("?site=demo", "zh-CN").lang).toBe("zh-CN");
    expect(readParams("?site=demo", "en-GB").lang).toBe("en");
  });
});
