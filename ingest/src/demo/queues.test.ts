// The rows that name the demo's queues (pure): only where a name is missing, never a new version.
import type { QueueDefinitions } from "@floorwatch/sql";
import { describe, expect, it } from "vitest";
import { demoQueueRows } from "./queues";
import { DEMO_QUEUES } from "./simulator";

const cards = {
  queue: "credit_card",
  channel: "voice" as const,
  name_zh: "信用卡",
  name_en: "Credit cards",
};

type Version = QueueDefinitions["versions"][number];

/** Version 1 as the ingest defines a queue it has not seen: the voice defaults, from the start. */
const version = (over: Partial<Version> = {}): Version => ({
  version: 1,
  valid_from_ms: Number.MIN_SAFE_INTEGER,
  sl_threshold_s: 20,
  short_abandon_s: 5,
  sl_target: 0.8,
  ...over,
});

const defined = (over: Partial<QueueDefinitions> = {}): QueueDefinitions => ({
  queue: "credit_card",
  channel: "voice",
  name_zh: "",
  name_en: "",
  versions: [version()],
  ...over,
});

describe("demoQueueRows", () => {
  it("defines a queue not defined yet as version 1 with its channel's defaults and both names", () => {
    expect(demoQueueRows("demo", [cards], new Map(), 1_000)).toEqual([
      {
        site: "demo",
        queue: "credit_card",
        version: 1,
        valid_from_ms: 0,
        channel: "voice",
        sl_threshold_s: 20,
        short_abandon_s: 5,
        sl_target: 0.8,
        name_zh: "信用卡",
        name_en: "Credit cards",
        created_ms: 1_000,
        created_by: "demo",
      },
    ]);
  });

  it("names the latest version of a queue the ingest defined without names, keeping its parameters", () => {
    const stored = defined({
      versions: [
        version(),
        version({
          version: 2,
          valid_from_ms: 900_000,
          sl_threshold_s: 30,
          short_abandon_s: 3,
          sl_target: 0.9,
        }),
      ],
    });
    const [row, ...rest] = demoQueueRows(
      "demo",
      [cards],
      new Map([["credit_card", stored]]),
      5_000,
    );
    expect(rest).toEqual([]);
    expect(row).toMatchObject({
      version: 2,
      valid_from_ms: 900_000,
      sl_threshold_s: 30,
      short_abandon_s: 3,
      sl_target: 0.9,
      name_zh: "信用卡",
      name_en: "Credit cards",
      created_ms: 5_000,
    });
  });

  it("stores version 1 from 0, as every writer of version 1 does", () => {
    const [row] = demoQueueRows("demo", [cards], new Map([["credit_card", defined()]]), 5_000);
    expect([row?.version, row?.valid_from_ms]).toEqual([1, 0]);
  });

  it("writes nothing for a queue whose names are set, and keeps a name an admin chose", () => {
    const named = defined({ name_zh: "信用卡中心", name_en: "Card centre" });
    expect(demoQueueRows("demo", [cards], new Map([["credit_card", named]]), 5_000)).toEqual([]);
    const half = defined({ name_zh: "", name_en: "Card centre" });
    const [row] = demoQueueRows("demo", [cards], new Map([["credit_card", half]]), 5_000);
    expect([row?.name_zh, row?.name_en]).toEqual(["信用卡", "Card centre"]);
  });

  it("gives every demo queue a Chinese and an English name of its own", () => {
    for (const q of DEMO_QUEUES) {
      expect(q.name_zh, q.queue).toMatch(/^[\u4e00-\u9fff]+$/);
      expect(q.name_en, q.queue).toMatch(/^[A-Z][a-z]+( [a-z]+)*$/);
    }
    expect(new Set(DEMO_QUEUES.map((q) => q.name_zh)).size).toBe(DEMO_QUEUES.length);
    expect(new Set(DEMO_QUEUES.map((q) => q.name_en)).size).toBe(DEMO_QUEUES.length);
  });
});
