import { describe, expect, it } from "vitest";
import { queueDefinitionsOf, type QueueDefinitionVersionRow } from "./definitions";

const row = (
  queue: string,
  version: number,
  fields: Partial<QueueDefinitionVersionRow> = {},
): QueueDefinitionVersionRow => ({
  queue,
  version,
  valid_from_ms: 0,
  channel: "voice",
  sl_threshold_s: 180,
  short_abandon_s: 5,
  sl_target: 0.8,
  name_zh: "",
  name_en: "",
  ...fields,
});

describe("queue definition versions", () => {
  it("puts each queue's versions oldest first, version 1 from the beginning of time", () => {
    const defs = queueDefinitionsOf([
      row("loans", 2, { valid_from_ms: 1_800_000_000_000, sl_threshold_s: 60 }),
      row("cards", 1, { valid_from_ms: 1_700_000_000_000 }),
      row("loans", 1, { valid_from_ms: 1_700_000_000_000 }),
    ]);
    expect([...defs.keys()]).toEqual(["cards", "loans"]);
    expect(defs.get("loans")!.versions).toEqual([
      {
        version: 1,
        valid_from_ms: Number.MIN_SAFE_INTEGER,
        sl_threshold_s: 180,
        short_abandon_s: 5,
        sl_target: 0.8,
      },
      {
        version: 2,
        valid_from_ms: 1_800_000_000_000,
        sl_threshold_s: 60,
        short_abandon_s: 5,
        sl_target: 0.8,
      },
    ]);
  });

  it("names a queue and its channel by its latest version", () => {
    const defs = queueDefinitionsOf([
      row("loans", 2, { channel: "chat", name_en: "Loans", name_zh: "贷款" }),
      row("loans", 1, { name_en: "old" }),
    ]);
    expect(defs.get("loans")).toMatchObject({ channel: "chat", name_en: "Loans", name_zh: "贷款" });
  });

  it("gives no queue for no rows", () => {
    expect(queueDefinitionsOf([]).size).toBe(0);
  });
});
