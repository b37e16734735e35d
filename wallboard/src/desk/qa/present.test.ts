import type { Breach, BreachEvidence, Followup } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import type { Lang } from "../../i18n";
import { toCsv } from "../csv";
import { translate } from "../i18n";
import {
  breachColumns,
  breachValue,
  conditionText,
  csvTable,
  evidenceRows,
  followupColumns,
  scopeText,
  tableColumn,
  transitionsInOrder,
  valueWord,
} from "./present";
import { qaWords } from "./words";

const queues = [
  { queue: "cards", name_zh: "信用卡", name_en: "Credit cards" },
  { queue: "loans", name_zh: "贷款", name_en: "" },
];
const ctx = (lang: Lang) => ({
  lang,
  tz: "Asia/Shanghai",
  queues,
  t: translate(qaWords, () => lang),
});

const breach: Breach = {
  id: "0123456789abcdef01234567",
  site: "sh-01",
  rule_id: "service-level",
  rule_version: 3,
  rule_name: "Service level at or above target",
  rule_name_zh: "服务水平不低于目标",
  severity: "critical",
  labels: {},
  scope: { key: "queue:cards", queue: "cards", channel: "voice", survey_id: null },
  figure: "service_level",
  window: "15m",
  comparator: "<",
  threshold: 0.8,
  recovery_threshold: 0.8,
  definition_version: 2,
  acknowledged: { by: "王主管", at: "2026-11-07T02:10:00.000Z", note: "=SUM(A1)" },
  drill: "/api/v1/breaches/0123456789abcdef01234567/evidence?site=sh-01",
  started_at: "2026-11-07T02:00:00.000Z",
  pending_since: "2026-11-07T01:59:00.000Z",
  ended_at: "2026-11-07T03:02:05.000Z",
  peak: 0.79964,
  peak_at: "2026-11-07T02:30:00.000Z",
  duration_s: 3725,
};

describe("what the QA screens show of a breach", () => {
  it("makes a list column a table column: sorted as the list sorts, showing its text unless told", () => {
    const [started, , rule] = breachColumns(ctx("en"));
    const col = tableColumn(started!);
    expect(col.value(breach)).toBe(Date.parse(breach.started_at));
    expect(col.render?.(breach)).toBe("2026-11-07 10:00:00");
    const named = tableColumn(rule!);
    expect(named.value(breach)).toBe("Service level at or above target");
    expect(tableColumn(rule!, () => "link").render?.(breach)).toBe("link");
  });

  it("says where a breach was: a queue, a channel, the site or a survey", () => {
    const t = translate(qaWords, () => "zh-CN" as Lang);
    const scope = { key: "", queue: null, channel: null, survey_id: null };
    expect(scopeText(breach.scope, queues, "zh-CN", t)).toBe("信用卡");
    expect(scopeText({ ...scope, channel: "voice" }, queues, "zh-CN", t)).toBe("语音渠道");
    expect(scopeText(scope, queues, "zh-CN", t)).toBe("全站");
    expect(scopeText({ ...scope, queue: "cards", survey_id: "s-31" }, queues, "zh-CN", t)).toBe(
      "信用卡 · 问卷 s-31",
    );
  });

  it("formats the figure's values as everywhere: shares floored to 0.1 %, waits as m:ss", () => {
    expect(breachValue(breach, breach.peak)).toBe("79.9%");
    expect(breachValue({ figure: "longest_waiting_s", window: "now" }, 372.9)).toBe("6:12");
    expect(breachValue({ figure: "followup_overdue_h", window: "24h" }, 1.5)).toBe("1:30:00");
    expect(breachValue(breach, null)).toBe("–");
  });

  it("writes the condition with the figure's label, the comparison and the threshold", () => {
    const en = translate(qaWords, () => "en" as Lang);
    const zh = translate(qaWords, () => "zh-CN" as Lang);
    expect(conditionText(breach, "en", en)).toBe("SL 15 min < 80.0%");
    expect(conditionText(breach, "zh-CN", zh)).toBe("服务水平 15分钟 < 80.0%");
    expect(
      conditionText(
        { figure: "longest_waiting_s", window: "now", comparator: ">=", threshold: 300 },
        "en",
        en,
      ),
    ).toBe("Longest wait ≥ 5:00");
    expect(
      conditionText(
        { figure: "followup_overdue_h", window: "24h", comparator: ">=", threshold: 0 },
        "zh-CN",
        zh,
      ),
    ).toBe("低分回访超时 ≥ 0:00");
  });

  it("shows a breach's cells on the site's clock, in the language", () => {
    const cols = breachColumns(ctx("en"));
    const cell = Object.fromEntries(cols.map((c) => [c.id, c.text(breach)]));
    expect(cell).toMatchObject({
      started: "2026-11-07 10:00:00",
      severity: "Critical",
      rule: "Service level at or above target",
      scope: "Credit cards",
      condition: "SL 15 min < 80.0%",
      peak: "79.9%",
      duration: "1:02:05",
      ended: "2026-11-07 11:02:05",
      ack_by: "王主管",
      ack_at: "2026-11-07 10:10:00",
      rule_id: "service-level",
      rule_version: "3",
      definition_version: "2",
      id: breach.id,
    });
    const firing = { ...breach, ended_at: null, duration_s: null, acknowledged: null };
    const zh = Object.fromEntries(breachColumns(ctx("zh-CN")).map((c) => [c.id, c.text(firing)]));
    expect(zh).toMatchObject({ duration: "仍在超标", ended: "–", ack_by: "–", ack_at: "–" });
  });

  it("orders transitions by time, and at one instant as an alert lives", () => {
    const t = (kind: string, at: string) => ({ kind, at, value: null });
    expect(
      transitionsInOrder([
        t("firing", "2026-11-07T02:00:00.000Z"),
        t("pending", "2026-11-07T02:00:00.000Z"),
        t("resolved", "2026-11-07T02:05:00.000Z"),
        t("pending", "2026-11-07T01:00:00.000Z"),
        t("cancelled", "2026-11-07T01:00:30.000Z"),
      ]).map((x) => x.kind),
    ).toEqual(["pending", "cancelled", "pending", "firing", "resolved"]);
  });

  it("exports exactly the cells shown, under headers in the language, formulas defused", () => {
    const { header, rows } = csvTable(breachColumns(ctx("zh-CN")), [breach]);
    expect(header.slice(0, 3)).toEqual(["开始时间", "级别", "规则"]);
    expect(rows[0]?.[2]).toBe("服务水平不低于目标");
    const text = toCsv(header, rows);
    expect(text.startsWith("\uFEFF开始时间,级别,规则")).toBe(true);
    expect(text).toContain(",'=SUM(A1),");
    expect(text.split("\r\n")).toHaveLength(3);
  });
});

describe("what the QA screen shows of a follow-up", () => {
  const followup: Followup = {
    survey_id: "s-31",
    site: "sh-01",
    queue: "cards",
    agent_id: "a-7",
    csat: 1,
    contact_id: "c1",
    surveyed_at: "2026-11-06T09:00:00+08:00",
    due_at: "2026-11-07T09:00:00+08:00",
    status: "met",
    customer: { id: "cu1", tier: "vip", phone: "138****5678" },
    met_by: { contact_id: "o1", at: "2026-11-06T11:00:00+08:00", how: "outbound" },
    contact: "/api/v1/contacts/c1?site=sh-01&around=2026-11-06T01%3A00%3A00.000Z",
  };

  it("shows the survey, the due time and the contact that met it", () => {
    const cell = Object.fromEntries(
      followupColumns(ctx("zh-CN")).map((c) => [c.id, c.text(followup)]),
    );
    expect(cell).toEqual({
      status: "已回访",
      surveyed: "2026-11-06 09:00:00",
      score: "1",
      agent: "a-7",
      queue: "信用卡",
      customer: "cu1",
      tier: "VIP",
      phone: "138****5678",
      due: "2026-11-07 09:00:00",
      met_by: "o1",
      met_at: "2026-11-06 11:00:00",
      how: "外呼",
      contact: "c1",
      survey: "s-31",
    });
    const overdue = { ...followup, status: "overdue" as const, met_by: null };
    const en = Object.fromEntries(followupColumns(ctx("en")).map((c) => [c.id, c.text(overdue)]));
    expect(en).toMatchObject({ status: "Overdue", met_by: "–", met_at: "–", how: "–" });
  });

  it("says known values in words and keeps unknown ones as sent", () => {
    expect(valueWord("zh-CN", "voice")).toBe("语音");
    expect(valueWord("en", "callback_scheduled")).toBe("callback scheduled");
    expect(valueWord("en", "toString")).toBe("toString");
    expect(valueWord("zh-CN", "something-new")).toBe("something-new");
  });
});

describe("a breach's evidence as rows", () => {
  const link = (id: string, at: string) =>
    `/api/v1/contacts/${id}?site=sh-01&around=${encodeURIComponent(at)}`;
  const evidence: BreachEvidence = {
    site: "sh-01",
    breach_id: "b1",
    figure: "transfer_rate",
    window: "15m",
    at: "2026-11-07T02:30:00.000Z",
    from: "2026-11-07T02:15:00.000Z",
    to: "2026-11-07T02:30:00.000Z",
    value: 0.5,
    visits: [
      {
        contact_id: "c1",
        queue: "cards",
        started_at: "2026-11-07T02:16:00.000Z",
        ended_at: "2026-11-07T02:17:00.000Z",
        outcome: "answered",
        wait_s: 60,
        contact: link("c1", "2026-11-07T02:16:00.000Z"),
      },
    ],
    contacts: [
      {
        kind: "handled",
        contact_id: "c1",
        queue: "cards",
        at: "2026-11-07T02:20:00.000Z",
        duration_s: 180,
        outcome: "resolved",
        contact: link("c1", "2026-11-07T02:17:00.000Z"),
      },
      {
        kind: "transferred",
        contact_id: "c1",
        queue: "cards",
        at: "2026-11-07T02:20:00.000Z",
        duration_s: null,
        outcome: "",
        contact: "",
      },
    ],
    surveys: [
      {
        survey_id: "s1",
        contact_id: "c2",
        queue: "cards",
        at: "2026-11-07T02:25:00.000Z",
        csat: 2,
        nps: null,
        resolved: false,
        contact: link("c2", "2026-11-07T02:25:00.000Z"),
      },
    ],
  };

  it("lists visits, contacts and surveys with a key unique in the table", () => {
    const rows = evidenceRows(evidence);
    expect(rows.map((r) => [r.key, r.kind, r.contact_id])).toEqual([
      ["c1", "visit", "c1"],
      ["c1#2", "handled", "c1"],
      ["c1#3", "transferred", "c1"],
      ["s1", "survey", "c2"],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it("opens each contact around the API's instant, else the row's own time", () => {
    const rows = evidenceRows(evidence);
    expect(rows.map((r) => r.around)).toEqual([
      "2026-11-07T02:16:00.000Z",
      "2026-11-07T02:17:00.000Z",
      "2026-11-07T02:20:00.000Z",
      "2026-11-07T02:25:00.000Z",
    ]);
    expect(rows[3]).toMatchObject({ csat: 2, outcome: "unresolved", seconds: null });
  });
});
