import { describe, expect, it } from "vitest";
import { liveWaitingByQueue } from "./contacts";

describe("liveWaitingByQueue", () => {
  it("is written without a lambda, which ClickHouse 24+'s analyzer resolves over aggregate aliases unlike 18.16", () => {
    const text = liveWaitingByQueue.build({ site: "s", as_of_ms: 1_790_000_000_000 }).text;
    expect(text).not.toMatch(/->/);
    expect(text).not.toMatch(/array(Exists|Filter|Map|All)\s*\(/);
  });
});
