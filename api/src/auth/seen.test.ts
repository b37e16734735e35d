// The rows one flush of screen heartbeats writes (pure): one per token heard, at its latest instant.
import { describe, expect, it } from "vitest";
import { heartbeatRows } from "./seen";

describe("heartbeatRows", () => {
  const siteOf = new Map([
    ["aaa", "floor-1"],
    ["bbb", "floor-2"],
  ]);

  it("writes one row per token heard, at its latest instant, with its site", () => {
    const rows = heartbeatRows(
      new Map([
        ["aaa", 1_000],
        ["bbb", 2_000],
      ]),
      [],
      siteOf,
      5_000,
    );
    expect(rows).toEqual([
      { site: "floor-1", token_id: "aaa", seen_ms: 1_000 },
      { site: "floor-2", token_id: "bbb", seen_ms: 2_000 },
    ]);
  });

  it("counts a token with a stream open as heard now, once, though it also made requests", () => {
    const rows = heartbeatRows(new Map([["aaa", 1_000]]), ["aaa", "bbb"], siteOf, 5_000);
    expect(rows).toEqual([
      { site: "floor-1", token_id: "aaa", seen_ms: 5_000 },
      { site: "floor-2", token_id: "bbb", seen_ms: 5_000 },
    ]);
  });

  it("leaves out a token whose site was never learnt rather than write it without one", () => {
    expect(heartbeatRows(new Map([["ccc", 1_000]]), ["ddd"], siteOf, 5_000)).toEqual([]);
  });
});
