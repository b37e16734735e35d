import type { Followup } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { followupRows } from "./followups";

const f = (survey_id: string, status: Followup["status"], due_at: string): Followup => ({
  survey_id,
  site: "s",
  queue: "cards",
  agent_id: "a1",
  csat: 1,
  contact_id: `c-${survey_id}`,
  surveyed_at: "2026-11-27T09:00:00+08:00",
  due_at,
  status,
  customer: { id: "cu", tier: null, phone: null },
  met_by: null,
  contact: "/api/v1/contacts/c",
});

describe("follow-ups due today and overdue", () => {
  // 2026-11-28 15:00 in Shanghai.
  const now = Date.parse("2026-11-28T07:00:00Z");

  it("lists the overdue first, then the open ones due today on the site's clock, each by due time", () => {
    const rows = followupRows(
      [
        f("later-today", "open", "2026-11-28T23:30:00+08:00"),
        f("earlier-today", "open", "2026-11-28T16:00:00+08:00"),
        // Tomorrow in Shanghai although still the 28th in UTC.
        f("tomorrow", "open", "2026-11-29T00:30:00+08:00"),
      ],
      [
        f("late-2", "overdue", "2026-11-28T09:00:00+08:00"),
        f("late-1", "overdue", "2026-11-20T09:00:00+08:00"),
        f("met", "met", "2026-11-28T09:00:00+08:00"),
      ],
      "Asia/Shanghai",
      now,
    );
    expect(rows.map((r) => [r.survey_id, r.kind])).toEqual([
      ["late-1", "overdue"],
      ["late-2", "overdue"],
      ["earlier-today", "due_today"],
      ["later-today", "due_today"],
    ]);
  });
});
