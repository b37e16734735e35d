import { WebhookEvent, WebhookFilter } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { type AlertDetail, FOLLOWUP_FIGURE } from "../alerts/evaluator";
import { type AckIn, eventKeyOf, eventOf, type SiteInfo, type TransitionIn, wants } from "./events";
import type { Subscription } from "./types";

const shanghai: SiteInfo = {
  id: "sh",
  name: "上海客服中心",
  tz: "Asia/Shanghai",
  queues: new Map([["loans", { name: "Loans", name_zh: "贷款专线" }]]),
};

const detail = (over: Partial<AlertDetail> = {}): AlertDetail => ({
  rule_name: "Service level at or above target (last 15 min)",
  rule_name_zh: "服务水平不低于目标（近15分钟）",
  severity: "critical",
  labels: { team: "loans" },
  figure: "service_level",
  window: "15m",
  comparator: "<",
  threshold: 0.8,
  recovery_threshold: 0.85,
  scope: { key: "queue:loans", queue: "loans", channel: null, survey_id: null },
  definition_version: 3,
  ...over,
});

// 2026-11-30 14:03:00 in Shanghai (UTC+8, no daylight saving): the condition began to hold.
const SINCE = Date.UTC(2026, 10, 30, 6, 3, 0);
const FIRED = SINCE + 200_000;
const RESOLVED = FIRED + 725_000;

const firing = (over: Partial<TransitionIn> = {}, d: Partial<AlertDetail> = {}): TransitionIn => ({
  site: "sh",
  alert_id: "5f0c2a9e71d4b3a8",
  kind: "firing",
  at_ms: FIRED,
  rule_id: "service-level",
  rule_version: 4,
  since_ms: SINCE,
  fired_ms: FIRED,
  value: 0.625,
  peak: 0.6,
  peak_ms: FIRED,
  detail: JSON.stringify(detail(d)),
  ...over,
});

const resolved = (over: Partial<TransitionIn> = {}, d: Partial<AlertDetail> = {}) =>
  firing({ kind: "resolved", at_ms: RESOLVED, value: 0.86, peak: 0.551, ...over }, d);

/** eventOf, asserting that it made an event and that the event is what the contract says. */
function made(site: SiteInfo, t: TransitionIn, opts: Parameters<typeof eventOf>[2] = {}) {
  const event = eventOf(site, t, opts);
  expect(event).not.toBeNull();
  // The body of a standard request is exactly this object: it must pass the published contract.
  return WebhookEvent.parse(event);
}

describe("the event of a threshold rule's firing", () => {
  it("is alert.firing with the rule, its scope, the figure and the queue named in both languages", () => {
    const e = made(shanghai, firing());
    expect(e.type).toBe("alert.firing");
    expect(e.timestamp).toBe(new Date(FIRED).toISOString());
    expect(e.data).toMatchObject({
      site: { id: "sh", name: "上海客服中心", tz: "Asia/Shanghai" },
      alert_id: "5f0c2a9e71d4b3a8",
      transition: "firing",
      rule: {
        id: "service-level",
        version: 4,
        name: "Service level at or above target (last 15 min)",
        name_zh: "服务水平不低于目标（近15分钟）",
        severity: "critical",
        labels: { team: "loans" },
      },
      scope: { key: "queue:loans", queue: "loans", channel: null, survey_id: null },
      queue: { id: "loans", name: "Loans", name_zh: "贷款专线" },
      figure: "service_level",
      window: "15m",
      comparator: "<",
      value: 0.625,
      threshold: 0.8,
      recovery_threshold: 0.85,
      peak: 0.6,
      definition_version: 3,
      resolved_at: null,
      acknowledged: null,
      test: false,
    });
  });

  it("gives its times in UTC and on the site's clock", () => {
    const e = made(shanghai, firing());
    expect(e.data.since).toEqual({
      utc: "2026-11-30T06:03:00.000Z",
      local: "2026-11-30T14:03:00+08:00",
    });
    expect(e.data.fired_at).toEqual({
      utc: "2026-11-30T06:06:20.000Z",
      local: "2026-11-30T14:06:20+08:00",
    });
  });

  it("follows a zone's daylight saving: Berlin is +02:00 in summer and +01:00 in winter", () => {
    const berlin: SiteInfo = { ...shanghai, id: "be", tz: "Europe/Berlin" };
    const summer = Date.UTC(2026, 6, 15, 10, 0, 0);
    const winter = Date.UTC(2026, 0, 15, 10, 0, 0);
    const e = made(berlin, firing({ since_ms: winter, fired_ms: summer, at_ms: summer }));
    expect(e.data.since.local).toBe("2026-01-15T11:00:00+01:00");
    expect(e.data.fired_at?.local).toBe("2026-07-15T12:00:00+02:00");
    expect(e.data.fired_at?.utc).toBe("2026-07-15T10:00:00.000Z");
  });

  it("says how long the condition has held: from since to the transition, in seconds", () => {
    expect(made(shanghai, firing()).data.duration_s).toBe(200);
  });

  it("has no peak when none was recorded (peak_ms 0), and no value when it is not a number", () => {
    const e = made(shanghai, firing({ peak: 0, peak_ms: 0, value: Number.NaN }));
    expect(e.data.peak).toBeNull();
    expect(e.data.value).toBeNull();
  });

  it("takes the firing's own time as fired_at when fired_ms was not recorded", () => {
    const e = made(shanghai, firing({ fired_ms: 0 }));
    expect(e.data.fired_at?.utc).toBe(new Date(FIRED).toISOString());
  });

  it("names a queue the site no longer knows by its id, with no Chinese name", () => {
    const e = made(
      shanghai,
      firing({}, { scope: { key: "queue:cards", queue: "cards", channel: null, survey_id: null } }),
    );
    expect(e.data.queue).toEqual({ id: "cards", name: "cards", name_zh: "" });
  });

  it("has no queue for an alert over a channel", () => {
    const e = made(
      shanghai,
      firing(
        {},
        { scope: { key: "channel:voice", queue: null, channel: "voice", survey_id: null } },
      ),
    );
    expect(e.data.queue).toBeNull();
    expect(e.data.scope.channel).toBe("voice");
  });

  it("links the evidence under PUBLIC_URL, with or without its trailing slash, else relatively", () => {
    const path = "/api/v1/breaches/5f0c2a9e71d4b3a8/evidence?site=sh";
    expect(made(shanghai, firing()).data.drill).toBe(path);
    expect(made(shanghai, firing(), { publicUrl: "https://fw.example.cn" }).data.drill).toBe(
      `https://fw.example.cn${path}`,
    );
    expect(made(shanghai, firing(), { publicUrl: "https://fw.example.cn//" }).data.drill).toBe(
      `https://fw.example.cn${path}`,
    );
  });

  it("links the breach's page in the app for people, beside the API's evidence for machines", () => {
    const page = "/qa/breaches/5f0c2a9e71d4b3a8?site=sh";
    expect(made(shanghai, firing()).data.url).toBe(page);
    expect(made(shanghai, firing(), { publicUrl: "https://fw.example.cn/" }).data.url).toBe(
      `https://fw.example.cn${page}`,
    );
  });
});

describe("the event of a threshold rule's resolving", () => {
  it("is alert.resolved, lasting from firing to resolving, with its worst value", () => {
    const e = made(shanghai, resolved());
    expect(e.type).toBe("alert.resolved");
    expect(e.timestamp).toBe(new Date(RESOLVED).toISOString());
    expect(e.data.transition).toBe("resolved");
    expect(e.data.duration_s).toBe(725);
    expect(e.data.resolved_at).toEqual({
      utc: "2026-11-30T06:18:25.000Z",
      local: "2026-11-30T14:18:25+08:00",
    });
    expect(e.data.fired_at?.utc).toBe(new Date(FIRED).toISOString());
    expect(e.data.value).toBe(0.86);
    expect(e.data.peak).toBe(0.551);
    expect(e.data.acknowledged).toBeNull();
  });

  it("carries who acknowledged it, when that is known", () => {
    const ack: AckIn = { by_name: "王经理", at_ms: FIRED + 60_000, note: "已加派两名坐席" };
    const e = made(shanghai, resolved(), { ack });
    expect(e.type).toBe("alert.resolved");
    expect(e.data.acknowledged).toEqual({
      by: "王经理",
      at: { utc: "2026-11-30T06:07:20.000Z", local: "2026-11-30T14:07:20+08:00" },
      note: "已加派两名坐席",
    });
  });
});

describe("the event of an acknowledgement", () => {
  it("is alert.acknowledged, at the time of the acknowledgement, with who, when and the note", () => {
    const ack: AckIn = { by_name: "Li Wei", at_ms: FIRED + 120_000, note: "two more agents" };
    const e = made(shanghai, firing(), { ack, acknowledging: true });
    expect(e.type).toBe("alert.acknowledged");
    expect(e.timestamp).toBe(new Date(FIRED + 120_000).toISOString());
    expect(e.data.transition).toBe("acknowledged");
    expect(e.data.acknowledged).toEqual({
      by: "Li Wei",
      at: { utc: "2026-11-30T06:08:20.000Z", local: "2026-11-30T14:08:20+08:00" },
      note: "two more agents",
    });
    // How long it had been firing when someone took it on.
    expect(e.data.duration_s).toBe(120);
    expect(e.data.resolved_at).toBeNull();
  });
});

describe("the event of a low-score follow-up rule", () => {
  const followup = {
    rule_name: "Low scores followed up within 24 h",
    rule_name_zh: "低分 24 小时内回访",
    severity: "warning",
    figure: FOLLOWUP_FIGURE,
    window: "now",
    comparator: ">",
    threshold: 0,
    recovery_threshold: 0,
    scope: { key: "survey:s-31", queue: "loans", channel: null, survey_id: "s-31" },
  } satisfies Partial<AlertDetail>;

  it("uses the figure the evaluator writes", () => {
    expect(FOLLOWUP_FIGURE).toBe("followup_overdue_h");
  });

  it("is followup.overdue when it fires, with the survey in its scope", () => {
    const e = made(shanghai, firing({ rule_id: "low-score-followup", value: 2.5 }, followup));
    expect(e.type).toBe("followup.overdue");
    expect(e.data.transition).toBe("overdue");
    expect(e.data.figure).toBe("followup_overdue_h");
    expect(e.data.scope.survey_id).toBe("s-31");
    expect(e.data.queue).toEqual({ id: "loans", name: "Loans", name_zh: "贷款专线" });
  });

  it("makes no event when it resolves: a follow-up done late is not news", () => {
    expect(eventOf(shanghai, resolved({ rule_id: "low-score-followup" }, followup), {})).toBeNull();
  });
});

const sub = (
  over: Partial<Subscription> = {},
  filter: Partial<WebhookFilter> = {},
): Subscription => ({
  id: "wh_0123456789abcdef",
  version: 1,
  name: "Duty group",
  url: "https://example.com/hook",
  format: "standard",
  sites: [],
  events: WebhookFilter.parse(filter),
  lang: "en",
  enabled: true,
  disabled_reason: null,
  secret: "whsec_x",
  previous_secret: null,
  previous_until_ms: 0,
  robot_secret: null,
  created_ms: 0,
  created_by: "ana",
  updated_ms: 0,
  updated_by: "ana",
  ...over,
});

describe("which subscriptions want an event", () => {
  const fired = made(shanghai, firing());
  const channelAlert = made(
    shanghai,
    firing({}, { scope: { key: "channel:voice", queue: null, channel: "voice", survey_id: null } }),
  );

  it("an empty filter and no sites: every event of every site", () => {
    expect(wants(sub(), fired)).toBe(true);
    expect(wants(sub(), made(shanghai, resolved()))).toBe(true);
    expect(wants(sub(), channelAlert)).toBe(true);
  });

  it("only the sites it names", () => {
    expect(wants(sub({ sites: ["sh"] }), fired)).toBe(true);
    expect(wants(sub({ sites: ["bj", "sz"] }), fired)).toBe(false);
  });

  it("only the event types it names", () => {
    expect(wants(sub({}, { types: ["alert.resolved"] }), fired)).toBe(false);
    expect(wants(sub({}, { types: ["alert.firing", "alert.resolved"] }), fired)).toBe(true);
  });

  it("only the severities it names", () => {
    expect(wants(sub({}, { severities: ["warning", "info"] }), fired)).toBe(false);
    expect(wants(sub({}, { severities: ["critical"] }), fired)).toBe(true);
  });

  it("only the rules it names", () => {
    expect(wants(sub({}, { rules: ["abandon-rate"] }), fired)).toBe(false);
    expect(wants(sub({}, { rules: ["abandon-rate", "service-level"] }), fired)).toBe(true);
  });

  it("only the queues it names, which leaves out alerts about no queue", () => {
    expect(wants(sub({}, { queues: ["loans"] }), fired)).toBe(true);
    expect(wants(sub({}, { queues: ["cards"] }), fired)).toBe(false);
    expect(wants(sub({}, { queues: ["loans"] }), channelAlert)).toBe(false);
  });

  it("never a test event, whatever its filter: those go only to the subscription tested", () => {
    const test = WebhookEvent.parse({
      ...fired,
      type: "webhook.test",
      data: { ...fired.data, transition: "test", test: true },
    });
    expect(wants(sub(), test)).toBe(false);
  });
});

describe("the key of an event", () => {
  it("is the same for one transition read twice, and differs between its firing and resolving", () => {
    const a = eventKeyOf({ kind: "transition", alert_id: "5f0c", transition: "firing" });
    const b = eventKeyOf({ kind: "transition", alert_id: "5f0c", transition: "firing" });
    const c = eventKeyOf({ kind: "transition", alert_id: "5f0c", transition: "resolved" });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(eventKeyOf({ kind: "transition", alert_id: "9e71", transition: "firing" })).not.toBe(a);
  });

  it("tells acknowledgements of one alert apart by their time, and never matches a transition", () => {
    const first = eventKeyOf({ kind: "ack", alert_id: "5f0c", at_ms: FIRED });
    expect(eventKeyOf({ kind: "ack", alert_id: "5f0c", at_ms: FIRED })).toBe(first);
    expect(eventKeyOf({ kind: "ack", alert_id: "5f0c", at_ms: FIRED + 1 })).not.toBe(first);
    expect(first).not.toBe(
      eventKeyOf({ kind: "transition", alert_id: "5f0c", transition: "acknowledged" }),
    );
  });
});
