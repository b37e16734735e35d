import { describe, expect, it } from "vitest";
import { layout } from "./test-frames";
import { DEFAULT_TV_FIGURES } from "@floorwatch/contracts";
import { layoutFigures, layoutKey, pageAt, tileName, tileQueue } from "./tv";

describe("tileName", () => {
  const t = { key: "queue:credit_card", name_zh: "信用卡", name_en: "Credit card" };

  it("names a queue in the screen's language", () => {
    expect(tileName(t, "zh-CN")).toBe("信用卡");
    expect(tileName(t, "en")).toBe("Credit card");
  });

  it("falls back to the other language, then to the id", () => {
    expect(tileName({ ...t, name_zh: " " }, "zh-CN")).toBe("Credit card");
    expect(tileName({ ...t, name_en: "" }, "en")).toBe("信用卡");
    expect(tileName({ ...t, name_zh: "", name_en: "" }, "en")).toBe("credit card");
    expect(tileName({ key: "site", name_zh: "", name_en: "" }, "zh-CN")).toBe("全站");
    expect(tileName({ key: "channel:voice", name_zh: "", name_en: "" }, "en")).toBe("voice");
  });

  it("knows which tiles are queues", () => {
    expect(tileQueue("queue:loans")).toBe("loans");
    expect(tileQueue("queue:a:b")).toBe("a:b");
    expect(tileQueue("channel:voice")).toBeNull();
    expect(tileQueue("site")).toBeNull();
  });
});

describe("pageAt", () => {
  const items = Array.from({ length: 25 }, (_, i) => i);

  it("shows everything on one page when it fits, whatever the time", () => {
    expect(pageAt(items.slice(0, 12), 12, 20, 123_456_789)).toEqual({
      index: 0,
      count: 1,
      items: items.slice(0, 12),
    });
  });

  it("turns to the next page every rotate_s seconds and wraps around", () => {
    expect(pageAt(items, 12, 20, 0)).toMatchObject({ index: 0, count: 3 });
    expect(pageAt(items, 12, 20, 19_999).index).toBe(0);
    expect(pageAt(items, 12, 20, 20_000)).toMatchObject({ index: 1, items: items.slice(12, 24) });
    expect(pageAt(items, 12, 20, 40_000)).toMatchObject({ index: 2, items: [24] });
    expect(pageAt(items, 12, 20, 60_000).index).toBe(0);
  });

  it("has one empty page for no tiles", () => {
    expect(pageAt([], 12, 20, 99_000)).toEqual({ index: 0, count: 1, items: [] });
  });
});

describe("layoutKey", () => {
  it("changes with the layout's version, not with its figures' values", () => {
    expect(layoutKey(layout())).toBe(layoutKey(layout()));
    expect(layoutKey(layout({ version: 2 }))).not.toBe(layoutKey(layout({ version: 1 })));
    expect(layoutKey(layout({ id: "floor-2" }))).not.toBe(layoutKey(layout()));
  });
});

describe("layoutFigures", () => {
  it("shows the layout's figures, or the default ones when it names none", () => {
    expect(layoutFigures(layout({ figures: ["waiting", "today.csat"] }))).toEqual([
      "waiting",
      "today.csat",
    ]);
    expect(layoutFigures(layout({ figures: [] }))).toEqual(DEFAULT_TV_FIGURES);
  });
});
