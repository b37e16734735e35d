import { WINDOW_FIGURES, type LiveQueue, type QueueFigures } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import {
  drillFilter,
  drillHref,
  figureState,
  queueFigure,
  shownFigures,
  WINDOW_ORDER,
  worstState,
} from "./queues";
import { formatDeskFigure } from "../format";

const figures = (o: Partial<QueueFigures> = {}): QueueFigures =>
  ({
    ...Object.fromEntries(WINDOW_FIGURES.map((f) => [f, 0])),
    service_level: null,
    nps: null,
    ...o,
  }) as QueueFigures;

const queue = (o: Partial<LiveQueue> = {}): LiveQueue => ({
  queue: "cards",
  channel: "voice",
  name_zh: "信用卡",
  name_en: "Credit cards",
  waiting: 3,
  longest_waiting_s: 75.4,
  breaching_soon: 1,
  definition: { version: 1, sl_threshold_s: 20, short_abandon_s: 5, sl_target: 0.8 },
  agents: { available: 2, on_contact: 5, wrap_up: 1, not_ready: 0, logged_in: 8 },
  windows: {
    "15m": figures({ offered: 12, service_level: 0.79999, nps: 0.25 }),
    "60m": figures({ offered: 40, aht_s: 3725 }),
    today: figures(),
  },
  drill: {
    "15m": "/api/v1/contacts?site=s&queue=cards&from=a&to=b",
    "60m": "/api/v1/contacts?site=s&queue=cards&from=c&to=d",
    today: "/api/v1/contacts?site=s&queue=cards&from=e&to=f",
  },
  ...o,
});

describe("the queue table's figures", () => {
  it("shows every figure of a live window, each once", () => {
    expect([...WINDOW_ORDER].sort()).toEqual([...WINDOW_FIGURES].sort());
    const shown = shownFigures("60m");
    expect(new Set(shown).size).toBe(shown.length);
    expect(shown).toContain("waiting");
    expect(shown).toContain("agents.logged_in");
    expect(shown).toContain("60m.orphaned");
  });

  it("reads figures of the queue now and of a window by their names", () => {
    const q = queue();
    expect(queueFigure(q, "waiting")).toBe(3);
    expect(queueFigure(q, "agents.on_contact")).toBe(5);
    expect(queueFigure(q, "15m.offered")).toBe(12);
    expect(queueFigure(q, "today.service_level")).toBeNull();
    expect(queueFigure(q, "60m.nonsense")).toBeNull();
  });

  it("formats shares floored to 0.1 %, durations as h:mm:ss, NPS as a signed score", () => {
    expect(formatDeskFigure("15m.service_level", 0.79999)).toBe("79.9%");
    expect(formatDeskFigure("longest_waiting_s", 75.4)).toBe("1:15");
    expect(formatDeskFigure("60m.aht_s", 3725)).toBe("1:02:05");
    expect(formatDeskFigure("15m.nps", 0.25)).toBe("+25");
    expect(formatDeskFigure("15m.nps", -0.5)).toBe("-50");
    expect(formatDeskFigure("today.service_level", null)).toBe("–");
    expect(formatDeskFigure("waiting", 3)).toBe("3");
  });

  it("takes each figure's state from the server, ok when not named, and the row's worst", () => {
    const q = queue({ states: { longest_waiting_s: "warning", "15m.service_level": "breach" } });
    expect(figureState(q, "longest_waiting_s")).toBe("warning");
    expect(figureState(q, "waiting")).toBe("ok");
    expect(worstState(q, shownFigures("15m"))).toBe("breach");
    expect(worstState(q, shownFigures("60m"))).toBe("warning");
    expect(worstState(queue(), shownFigures("15m"))).toBe("ok");
  });

  it("links a counted figure to the contacts page of its window and filter, and nothing else", () => {
    const filters = {
      offered: "outcome=offered",
      max_wait_s: "outcome=offered&sort=longest_wait&limit=1",
    };
    const href = drillHref("s 1", queue(), "60m.offered", filters);
    expect(href).toBe(
      `/contacts?site=s%201&drill=${encodeURIComponent("/api/v1/contacts?site=s&queue=cards&from=c&to=d&outcome=offered")}`,
    );
    expect(drillHref("s", queue(), "15m.service_level", filters)).toBeNull();
    expect(drillHref("s", queue(), "waiting", filters)).toBeNull();
    expect(drillHref("s", queue(), "agents.available", filters)).toBeNull();
    expect(drillFilter("15m.max_wait_s", filters)).toBe(
      "outcome=offered&sort=longest_wait&limit=1",
    );
    expect(drillFilter("15m.aht_s", filters)).toBeNull();
  });
});
