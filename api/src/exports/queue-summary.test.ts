import { QueueFigures, type ReportRow } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import type { QueueConfig } from "../metrics/config";
import {
  DAILY_QUEUE_SUMMARY_COLUMNS,
  dailyCells,
  INTERVAL_QUEUE_SUMMARY_COLUMNS,
  intervalCells,
  packQueues,
} from "./queue-summary";
import type { PackContext } from "./types";

const FIGURES = Object.keys(QueueFigures.shape);
const DEFINITION = [
  "definition_set",
  "definition_versions",
  "sl_threshold_s",
  "short_abandon_s",
  "sl_target",
  "restated",
];

/** A half hour of a voice queue: 3 answered (2 within T), 1 abandoned, judged by versions 1 and 2. */
function row(over: Partial<ReportRow> = {}): ReportRow {
  return {
    offered: 5,
    answered: 3,
    abandoned: 1,
    short_abandoned: 0,
    answered_within_sl: 2,
    service_level: 2 / 4,
    abandon_rate: 1 / 4,
    asa_s: 37 / 3, // 12.333… s
    max_wait_s: 40.0006,
    callbacks: 1,
    flowed_out: 0,
    handled: 2,
    aht_s: 300,
    resolution_rate: 1 / 2,
    transfer_rate: 4 / 3,
    first_response_s: null,
    csat: 2 / 3,
    nps: -1 / 3,
    fcr_survey: null,
    low_csat: 1,
    csat_responses: 3,
    nps_responses: 3,
    fcr_responses: 0,
    occupancy: 0.1234567,
    orphaned: 0,
    interval_start: "2026-10-05T09:30:00+08:00",
    interval_end: "2026-10-05T10:00:00+08:00",
    queue: "cards",
    channel: "voice",
    definition: {
      set: "floorwatch-metrics-v1",
      versions: [
        {
          version: 1,
          valid_from: "1970-01-01T00:00:00.000Z",
          sl_threshold_s: 20,
          short_abandon_s: 5,
          sl_target: 0.8,
        },
        {
          version: 2,
          valid_from: "2026-10-05T01:45:00.000Z",
          sl_threshold_s: 30,
          short_abandon_s: 5,
          sl_target: 0.85,
        },
      ],
    },
    closed: true,
    restated: false,
    drill: "/api/v1/contacts?…",
    ...over,
  };
}

describe("the queue summary files' columns", () => {
  it("name every figure of QueueFigures exactly and in its order, between the keys and the definition", () => {
    expect(DAILY_QUEUE_SUMMARY_COLUMNS.map((c) => c.en)).toEqual([
      "date",
      "queue",
      "channel",
      ...FIGURES,
      ...DEFINITION,
    ]);
    expect(INTERVAL_QUEUE_SUMMARY_COLUMNS.map((c) => c.en)).toEqual([
      "date",
      "queue",
      "interval_start",
      "interval_end",
      "channel",
      ...FIGURES,
      ...DEFINITION,
    ]);
    // 25 figures today: a field added to QueueFigures appears here without another edit.
    expect(FIGURES).toContain("csat_responses");
  });

  it("describe every column in both languages, under headers unique in each", () => {
    for (const cols of [DAILY_QUEUE_SUMMARY_COLUMNS, INTERVAL_QUEUE_SUMMARY_COLUMNS]) {
      for (const c of cols) {
        expect(c.zh.trim(), c.en).not.toBe("");
        expect(c.about_en.length, c.en).toBeGreaterThan(20);
        expect(c.about_zh.length, c.en).toBeGreaterThan(5);
        expect(c.about_zh, c.en).toMatch(/[\u4e00-\u9fff]/);
      }
      expect(new Set(cols.map((c) => c.en)).size).toBe(cols.length);
      expect(new Set(cols.map((c) => c.zh)).size).toBe(cols.length);
    }
  });
});

describe("a report row as cells", () => {
  const cell = (cells: unknown[], name: string, columns = DAILY_QUEUE_SUMMARY_COLUMNS) =>
    cells[columns.findIndex((c) => c.en === name)];

  it("writes counts whole, ratios to 6 places and seconds to the millisecond, no value empty", () => {
    const cells = dailyCells(row());
    expect(cells).toHaveLength(DAILY_QUEUE_SUMMARY_COLUMNS.length);
    expect(cell(cells, "date")).toBe("2026-10-05");
    expect(cell(cells, "queue")).toBe("cards");
    expect(cell(cells, "channel")).toBe("voice");
    expect(cell(cells, "offered")).toBe(5);
    expect(cell(cells, "answered_within_sl")).toBe(2);
    expect(cell(cells, "service_level")).toBe(0.5);
    expect(cell(cells, "csat")).toBe(0.666667);
    expect(cell(cells, "nps")).toBe(-0.333333);
    expect(cell(cells, "transfer_rate")).toBe(1.333333);
    expect(cell(cells, "occupancy")).toBe(0.123457);
    expect(cell(cells, "asa_s")).toBe(12.333);
    expect(cell(cells, "max_wait_s")).toBe(40.001);
    expect(cell(cells, "aht_s")).toBe(300);
    expect(cell(cells, "first_response_s")).toBeNull();
    expect(cell(cells, "fcr_survey")).toBeNull();
  });

  it("joins the parameters of two versions in force in one interval by ';', in version order", () => {
    const cells = dailyCells(row());
    expect(cell(cells, "definition_set")).toBe("floorwatch-metrics-v1");
    expect(cell(cells, "definition_versions")).toBe("1;2");
    expect(cell(cells, "sl_threshold_s")).toBe("20;30");
    expect(cell(cells, "short_abandon_s")).toBe("5;5");
    expect(cell(cells, "sl_target")).toBe("0.8;0.85");
    expect(cell(cells, "restated")).toBe("false");
    const one = dailyCells(
      row({ restated: true, definition: { set: "s", versions: [row().definition.versions[0]!] } }),
    );
    expect(cell(one, "definition_versions")).toBe("1");
    expect(cell(one, "sl_target")).toBe("0.8");
    expect(cell(one, "restated")).toBe("true");
  });

  it("gives an interval row its local bounds, with the offset that tells DST hours apart", () => {
    const r = row({
      interval_start: "2026-11-01T01:30:00-05:00",
      interval_end: "2026-11-01T01:00:00-06:00",
    });
    const cells = intervalCells(r);
    const c = (name: string) => cell(cells, name, INTERVAL_QUEUE_SUMMARY_COLUMNS);
    expect(cells).toHaveLength(INTERVAL_QUEUE_SUMMARY_COLUMNS.length);
    expect(c("date")).toBe("2026-11-01");
    expect(c("interval_start")).toBe("2026-11-01T01:30:00-05:00");
    expect(c("interval_end")).toBe("2026-11-01T01:00:00-06:00");
    expect(c("channel")).toBe("voice");
    expect(c("answered")).toBe(3);
  });
});

describe("the pack's queue order", () => {
  it("is by queue id as code units, whatever the configuration's order", () => {
    const q = (queue: string) => ({ queue }) as QueueConfig;
    const ctx = { config: { queues: [q("loans"), q("cards"), q("Zeta"), q("cards-vip")] } };
    expect(packQueues(ctx as unknown as PackContext).map((x) => x.queue)).toEqual([
      "Zeta",
      "cards",
      "cards-vip",
      "loans",
    ]);
  });
});
