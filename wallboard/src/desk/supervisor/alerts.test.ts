import type { Alert } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { AckAnswer, alertFigureLabel, urgency, valueText, whereOf } from "./alerts";

const alert = (o: Partial<Alert>): Alert => ({
  id: "a",
  site: "s",
  rule_id: "r",
  rule_version: 1,
  rule_name: "Nobody waits more than 5 minutes",
  rule_name_zh: "客户等待不超过5分钟",
  severity: "critical",
  labels: {},
  scope: { key: "queue:cards", queue: "cards", channel: "voice", survey_id: null },
  figure: "longest_waiting_s",
  window: "now",
  comparator: ">",
  threshold: 300,
  recovery_threshold: 240,
  definition_version: 1,
  acknowledged: null,
  drill: "",
  state: "firing",
  since: "2026-11-28T02:00:00Z",
  fired_at: "2026-11-28T02:00:00Z",
  value: 310,
  peak: 310,
  peak_at: null,
  evaluated_at: "2026-11-28T02:00:05Z",
  ...o,
});

describe("the supervisor's alerts", () => {
  it("reads the value against the threshold as the table formats the figure", () => {
    expect(valueText(alert({}))).toBe("5:10 > 5:00");
    expect(
      valueText(
        alert({
          figure: "service_level",
          window: "15m",
          comparator: "<",
          value: 0.5,
          threshold: 0.8,
        }),
      ),
    ).toBe("50.0% < 80.0%");
    expect(valueText(alert({ comparator: ">=", value: null }))).toBe("– ≥ 5:00");
  });

  it("names the figure in the language read", () => {
    expect(alertFigureLabel(alert({ figure: "service_level", window: "15m" }), "en")).toBe(
      "SL 15 min",
    );
  });

  it("tells what an alert is about from its scope", () => {
    expect(whereOf(alert({}))).toEqual({ kind: "queue", queue: "cards" });
    expect(
      whereOf(
        alert({ scope: { key: "channel:chat", queue: null, channel: "chat", survey_id: null } }),
      ),
    ).toEqual({ kind: "channel", channel: "chat" });
    expect(
      whereOf(
        alert({ scope: { key: "survey:s-1", queue: "cards", channel: null, survey_id: "s-1" } }),
      ),
    ).toEqual({ kind: "survey", survey: "s-1" });
    expect(
      whereOf(alert({ scope: { key: "site", queue: null, channel: null, survey_id: null } })),
    ).toEqual({
      kind: "site",
    });
  });

  it("puts firing before pending, critical before warning, then the oldest", () => {
    const list = [
      alert({ id: "pending-critical", state: "pending", fired_at: null }),
      alert({ id: "warning-old", severity: "warning", fired_at: "2026-11-28T01:00:00Z" }),
      alert({ id: "critical-new", fired_at: "2026-11-28T02:30:00Z" }),
      alert({ id: "critical-old", fired_at: "2026-11-28T02:10:00Z" }),
    ];
    expect([...list].sort((a, b) => urgency(b) - urgency(a)).map((a) => a.id)).toEqual([
      "critical-old",
      "critical-new",
      "warning-old",
      "pending-critical",
    ]);
  });

  it("reads an acknowledgement's answer", () => {
    const ok = AckAnswer.safeParse({
      id: "a",
      site: "s",
      acknowledged: { by: "王主管", at: "2026-11-28T02:00:00Z", note: "calling back" },
    });
    expect(ok.success).toBe(true);
    expect(AckAnswer.safeParse({ id: "a", site: "s", acknowledged: null }).success).toBe(false);
  });
});
