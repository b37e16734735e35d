import type { QueueDefinitions } from "@floorwatch/sql";
import { describe, expect, it } from "vitest";
import { makeDefinitionsCache } from "./definitions-cache";

const loans = (sl_threshold_s: number): QueueDefinitions => ({
  queue: "loans",
  channel: "voice",
  name_zh: "",
  name_en: "",
  versions: [
    {
      version: 1,
      valid_from_ms: Number.MIN_SAFE_INTEGER,
      sl_threshold_s,
      short_abandon_s: 5,
      sl_target: 0.8,
    },
  ],
});

function fake() {
  const loads: string[] = [];
  let threshold = 180;
  let clock = 1_000_000;
  const cache = makeDefinitionsCache(
    async (site) => {
      loads.push(site);
      return new Map([["loans", loans(threshold)]]);
    },
    { ttlMs: 10_000, now: () => clock },
  );
  return {
    cache,
    loads,
    set: (t: number) => {
      threshold = t;
    },
    tick: (ms: number) => {
      clock += ms;
    },
  };
}

describe("the deriver's definitions cache", () => {
  it("reads a site once within the TTL, and again after it", async () => {
    const f = fake();
    expect((await f.cache.versionsOf("s1")).get("loans")![0]!.sl_threshold_s).toBe(180);
    f.set(60);
    f.tick(9_999);
    expect((await f.cache.versionsOf("s1")).get("loans")![0]!.sl_threshold_s).toBe(180);
    f.tick(1);
    expect((await f.cache.versionsOf("s1")).get("loans")![0]!.sl_threshold_s).toBe(60);
    expect(f.loads).toEqual(["s1", "s1"]);
  });

  it("keeps sites apart", async () => {
    const f = fake();
    await f.cache.versionsOf("s1");
    await f.cache.versionsOf("s2");
    await f.cache.versionsOf("s1");
    expect(f.loads).toEqual(["s1", "s2"]);
  });

  it("reads a forgotten site again at once (a queue the deriver just created)", async () => {
    const f = fake();
    await f.cache.versionsOf("s1");
    f.cache.forget("s1");
    f.set(30);
    expect((await f.cache.versionsOf("s1")).get("loans")![0]!.sl_threshold_s).toBe(30);
    expect(f.loads).toEqual(["s1", "s1"]);
  });
});
