import { describe, expect, it, test, vi } from "vitest";
import { fetchTrends, pointCount, quarterHour, trendData, trendSpan } from "./trends";
import { trends } from "./test-frames";

describe("trendData", () => {
  it("gives today's service level per quarter hour in % with a flat target line", () => {
    expect(trendData(trends(), "queue:loans", "service_level", 0.8)).toEqual([
      [1_800_000_000, 1_800_000_900, 1_800_001_800],
      [90, 70, null],
      [80, 80, 80],
    ]);
  });

  it("keeps counts and seconds as they are", () => {
    expect(trendData(trends(), "queue:loans", "offered", null)).toEqual([
      [1_800_000_000, 1_800_000_900, 1_800_001_800],
      [10, 12, null],
    ]);
    expect(trendData(trends(), "queue:loans", "max_wait_s", null)[1]).toEqual([40, 200, null]);
  });

  it("reads CSAT and resolution per day of the last 14", () => {
    expect(trendSpan("csat")).toBe("days");
    expect(trendData(trends(), "queue:loans", "resolution_rate", null)).toEqual([
      [1_799_913_600, 1_800_000_000],
      [93, 90],
    ]);
  });

  it("draws an empty chart for a tile the trends do not know, or before they arrive", () => {
    const unknown = trendData(trends(), "queue:cards", "service_level", null);
    expect(unknown).toEqual([
      [1_800_000_000, 1_800_000_900, 1_800_001_800],
      [null, null, null],
      [null, null, null],
    ]);
    expect(pointCount(unknown)).toBe(0);
    expect(trendData(null, "queue:loans", "offered", null)).toEqual([[], []]);
  });

  test("a chart counts the values it draws, not its gaps", () => {
    expect(pointCount(trendData(trends(), "queue:loans", "csat", null))).toBe(1);
  });
});

describe("quarterHour", () => {
  it("changes at each quarter hour, not in between", () => {
    expect(quarterHour(900_000 - 1)).toBe(0);
    expect(quarterHour(900_000)).toBe(1);
    expect(quarterHour(1_799_999)).toBe(1);
  });
});

describe("fetchTrends", () => {
  const answer = (body: unknown, status = 200) =>
    vi.fn(
      async (_u: RequestInfo | URL, _i?: RequestInit) =>
        new Response(JSON.stringify(body), { status }),
    );

  it("asks for the site's trends with the screen's token and returns them when valid", async () => {
    const f = answer(trends());
    expect(await fetchTrends("demo", { token: "fw_t", fetch: f })).toEqual(trends());
    expect(f.mock.calls[0]?.[0]).toBe("/api/v1/live/trends?site=demo");
    expect(new Headers(f.mock.calls[0]?.[1]?.headers).get("authorization")).toBe("Bearer fw_t");
  });

  it("answers null for an error, an invalid body or another site's trends", async () => {
    expect(await fetchTrends("demo", { fetch: answer({}, 503) })).toBeNull();
    expect(await fetchTrends("demo", { fetch: answer({ site: "demo" }) })).toBeNull();
    expect(await fetchTrends("other", { fetch: answer(trends()) })).toBeNull();
  });
});
