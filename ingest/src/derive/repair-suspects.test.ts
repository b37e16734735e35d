import { describe, expect, it } from "vitest";
import { makeRepairSuspects } from "./repair-suspects";

type Report = { repaired: number; unsettled: number[] };

function fake(answer: (site: string, quarters: number[]) => Report) {
  const calls: [string, number[]][] = [];
  let clock = 0;
  const suspects = makeRepairSuspects(
    async (site, quarters) => {
      calls.push([site, [...quarters].sort((a, b) => a - b)]);
      return answer(site, quarters);
    },
    { now: () => clock, retryMs: 30_000 },
  );
  return {
    suspects,
    calls,
    tick: (ms: number) => {
      clock += ms;
    },
  };
}

describe("the quarters to compare with the facts after a failed insert", () => {
  it("compares nothing while nothing failed", async () => {
    const f = fake(() => ({ repaired: 0, unsettled: [] }));
    expect(await f.suspects.repair()).toBe(0);
    expect(f.calls).toEqual([]);
  });

  it("compares each site's quarters once, however often they were added, then forgets them", async () => {
    const f = fake((_, q) => ({ repaired: q.length, unsettled: [] }));
    f.suspects.add("s1", [1800, 900]);
    f.suspects.add("s1", [900, 2700]);
    f.suspects.add("s2", [900]);
    expect(f.suspects.pending()).toEqual(
      new Map([
        ["s1", [900, 1800, 2700]],
        ["s2", [900]],
      ]),
    );
    expect(await f.suspects.repair()).toBe(4);
    expect(f.calls).toEqual([
      ["s1", [900, 1800, 2700]],
      ["s2", [900]],
    ]);
    expect(f.suspects.pending().size).toBe(0);
    expect(await f.suspects.repair()).toBe(0);
    expect(f.calls).toHaveLength(2);
  });

  it("keeps quarters that did not settle and compares them again 30 s later, not before", async () => {
    const f = fake((_, q) => ({ repaired: 0, unsettled: q.filter((x) => x === 2700) }));
    f.suspects.add("s1", [900, 2700]);
    await f.suspects.repair();
    expect(f.suspects.pending()).toEqual(new Map([["s1", [2700]]]));
    f.tick(29_999);
    await f.suspects.repair();
    expect(f.calls).toHaveLength(1);
    f.tick(1);
    await f.suspects.repair();
    expect(f.calls).toEqual([
      ["s1", [900, 2700]],
      ["s1", [2700]],
    ]);
  });

  it("compares at once after a new failure, even while unsettled quarters wait", async () => {
    const f = fake((_, q) => ({ repaired: 0, unsettled: q.includes(2700) ? [2700] : [] }));
    f.suspects.add("s1", [2700]);
    await f.suspects.repair();
    f.suspects.add("s2", [900]);
    await f.suspects.repair();
    expect(f.calls).toEqual([
      ["s1", [2700]],
      ["s1", [2700]],
      ["s2", [900]],
    ]);
  });

  it("keeps every quarter when the comparison itself fails", async () => {
    const f = fake(() => {
      throw new Error("ClickHouse is down");
    });
    f.suspects.add("s1", [900]);
    await expect(f.suspects.repair()).rejects.toThrow("down");
    expect(f.suspects.pending()).toEqual(new Map([["s1", [900]]]));
  });
});
