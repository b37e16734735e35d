import { describe, expect, it } from "vitest";
import { makeTranslator, pickLang } from "./i18n";

describe("pickLang", () => {
  it("follows ?lang= over the browser language", () => {
    expect(pickLang("en", "zh-CN")).toBe("en");
    expect(pickLang("zh-CN", "en-US")).toBe("zh-CN");
  });

  it("accepts the query value in any case and any regional variant", () => {
    expect(pickLang("ZH-cn", "en")).toBe("zh-CN");
    expect(pickLang("zh-TW", "en")).toBe("zh-CN");
    expect(pickLang("en-GB", "zh")).toBe("en");
  });

  it("falls back to Chinese when the browser language starts with zh", () => {
    expect(pickLang(null, "zh-CN")).toBe("zh-CN");
    expect(pickLang(null, "zh")).toBe("zh-CN");
  });

  it("falls back to English for any other browser language or an unknown ?lang=", () => {
    expect(pickLang(null, "he-IL")).toBe("en");
    expect(pickLang("fr", "de-DE")).toBe("en");
    expect(pickLang(undefined, undefined)).toBe("en");
  });

  it("ignores an unknown ?lang= and still honours a Chinese browser", () => {
    expect(pickLang("fr", "zh-HK")).toBe("zh-CN");
  });
});

describe("makeTranslator", () => {
  it("returns the label in the chosen language", () => {
    expect(makeTranslator("en")("waiting")).toBe("Waiting");
    expect(makeTranslator("zh-CN")("waiting")).toBe("等待中");
    expect(makeTranslator("zh-CN")("stale")).toBe("数据已过期");
  });

  it("fills in named placeholders", () => {
    expect(makeTranslator("en")("alertsFiring", { n: 3 })).toBe("3 alerts firing");
    expect(makeTranslator("zh-CN")("errHttp", { status: 503 })).toBe("服务器错误 503");
  });

  it("leaves a placeholder visible when its value is missing, so the gap is noticed", () => {
    expect(makeTranslator("en")("lastUpdate")).toBe("last update {age} ago");
  });
});
