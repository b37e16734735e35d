import type { WebhookEvent, WebhookTime } from "@floorwatch/contracts";
import { describe as suite, expect, it } from "vitest";
import { sampleEvent } from "../../../test/support/receivers";
import { compose, describe, formatDuration, formatValue, localClock } from "./message";

const at = (local: string): WebhookTime => ({ utc: new Date(local).toISOString(), local });

suite("a notification's message", () => {
  it("names a firing breach by severity, queue and figure, with value, target, duration and link (zh-CN)", () => {
    expect(describe(sampleEvent(), "zh-CN")).toEqual({
      title: "【超标】贷款专线 服务水平（近15分钟）",
      lines: [
        "当前 62.5%，目标 ≥ 80%",
        "持续 3 分 20 秒（14:03 起）",
        "站点：上海客服中心 Shanghai",
        "明细：https://floorwatch.example.cn/qa/breaches/5f0c2a9e71d4b3a8?site=sh",
      ],
    });
  });

  it("says the same in English", () => {
    expect(describe(sampleEvent(), "en")).toEqual({
      title: "[Breach] Loans: Service level (last 15 min)",
      lines: [
        "Now 62.5 %, target ≥ 80 %",
        "For 3 min 20 s (since 14:03)",
        "Site: 上海客服中心 Shanghai",
        "Evidence: https://floorwatch.example.cn/qa/breaches/5f0c2a9e71d4b3a8?site=sh",
      ],
    });
  });

  it("words a warning and an info by their severity", () => {
    const warning = sampleEvent({
      rule: { ...sampleEvent().data.rule, severity: "warning" },
      figure: "asa_s",
      window: "60m",
      comparator: ">",
      value: 212.7,
      threshold: 180,
    });
    expect(describe(warning, "zh-CN").title).toBe("【预警】贷款专线 平均应答时长（近60分钟）");
    expect(describe(warning, "zh-CN").lines[0]).toBe("当前 3:32，目标 ≤ 3:00");
    expect(describe(warning, "en").title).toBe(
      "[Warning] Loans: Average speed of answer (last 60 min)",
    );
    const info = sampleEvent({ rule: { ...sampleEvent().data.rule, severity: "info" } });
    expect(describe(info, "zh-CN").title.startsWith("【提示】")).toBe(true);
    expect(describe(info, "en").title.startsWith("[Info]")).toBe(true);
    expect(compose(warning, "en").tone).toBe("warning");
    expect(compose(info, "en").tone).toBe("info");
  });

  it("tells a recovery with its worst value and the span it lasted", () => {
    const resolved = sampleEvent(
      {
        transition: "resolved",
        value: 0.8125,
        peak: 0.551,
        resolved_at: at("2026-11-30T14:15:05+08:00"),
        duration_s: 725,
      },
      "alert.resolved",
    );
    expect(describe(resolved, "zh-CN").title).toBe("【已恢复】贷款专线 服务水平（近15分钟）");
    expect(describe(resolved, "zh-CN").lines.slice(0, 3)).toEqual([
      "当前 81.2%，目标 ≥ 80%",
      "最差 55.1%",
      "持续 12 分 5 秒（14:03–14:15）",
    ]);
    expect(describe(resolved, "en").title).toBe("[Resolved] Loans: Service level (last 15 min)");
    expect(describe(resolved, "en").lines.slice(0, 3)).toEqual([
      "Now 81.2 %, target ≥ 80 %",
      "Worst 55.1 %",
      "Lasted 12 min 5 s (14:03–14:15)",
    ]);
    expect(compose(resolved, "en").tone).toBe("ok");
  });

  it("names who acknowledged, when, and their note on one line", () => {
    const acked = sampleEvent(
      {
        transition: "acknowledged",
        duration_s: 320,
        acknowledged: {
          by: "王经理",
          at: at("2026-11-30T14:08:20+08:00"),
          note: "已加派两名坐席\n  稍后复查",
        },
      },
      "alert.acknowledged",
    );
    const zh = describe(acked, "zh-CN");
    expect(zh.title).toBe("【已确认】贷款专线 服务水平（近15分钟）");
    expect(zh.lines).toContain("王经理 已于 14:08 确认：已加派两名坐席 稍后复查");
    const en = describe(acked, "en");
    expect(en.title).toBe("[Acknowledged] Loans: Service level (last 15 min)");
    expect(en.lines).toContain("Acknowledged by 王经理 at 14:08: 已加派两名坐席 稍后复查");
    // No note: no dangling colon.
    const bare = sampleEvent({
      acknowledged: { by: "Li", at: at("2026-11-30T14:08:20+08:00"), note: "" },
    });
    expect(describe(bare, "en").lines).toContain("Acknowledged by Li at 14:08");
  });

  it("tells an overdue follow-up by its survey and how long past due", () => {
    const overdue = sampleEvent(
      {
        transition: "overdue",
        rule: { ...sampleEvent().data.rule, id: "low-score-followup", severity: "warning" },
        scope: { key: "survey:s-31", queue: "loans", channel: null, survey_id: "s-31" },
        figure: "followup_overdue_h",
        window: "now",
        comparator: ">",
        value: 2.5,
        threshold: 0,
        since: at("2026-11-30T11:36:20+08:00"),
        duration_s: 9000,
      },
      "followup.overdue",
    );
    expect(describe(overdue, "zh-CN").title).toBe("【回访超时】贷款专线 低分回访");
    expect(describe(overdue, "zh-CN").lines.slice(0, 2)).toEqual([
      "问卷 s-31 的低分评价超过 24 小时未回访",
      "已逾期 2 小时 30 分（11:36 到期）",
    ]);
    expect(describe(overdue, "en").title).toBe("[Follow-up overdue] Loans: Low-score follow-up");
    expect(describe(overdue, "en").lines[1]).toBe("Overdue for 2 h 30 min (due 11:36)");
  });

  it("marks a test as one, with nothing to do", () => {
    const test = sampleEvent({ transition: "test", test: true }, "webhook.test");
    expect(describe(test, "zh-CN").title).toBe("【测试】贷款专线 服务水平（近15分钟）");
    expect(describe(test, "zh-CN").lines[0]).toBe("这是一条测试消息，无需处理。");
    expect(describe(test, "en").title).toBe("[Test] Loans: Service level (last 15 min)");
    expect(compose(test, "en").tone).toBe("muted");
  });

  it("names a channel's and the site's alerts without a queue", () => {
    const channel = sampleEvent({
      scope: { key: "channel:voice", queue: null, channel: "voice", survey_id: null },
      queue: null,
    });
    expect(describe(channel, "zh-CN").title).toBe("【超标】语音渠道 服务水平（近15分钟）");
    expect(describe(channel, "en").title).toBe(
      "[Breach] Voice channel: Service level (last 15 min)",
    );
    const site = sampleEvent({
      scope: { key: "site", queue: null, channel: null, survey_id: null },
      queue: null,
      figure: "longest_waiting_s",
      window: "now",
      comparator: ">",
      value: 372,
      threshold: 300,
    });
    expect(describe(site, "zh-CN").title).toBe("【超标】全站 最长等待");
    expect(describe(site, "zh-CN").lines[0]).toBe("当前 6:12，目标 ≤ 5:00");
    expect(describe(site, "en").title).toBe("[Breach] Site: Longest wait");
  });

  it("falls back to the English name without a Chinese one, and to the id without either", () => {
    const noZh = sampleEvent({ queue: { id: "cards", name: "Credit cards", name_zh: "" } });
    expect(describe(noZh, "zh-CN").title).toBe("【超标】Credit cards 服务水平（近15分钟）");
    const noEn = sampleEvent({ queue: { id: "cards", name: "", name_zh: "信用卡" } });
    expect(describe(noEn, "en").title).toBe("[Breach] 信用卡: Service level (last 15 min)");
    const none = sampleEvent({ queue: { id: "cards", name: "", name_zh: "" } });
    expect(describe(none, "en").title).toBe("[Breach] cards: Service level (last 15 min)");
  });

  it("shows the date of a start on another day than the event", () => {
    const long = sampleEvent({ since: at("2026-11-29T23:50:00+08:00"), duration_s: 51_980 });
    expect(describe(long, "en").lines[1]).toBe("For 14 h 26 min (since 11-29 23:50)");
  });

  it("links a relative drill path as text, an absolute one as a link", () => {
    expect(compose(sampleEvent(), "en").link.absolute).toBe(true);
    const relative = compose(
      sampleEvent({ drill: "/api/v1/breaches/x/evidence?site=sh", url: "/qa/breaches/x?site=sh" }),
      "en",
    );
    expect(relative.link.absolute).toBe(false);
  });

  it("links people to the breach's page in the app, else (an older event) to the evidence", () => {
    const e = sampleEvent();
    expect(compose(e, "zh-CN").link.url).toBe(e.data.url);
    const older = compose(sampleEvent({ url: undefined }), "en");
    expect(older.link.url).toBe(e.data.drill);
  });
});

suite("figures in a message", () => {
  it("are formatted by their unit and floored, never rounded into the target", () => {
    expect(formatValue("service_level", 0.7996, "en")).toBe("79.9 %");
    expect(formatValue("service_level", 0.8, "zh-CN")).toBe("80%");
    expect(formatValue("abandon_rate", 0.29, "zh-CN")).toBe("29%");
    expect(formatValue("longest_waiting_s", 372.9, "en")).toBe("6:12");
    expect(formatValue("aht_s", 4510, "en")).toBe("1:15:10");
    expect(formatValue("waiting", 7, "en")).toBe("7");
    expect(formatValue("nps", 0.124, "en")).toBe("+12");
    expect(formatValue("nps", -0.5, "zh-CN")).toBe("-50");
    expect(formatValue("service_level", null, "en")).toBe("–");
  });

  it("round a share up where more is worse, so a breaching abandon rate never reads as the ceiling", () => {
    expect(formatValue("abandon_rate", 0.1004, "en")).toBe("10.1 %");
    expect(formatValue("15m.transfer_rate", 0.12341, "zh-CN")).toBe("12.4%");
    // On the ceiling stays on it (0.1 * 1000 is 100.00000000000001).
    expect(formatValue("abandon_rate", 0.1, "en")).toBe("10 %");
    expect(formatValue("abandon_rate", 0, "en")).toBe("0 %");
    // More is better: still floored.
    expect(formatValue("csat", 0.8999, "en")).toBe("89.9 %");
  });

  it("say how long in words a phone shows", () => {
    expect(formatDuration(45, "zh-CN")).toBe("45 秒");
    expect(formatDuration(200, "zh-CN")).toBe("3 分 20 秒");
    expect(formatDuration(180, "en")).toBe("3 min");
    expect(formatDuration(3900, "en")).toBe("1 h 5 min");
    expect(formatDuration(2 * 86_400 + 3 * 3600, "zh-CN")).toBe("2 天 3 小时");
  });

  it("read the site's clock from the local time as it is, whatever the server's zone", () => {
    expect(localClock("2026-11-30T14:03:59+08:00")).toBe("14:03");
    expect(localClock("2026-11-30T07:03:00+02:00", "2026-12-01T01:00:00+02:00")).toBe(
      "11-30 07:03",
    );
  });
});

suite("the service's own alert that a subscription stopped", () => {
  // As failing.ts raises it when a receiver answered 410 Gone: the rule name says which
  // subscription and why; there is no queue, no figure with a target, only "it stopped".
  const stopped = (rule: Partial<WebhookEvent["data"]["rule"]> = {}) =>
    sampleEvent({
      rule: {
        id: "webhook-failing",
        version: 1,
        name: 'Notifications to "Duty group" stopped: the receiver answered 410 Gone',
        name_zh: '通知订阅"Duty group"已停用：the receiver answered 410 Gone',
        severity: "critical",
        labels: { webhook_id: "wh_0123456789abcdef", format: "wecom" },
        ...rule,
      },
      scope: { key: "webhook:wh_0123456789abcdef", queue: null, channel: null, survey_id: null },
      queue: null,
      figure: "webhook_disabled",
      window: "now",
      comparator: ">=",
      value: 1,
      threshold: 1,
      recovery_threshold: 1,
      peak: 1,
      definition_version: null,
    });

  it("says which subscription stopped and why, in English, with no target line", () => {
    const en = describe(stopped(), "en");
    expect(en.title).toBe("[Failure] Notifications stopped");
    expect(en.lines).toContain(
      'Notifications to "Duty group" stopped: the receiver answered 410 Gone',
    );
    expect(en.lines).toContain("Since 14:03");
    // A threshold of 1 on "disabled" is bookkeeping, not a target anyone should read.
    expect(en.lines.some((l) => /target/i.test(l))).toBe(false);
    expect(en.lines.some((l) => l.startsWith("Now "))).toBe(false);
  });

  it("says it in Chinese by the rule's Chinese name, with no 目标 line", () => {
    const zh = describe(stopped(), "zh-CN");
    expect(zh.title).toBe("【故障】通知已停止");
    expect(zh.lines).toContain('通知订阅"Duty group"已停用：the receiver answered 410 Gone');
    expect(zh.lines).toContain("14:03 起");
    expect(zh.lines.some((l) => l.includes("目标"))).toBe(false);
    expect(zh.lines.some((l) => l.startsWith("当前 "))).toBe(false);
  });

  it("falls back to the English rule name when there is no Chinese one", () => {
    const zh = describe(stopped({ name_zh: "" }), "zh-CN");
    expect(zh.lines).toContain(
      'Notifications to "Duty group" stopped: the receiver answered 410 Gone',
    );
  });

  it("keeps a hostile subscription name on one line", () => {
    const en = describe(
      stopped({ name: 'Notifications to "Duty\ngroup" stopped: the receiver answered 410 Gone' }),
      "en",
    );
    expect(en.lines).toContain(
      'Notifications to "Duty group" stopped: the receiver answered 410 Gone',
    );
    expect(en.lines.every((l) => !l.includes("\n"))).toBe(true);
  });
});
