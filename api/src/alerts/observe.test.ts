import type { LiveSnapshot } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { group, queue, windowOf } from "../metrics/test-snapshots";
import { observe, resolveThreshold } from "./observe";
import { DEFAULT_RULES } from "./defaults";
import type { ThresholdRuleDraft } from "@floorwatch/contracts";

const snap: LiveSnapshot = {
  site: "s",
  tz: "Asia/Shanghai",
  as_of: "2026-11-28T02:00:00.000Z",
  definition_set: "x",
  queues: [
    queue("cards", "voice", { longest: 310, sl: windowOf(30, 21), target: 0.75 }),
    queue("chat1", "chat", { sl: windowOf(3, 0) }),
  ],
  totals: { site: group(310, windowOf(33, 21)), channels: { voice: group(310, windowOf(30, 21)) } },
  drill_filters: {},
};

describe("what a rule sees in a snapshot", () => {
  it("reads one alert per queue for each_queue, leaving out the excepted ones", () => {
    const rule = { ...(DEFAULT_RULES["longest-wait"] as ThresholdRuleDraft) };
    expect(observe(rule, snap).map((o) => [o.scope.key, o.value])).toEqual([
      ["queue:cards", 310],
      ["queue:chat1", 0],
    ]);
    const except = { ...rule, scope: { kind: "each_queue" as const, except: ["chat1"] } };
    expect(observe(except, snap).map((o) => o.scope.key)).toEqual(["queue:cards"]);
  });

  it("resolves sl_target to each queue's own target, and to the lowest of a group", () => {
    const rule = DEFAULT_RULES["service-level"] as ThresholdRuleDraft;
    const [cards, chat] = observe(rule, snap);
    expect(cards).toMatchObject({ threshold: 0.75, value: 0.7, volume: 30, definition_version: 2 });
    expect(chat).toMatchObject({ threshold: 0.8, value: 0, volume: 3 });
    const site = observe({ ...rule, scope: { kind: "site" } }, snap)[0]!;
    expect(site).toMatchObject({ threshold: 0.75, definition_version: null, volume: 33 });
    expect(resolveThreshold("sl_target", [])).toBe(0.8);
  });

  it("reads a channel's totals, and nothing for a channel without queues", () => {
    const rule = {
      ...(DEFAULT_RULES["longest-wait"] as ThresholdRuleDraft),
      scope: { kind: "channel" as const, channel: "voice" as const },
    };
    expect(observe(rule, snap)[0]).toMatchObject({ value: 310, scope: { key: "channel:voice" } });
    const none = { ...rule, scope: { kind: "channel" as const, channel: "email" as const } };
    expect(observe(none, snap)[0]).toMatchObject({ value: null, scope: { key: "channel:email" } });
  });

  it("reads agent counts, and a queue the snapshot lacks as no value", () => {
    const rule: ThresholdRuleDraft = {
      ...(DEFAULT_RULES["longest-wait"] as ThresholdRuleDraft),
      figure: "agents.not_ready",
      scope: { kind: "queue", queue: "gone" },
    };
    expect(observe(rule, snap)[0]).toMatchObject({ value: null, scope: { key: "queue:gone" } });
    expect(observe({ ...rule, scope: { kind: "queue", queue: "cards" } }, snap)[0]!.value).toBe(1);
  });
});
