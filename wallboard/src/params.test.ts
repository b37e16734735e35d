import { describe, expect, it } from "vitest";
import { readParams, readToken, TOKEN_KEY } from "./params";

describe("readParams", () => {
  it("reads the site and the language from the query string", () => {
    expect(readParams("?site=anonymous-bank&lang=zh-CN", "en-US")).toEqual({
      site: "anonymous-bank",
      lang: "zh-CN",
      layout: null,
    });
    expect(readParams("?layout=floor-2", "en").layout).toBe("floor-2");
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

describe("readToken", () => {
  const memory = () => {
    const m = new Map<string, string>();
    return {
      getItem: (k: string) => m.get(k) ?? null,
      setItem: (k: string, v: string) => void m.set(k, v),
      m,
    };
  };

  it("takes the token from the fragment and remembers it for the next reload", () => {
    const s = memory();
    expect(readToken("#token=fw_abc", s)).toBe("fw_abc");
    expect(s.m.get(TOKEN_KEY)).toBe("fw_abc");
    expect(readToken("", s)).toBe("fw_abc");
  });

  it("lets a new fragment token replace the remembered one", () => {
    const s = memory();
    readToken("#token=old", s);
    expect(readToken("#token=new", s)).toBe("new");
    expect(readToken("", s)).toBe("new");
  });

  it("has no token when neither the fragment nor storage has one, or storage is unusable", () => {
    expect(readToken("", memory())).toBeNull();
    expect(readToken("#token=%20", memory())).toBeNull();
    const denied = () => {
      throw new Error("denied");
    };
    const broken = { getItem: denied, setItem: denied };
    expect(readToken("", broken)).toBeNull();
    expect(readToken("#token=t1", broken)).toBe("t1");
    expect(readToken("", null)).toBeNull();
  });
});
