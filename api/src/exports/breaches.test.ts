import type { Breach } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { BREACHES_COLUMNS, breachCells, figureValue, pagedBreaches } from "./breaches";

const T0 = Date.parse("2026-10-10T02:00:00Z"); // 10:00 in Shanghai

function breach(id: string, startedMs: number, over: Partial<Breach> = {}): Breach {
  return {
    id,
    site: "s",
    rule_id: "sl-low",
    rule_version: 3,
    rule_name: "Service level low",
    rule_name_zh: "服务水平偏低",
    severity: "critical",
    labels: {},
    scope: { key: "queue:cards", queue: "cards", channel: "voice", survey_id: null },
    figure: "service_level",
    window: "15m",
    comparator: "<",
    threshold: 0.8,
    recovery_threshold: 0.85,
    definition_version: 2,
    acknowledged: null,
    drill: "",
    started_at: new Date(startedMs).toISOString(),
    pending_since: new Date(startedMs - 60_000).toISOString(),
    ended_at: new Date(startedMs + 90_500).toISOString(),
    peak: 2 / 3,
    peak_at: new Date(startedMs + 30_000).toISOString(),
    duration_s: 90.5,
    ...over,
  };
}

/** What loadBreaches + toBreaches give for a range: the newest `limit` started before `to`. */
const pagesOf =
  (all: Breach[], calls: number[] = []) =>
  async (to: number, limit: number) => {
    calls.push(to);
    return all
      .filter((b) => Date.parse(b.started_at) < to)
      .sort((a, b) => Date.parse(b.started_at) - Date.parse(a.started_at) || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  };

describe("paging the month's breaches", () => {
  it("returns every breach once when an instant's breaches straddle a page's end", async () => {
    // Ten breaches: four at T0 + 5 min (one evaluator tick over four queues), six others.
    const all = [
      ...["a", "b", "c", "d"].map((id) => breach(id, T0 + 5 * 60_000)),
      ...[0, 1, 2, 3, 4, 6].map((m) => breach(`m${m}`, T0 + m * 60_000)),
    ];
    const calls: number[] = [];
    // Pages of 5: m6 a b c d (the tick cut at its end: a–d left to the next page), a b c d m4, …
    const got = await pagedBreaches(T0 + 3_600_000, pagesOf(all, calls), 5);
    expect(got.map((b) => b.id).sort()).toEqual(all.map((b) => b.id).sort());
    expect(new Set(got.map((b) => b.id)).size).toBe(all.length);
    expect(calls.length).toBeGreaterThan(2);
  });

  it("reads once when the month holds fewer than a page", async () => {
    const calls: number[] = [];
    const got = await pagedBreaches(T0 + 3_600_000, pagesOf([breach("x", T0)], calls), 3);
    expect(got.map((b) => b.id)).toEqual(["x"]);
    expect(calls).toEqual([T0 + 3_600_000]);
  });

  it("refuses, rather than loops or drops, when one instant holds a whole page", async () => {
    const all = ["a", "b", "c"].map((id) => breach(id, T0));
    await expect(pagedBreaches(T0 + 1, pagesOf(all), 3)).rejects.toThrow(/more than 3 breaches/);
  });
});

describe("a breach as its row", () => {
  const cell = (cells: unknown[], name: string) =>
    cells[BREACHES_COLUMNS.findIndex((c) => c.en === name)];

  it("gives an ended breach its local times, duration, peak and acknowledgement", () => {
    const cells = breachCells(
      "Asia/Shanghai",
      breach("e1", T0, {
        acknowledged: { by: "王主管", at: "2026-10-10T02:03:00.250Z", note: "staff short" },
      }),
    );
    expect(cells).toHaveLength(BREACHES_COLUMNS.length);
    expect(cell(cells, "alert_id")).toBe("e1");
    expect(cell(cells, "rule_name_zh")).toBe("服务水平偏低");
    expect(cell(cells, "rule_version")).toBe(3);
    expect(cell(cells, "scope_key")).toBe("queue:cards");
    expect(cell(cells, "survey_id")).toBeNull();
    expect(cell(cells, "threshold")).toBe(0.8);
    expect(cell(cells, "pending_since")).toBe("2026-10-10T09:59:00+08:00");
    expect(cell(cells, "started_at")).toBe("2026-10-10T10:00:00+08:00");
    expect(cell(cells, "ended_at")).toBe("2026-10-10T10:01:30.500+08:00");
    expect(cell(cells, "status")).toBe("ended");
    expect(cell(cells, "duration_s")).toBe(90.5);
    expect(cell(cells, "peak")).toBe(0.666667);
    expect(cell(cells, "peak_at")).toBe("2026-10-10T10:00:30+08:00");
    expect(cell(cells, "acknowledged_by")).toBe("王主管");
    expect(cell(cells, "acknowledged_at")).toBe("2026-10-10T10:03:00.250+08:00");
    expect(cell(cells, "ack_note")).toBe("staff short");
  });

  it("says firing, with no end and no duration, while it still fires; no acknowledgement stays empty", () => {
    const cells = breachCells(
      "Asia/Shanghai",
      breach("f1", T0, { ended_at: null, duration_s: null }),
    );
    expect(cell(cells, "status")).toBe("firing");
    expect(cell(cells, "ended_at")).toBeNull();
    expect(cell(cells, "duration_s")).toBeNull();
    expect(cell(cells, "acknowledged_by")).toBeNull();
    expect(cell(cells, "acknowledged_at")).toBeNull();
    expect(cell(cells, "ack_note")).toBeNull();
  });

  it("writes seconds figures to the millisecond and the others to 6 places", () => {
    expect(figureValue("asa_s", 181.23456)).toBe(181.235);
    expect(figureValue("service_level", 0.7999999)).toBe(0.8);
    expect(figureValue("followup_overdue_h", 26.0000001)).toBe(26);
    expect(figureValue("waiting", 12)).toBe(12);
  });
});
