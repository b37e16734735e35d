import { describe, expect, it } from "vitest";
import { makeHistory } from "./history";

const snap = (waiting: number) => [{ queue: "loans", waiting }];

describe("makeHistory", () => {
  it("returns one queue's counts oldest first with their times", () => {
    const h = makeHistory({ capacity: 10, windowS: 600, gapS: 5 });
    h.push(100, [
      { queue: "loans", waiting: 1 },
      { queue: "cards", waiting: 7 },
    ]);
    h.push(101, [
      { queue: "loans", waiting: 2 },
      { queue: "cards", waiting: 8 },
    ]);
    expect(h.series("loans")).toEqual([
      [100, 101],
      [1, 2],
    ]);
    expect(h.series("cards")).toEqual([
      [100, 101],
      [7, 8],
    ]);
  });

  it("keeps only the newest entries once full, dropping the oldest", () => {
    const h = makeHistory({ capacity: 3, windowS: 600, gapS: 5 });
    for (let t = 1; t <= 5; t++) h.push(t, snap(t * 10));
    expect(h.size()).toBe(3);
    expect(h.series("loans")).toEqual([
      [3, 4, 5],
      [30, 40, 50],
    ]);
  });

  it("returns only points inside the window before the newest one", () => {
    const h = makeHistory({ capacity: 100, windowS: 2, gapS: 5 });
    for (let t = 10; t <= 14; t++) h.push(t, snap(t));
    expect(h.series("loans")[0]).toEqual([12, 13, 14]);
  });

  it("answers null where the queue was missing from a snapshot, so the line breaks there", () => {
    const h = makeHistory({ capacity: 10, windowS: 600, gapS: 5 });
    h.push(1, snap(1));
    h.push(2, [{ queue: "cards", waiting: 4 }]);
    h.push(3, snap(3));
    expect(h.series("loans")).toEqual([
      [1, 2, 3],
      [1, null, 3],
    ]);
  });

  it("inserts a null between two points further apart than the gap, so an outage is not drawn as a line", () => {
    const h = makeHistory({ capacity: 10, windowS: 600, gapS: 5 });
    h.push(100, snap(1));
    h.push(130, snap(2));
    expect(h.series("loans")).toEqual([
      [100, 115, 130],
      [1, null, 2],
    ]);
  });

  it("replaces the last point when the same instant arrives twice", () => {
    const h = makeHistory({ capacity: 10, windowS: 600, gapS: 5 });
    h.push(100, snap(1));
    h.push(100, snap(2));
    expect(h.series("loans")).toEqual([[100], [2]]);
  });

  it("starts over when time goes backwards, keeping x ascending", () => {
    const h = makeHistory({ capacity: 10, windowS: 600, gapS: 5 });
    h.push(100, snap(1));
    h.push(101, snap(2));
    h.push(50, snap(9));
    expect(h.series("loans")).toEqual([[50], [9]]);
    expect(h.newest()).toBe(50);
  });

  it("is empty before the first push and after clear", () => {
    const h = makeHistory({ capacity: 2, windowS: 600, gapS: 5 });
    expect(h.series("loans")).toEqual([[], []]);
    expect(h.newest()).toBeNull();
    h.push(1, snap(1));
    h.clear();
    expect(h.size()).toBe(0);
    expect(h.series("loans")).toEqual([[], []]);
  });

  it("wraps around the ring many times without losing order", () => {
    const h = makeHistory({ capacity: 4, windowS: 10_000, gapS: 5 });
    for (let t = 1; t <= 1003; t++) h.push(t, snap(t));
    expect(h.series("loans")).toEqual([
      [1000, 1001, 1002, 1003],
      [1000, 1001, 1002, 1003],
    ]);
  });

  it("refuses a capacity below one", () => {
    expect(() => makeHistory({ capacity: 0, windowS: 1, gapS: 1 })).toThrow(RangeError);
  });
});
