import { describe, expect, it } from "vitest";
import type { FollowupItem } from "../alerts/followups";
import { followupCells, followupsAsOf, LOW_CSAT_FOLLOWUPS_COLUMNS, surveyOrder } from "./followups";

const HOUR = 3_600_000;
const TO = Date.parse("2026-10-31T16:00:00Z"); // 2026-11-01 00:00 in Shanghai

function item(id: string, surveyedMs: number, over: Partial<FollowupItem> = {}): FollowupItem {
  return {
    survey_id: id,
    queue: "cards",
    channel: "voice",
    agent_id: "a1",
    csat: 1,
    contact_id: `c-${id}`,
    surveyed_ms: surveyedMs,
    due_ms: surveyedMs + 24 * HOUR,
    status: "overdue",
    customer_id: "cust-1",
    customer_tier: "vip",
    customer_phone: "13812345678",
    met_by: null,
    ...over,
  };
}

describe("the instant a month's follow-ups are judged at", () => {
  it("is the month's end + 24 h for a pack made later, however much later", () => {
    const at = (nowMs: number) => followupsAsOf({ nowMs, to_ms: TO });
    expect(at(TO + 25 * HOUR)).toBe(TO + 24 * HOUR);
    expect(at(TO + 90 * 24 * HOUR)).toBe(TO + 24 * HOUR);
  });

  it("is the pack's own time when made within 24 h of the month's end", () => {
    expect(followupsAsOf({ nowMs: TO + 2 * HOUR, to_ms: TO })).toBe(TO + 2 * HOUR);
  });
});

describe("a follow-up as its row", () => {
  const cell = (cells: unknown[], name: string) =>
    cells[LOW_CSAT_FOLLOWUPS_COLUMNS.findIndex((c) => c.en === name)];

  it("masks the phone unless the pack carries personal data, and keeps the column either way", () => {
    const f = item("s1", TO - HOUR);
    expect(cell(followupCells("Asia/Shanghai", false, f), "customer_phone")).toBe("138****5678");
    expect(cell(followupCells("Asia/Shanghai", true, f), "customer_phone")).toBe("13812345678");
    const none = followupCells("Asia/Shanghai", true, item("s2", TO, { customer_phone: null }));
    expect(none).toHaveLength(LOW_CSAT_FOLLOWUPS_COLUMNS.length);
    expect(cell(none, "customer_phone")).toBeNull();
  });

  it("gives a met follow-up the contact, local time and way that met it", () => {
    const f = item("s1", TO - HOUR, {
      status: "met",
      met_by: { contact_id: "c9", at_ms: TO + 30 * 60_000, how: "outbound" },
    });
    const cells = followupCells("Asia/Shanghai", false, f);
    expect(cells).toHaveLength(LOW_CSAT_FOLLOWUPS_COLUMNS.length);
    expect(cell(cells, "surveyed_at")).toBe("2026-10-31T23:00:00+08:00");
    expect(cell(cells, "due_at")).toBe("2026-11-01T23:00:00+08:00");
    expect(cell(cells, "status")).toBe("met");
    expect(cell(cells, "met_by_contact_id")).toBe("c9");
    expect(cell(cells, "met_at")).toBe("2026-11-01T00:30:00+08:00");
    expect(cell(cells, "met_how")).toBe("outbound");
    expect(cell(cells, "customer_tier")).toBe("vip");
  });

  it("leaves the meeting empty for one not met", () => {
    const cells = followupCells("Asia/Shanghai", false, item("s1", TO - HOUR));
    expect(cell(cells, "met_by_contact_id")).toBeNull();
    expect(cell(cells, "met_at")).toBeNull();
    expect(cell(cells, "met_how")).toBeNull();
  });
});

describe("the follow-ups' order", () => {
  it("is by survey time, then survey id", () => {
    const items = [item("b", TO - HOUR), item("z", TO - 2 * HOUR), item("a", TO - HOUR)];
    expect(items.sort(surveyOrder).map((f) => f.survey_id)).toEqual(["z", "a", "b"]);
  });
});
