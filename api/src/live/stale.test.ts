import { describe, expect, it } from "vitest";
import { makeStaleCache } from "./stale";

describe("makeStaleCache", () => {
  it("answers with the value held and refreshes it behind the answer once it is old", async () => {
    let t = 0;
    let n = 0;
    const cache = makeStaleCache(
      async (k: string) => `${k}${++n}`,
      1_000,
      () => t,
    );
    expect(await cache.get("a")).toBe("a1");
    t = 999;
    expect(await cache.get("a")).toBe("a1");
    expect(n).toBe(1);
    t = 1_000;
    // Old: the held value at once, a refresh started.
    expect(await cache.get("a")).toBe("a1");
    await Promise.resolve();
    expect(await cache.get("a")).toBe("a2");
    expect(n).toBe(2);
  });

  it("computes anew on fresh, and an older load never overwrites a newer one", async () => {
    const resolvers: ((v: string) => void)[] = [];
    const cache = makeStaleCache(
      (_k: string) => new Promise<string>((r) => resolvers.push(r)),
      1_000,
      () => 0,
    );
    const first = cache.get("a");
    const second = cache.fresh("a");
    resolvers[1]!("new");
    expect(await second).toBe("new");
    resolvers[0]!("old");
    expect(await first).toBe("old");
    expect(await cache.get("a")).toBe("new");
  });

  it("keeps the value held when a refresh fails, and fails the first read that fails", async () => {
    let t = 0;
    let fail = false;
    const cache = makeStaleCache(
      async () => {
        if (fail) throw new Error("away");
        return "v";
      },
      10,
      () => t,
    );
    await cache.get("a");
    fail = true;
    t = 100;
    expect(await cache.get("a")).toBe("v");
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get("a")).toBe("v");
    await expect(cache.get("b")).rejects.toThrow("away");
  });
});
