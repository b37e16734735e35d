import { describe, expect, it } from "vitest";
import { PII_ACCESS_COLUMNS, pagedByInstant } from "./pii-access";

interface Entry {
  at_ms: number;
  id: string;
}

/** What loadPersonalDataReads gives: entries of [from, to) in (at_ms, id) order, at most `limit`. */
const reader =
  (all: Entry[], calls: [number, number, number][] = []) =>
  async (from: number, to: number, limit: number) => {
    calls.push([from, to, limit]);
    return all
      .filter((e) => e.at_ms >= from && e.at_ms < to)
      .sort((a, b) => a.at_ms - b.at_ms || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  };

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe("paging the audit log by instant", () => {
  const sorted = (all: Entry[]) =>
    [...all].sort((a, b) => a.at_ms - b.at_ms || (a.id < b.id ? -1 : 1)).map((e) => e.id);

  it("yields every entry once, oldest first, when entries of one millisecond straddle a page", async () => {
    const all: Entry[] = [
      { at_ms: 10, id: "a" },
      { at_ms: 11, id: "b" },
      { at_ms: 12, id: "c1" },
      { at_ms: 12, id: "c2" },
      { at_ms: 12, id: "c3" },
      { at_ms: 13, id: "d" },
      { at_ms: 14, id: "e" },
    ];
    const got = await collect(pagedByInstant(0, 100, reader(all), 3));
    expect(got.map((e) => e.id)).toEqual(sorted(all));
  });

  it("reads a millisecond that fills a whole page on its own, then goes on after it", async () => {
    const all: Entry[] = [
      ...["x1", "x2", "x3", "x4", "x5"].map((id) => ({ at_ms: 20, id })),
      { at_ms: 21, id: "y" },
    ];
    const calls: [number, number, number][] = [];
    const got = await collect(pagedByInstant(0, 100, reader(all, calls), 3));
    expect(got.map((e) => e.id)).toEqual(sorted(all));
    expect(calls.some(([from, to]) => from === 20 && to === 21)).toBe(true);
  });

  it("keeps to [from, to) and stops on a short page", async () => {
    const all: Entry[] = [
      { at_ms: 5, id: "before" },
      { at_ms: 10, id: "first" },
      { at_ms: 99, id: "last" },
      { at_ms: 100, id: "after" },
    ];
    const calls: [number, number, number][] = [];
    const got = await collect(pagedByInstant(10, 100, reader(all, calls), 3));
    expect(got.map((e) => e.id)).toEqual(["first", "last"]);
    expect(calls).toHaveLength(1);
  });

  it("reads an exactly full last page and then an empty one", async () => {
    const all: Entry[] = [1, 2, 3].map((ms) => ({ at_ms: ms, id: String(ms) }));
    const got = await collect(pagedByInstant(0, 100, reader(all), 3));
    expect(got.map((e) => e.id)).toEqual(["1", "2", "3"]);
  });
});

describe("pii_access.csv's columns", () => {
  it("are the audit entry's, in the documented order", () => {
    expect(PII_ACCESS_COLUMNS.map((c) => c.en)).toEqual([
      "at",
      "actor_id",
      "actor_name",
      "actor_role",
      "action",
      "target",
      "detail",
      "request_id",
    ]);
  });
});
