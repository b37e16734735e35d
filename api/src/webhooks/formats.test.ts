import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { sampleEvent } from "../../../test/support/receivers";
import {
  cutUtf8,
  judgeResponse,
  renderRequest,
  USER_AGENT,
  WECOM_MARKDOWN_MAX_BYTES,
} from "./formats";
import { generateSecret } from "./sign";

const NOW = Date.parse("2026-11-30T06:06:21.250Z");
const event = sampleEvent();
const sub = (format: "standard" | "wecom" | "dingtalk" | "feishu" | "slack", more = {}) => ({
  format,
  url: "https://robot.example/hook",
  lang: "zh-CN" as const,
  robot_secret: null,
  ...more,
});
const body = (r: { body: string }) => JSON.parse(r.body);

describe("standard requests", () => {
  it("carry the event byte for byte, with id, timestamp and a signature the official library verifies", () => {
    const secret = generateSecret();
    const r = renderRequest(sub("standard"), [secret], event, "msg_2Lx9", NOW);
    expect(r.url).toBe("https://robot.example/hook");
    expect(r.body).toBe(JSON.stringify(event));
    expect(r.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      "webhook-id": "msg_2Lx9",
      "webhook-timestamp": String(Math.floor(NOW / 1000)),
    });
    // Verified by the specification's own library as of the request's timestamp.
    const wh = new Webhook(secret);
    const expected = wh.sign("msg_2Lx9", new Date(Math.floor(NOW / 1000) * 1000), r.body);
    expect(r.headers["webhook-signature"]).toBe(expected);
  });

  it("are signed with both secrets while a rotation lasts", () => {
    const [a, b] = [generateSecret(), generateSecret()];
    const r = renderRequest(sub("standard"), [a, b], event, "msg_1", NOW);
    const ts = new Date(Math.floor(NOW / 1000) * 1000);
    expect(r.headers["webhook-signature"]).toBe(
      `${new Webhook(a).sign("msg_1", ts, r.body)} ${new Webhook(b).sign("msg_1", ts, r.body)}`,
    );
  });
});

describe("WeCom requests", () => {
  it("are markdown messages to the URL as given, the title coloured by severity", () => {
    const url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-123";
    const r = renderRequest(sub("wecom", { url }), [], event, "m", NOW);
    expect(r.url).toBe(url);
    const j = body(r);
    expect(Object.keys(j).sort()).toEqual(["markdown", "msgtype"]);
    expect(j.msgtype).toBe("markdown");
    expect(j.markdown.content).toBe(
      [
        '<font color="warning">**【超标】贷款专线 服务水平（近15分钟）**</font>',
        "> 当前 62.5%，目标 ≥ 80%",
        "> 持续 3 分 20 秒（14:03 起）",
        "> 站点：上海客服中心 Shanghai",
        "",
        "[查看明细](https://floorwatch.example.cn/qa/breaches/5f0c2a9e71d4b3a8?site=sh)",
      ].join("\n"),
    );
    const resolved = sampleEvent({ transition: "resolved" }, "alert.resolved");
    expect(body(renderRequest(sub("wecom"), [], resolved, "m", NOW)).markdown.content).toMatch(
      /^<font color="info">/,
    );
  });

  it("stay within 4096 bytes of UTF-8 whatever a person wrote, whole characters only, the link kept", () => {
    const note = "已加派坐席🙂".repeat(2000);
    const long = sampleEvent({
      acknowledged: { by: "王经理", at: event.data.since, note },
      site: { ...event.data.site, name: "站".repeat(5000) },
    });
    const content: string = body(renderRequest(sub("wecom"), [], long, "m", NOW)).markdown.content;
    expect(Buffer.byteLength(content, "utf8")).toBeLessThanOrEqual(WECOM_MARKDOWN_MAX_BYTES);
    expect(content).not.toContain("\uFFFD");
    expect(
      content.endsWith(
        "[查看明细](https://floorwatch.example.cn/qa/breaches/5f0c2a9e71d4b3a8?site=sh)",
      ),
    ).toBe(true);
  });

  it("cannot be made to mention or restyle by what a person wrote", () => {
    const sly = sampleEvent({
      acknowledged: { by: "x", at: event.data.since, note: '<@all> <font color="info">ok</font>' },
    });
    const content: string = body(renderRequest(sub("wecom"), [], sly, "m", NOW)).markdown.content;
    expect(content).not.toContain("<@all>");
    expect(content.match(/<font/g)).toHaveLength(1);
  });

  it("cut UTF-8 on a character boundary", () => {
    expect(cutUtf8("abc", 3)).toBe("abc");
    const cut = cutUtf8("贷款专线贷款专线", 10);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(10);
    expect(cut).toBe("贷款…");
  });
});

describe("DingTalk requests", () => {
  const url = "https://oapi.dingtalk.com/robot/send?access_token=tok-1";

  it("are markdown messages with a title, unsigned without a robot secret", () => {
    const r = renderRequest(sub("dingtalk", { url }), [], event, "m", NOW);
    expect(r.url).toBe(url);
    const j = body(r);
    expect(j.msgtype).toBe("markdown");
    expect(j.markdown.title).toBe("【超标】贷款专线 服务水平（近15分钟）");
    expect(j.markdown.text).toContain(
      "#### 🔴 【超标】贷款专线 服务水平（近15分钟）\n\n当前 62.5%，目标 ≥ 80%",
    );
    expect(j.markdown.text).toContain("[查看明细](https://floorwatch.example.cn/");
  });

  it("with a robot secret, add timestamp (ms) and sign to the query and keep access_token", () => {
    const secret = "SEC0123456789abcdef";
    const r = renderRequest(sub("dingtalk", { url, robot_secret: secret }), [], event, "m", NOW);
    const u = new URL(r.url);
    expect(u.searchParams.get("access_token")).toBe("tok-1");
    expect(u.searchParams.get("timestamp")).toBe(String(NOW));
    const expected = createHmac("sha256", secret).update(`${NOW}\n${secret}`).digest("base64");
    expect(u.searchParams.get("sign")).toBe(expected);
    // URL-encoded in the query itself: a raw + would read as a space.
    expect(r.url).toContain(`sign=${encodeURIComponent(expected)}`);
  });
});

describe("Feishu requests", () => {
  it("are interactive cards with a coloured header, the facts and a button to the evidence", () => {
    const r = renderRequest(sub("feishu", { lang: "en" }), [], event, "m", NOW);
    const j = body(r);
    expect(j.msg_type).toBe("interactive");
    expect(j.timestamp).toBeUndefined();
    expect(j.card.header).toEqual({
      title: { tag: "plain_text", content: "[Breach] Loans: Service level (last 15 min)" },
      template: "red",
    });
    expect(j.card.elements[0]).toEqual({
      tag: "div",
      text: {
        tag: "lark_md",
        content:
          "Now 62.5 %, target ≥ 80 %\nFor 3 min 20 s (since 14:03)\nSite: 上海客服中心 Shanghai",
      },
    });
    expect(j.card.elements[1].actions[0]).toMatchObject({ tag: "button", url: event.data.url });
  });

  it("with a robot secret, carry timestamp (seconds, a string) and sign in the body", () => {
    const secret = "fs-secret-1";
    const j = body(renderRequest(sub("feishu", { robot_secret: secret }), [], event, "m", NOW));
    const ts = Math.floor(NOW / 1000);
    expect(j.timestamp).toBe(String(ts));
    expect(j.sign).toBe(createHmac("sha256", `${ts}\n${secret}`).update("").digest("base64"));
  });
});

describe("Slack requests", () => {
  it("carry a text fallback and blocks: a header, the facts in mrkdwn, a link to the evidence", () => {
    const j = body(renderRequest(sub("slack", { lang: "en" }), [], event, "m", NOW));
    expect(j.text).toContain(
      "[Breach] Loans: Service level (last 15 min)\nNow 62.5 %, target ≥ 80 %",
    );
    expect(j.blocks).toEqual([
      {
        type: "header",
        text: {
          type: "plain_text",
          text: "🔴 [Breach] Loans: Service level (last 15 min)",
          emoji: true,
        },
      },
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: "Now 62.5 %, target ≥ 80 %\nFor 3 min 20 s (since 14:03)\nSite: 上海客服中心 Shanghai",
        },
      },
      { type: "section", text: { type: "mrkdwn", text: `<${event.data.url}|View evidence>` } },
    ]);
  });

  it("escape what a person wrote so it cannot ping the channel", () => {
    const sly = sampleEvent({
      acknowledged: { by: "x", at: event.data.since, note: "<!channel> & co" },
    });
    const j = body(renderRequest(sub("slack", { lang: "en" }), [], sly, "m", NOW));
    expect(j.text).not.toContain("<!channel>");
    expect(j.blocks[1].text.text).toContain("&lt;!channel&gt; &amp; co");
  });

  it("show a relative drill path as text, not as a link that cannot open", () => {
    const rel = sampleEvent({
      drill: "/api/v1/breaches/x/evidence?site=sh",
      url: "/qa/breaches/x?site=sh",
    });
    const j = body(renderRequest(sub("slack", { lang: "en" }), [], rel, "m", NOW));
    expect(j.blocks[2].text.text).toBe("View evidence: `/qa/breaches/x?site=sh`");
  });
});

describe("judging an answer", () => {
  it("takes any 2xx from a standard receiver, and 410 as gone", () => {
    expect(judgeResponse("standard", 204, "")).toEqual({ ok: true, gone: false, error: null });
    expect(judgeResponse("standard", 410, "")).toEqual({
      ok: false,
      gone: true,
      error: "standard HTTP 410 Gone",
    });
    expect(judgeResponse("standard", 503, "busy\n")).toEqual({
      ok: false,
      gone: false,
      error: "standard HTTP 503: busy",
    });
  });

  it("reads WeCom's and DingTalk's errcode behind a 200", () => {
    expect(judgeResponse("wecom", 200, '{"errcode":0,"errmsg":"ok"}').ok).toBe(true);
    expect(
      judgeResponse("wecom", 200, '{"errcode":45009,"errmsg":"api freq out of limit"}'),
    ).toEqual({
      ok: false,
      gone: false,
      error: "wecom errcode 45009: api freq out of limit",
    });
    expect(
      judgeResponse("dingtalk", 200, '{"errcode":310000,"errmsg":"sign not match"}').error,
    ).toBe("dingtalk errcode 310000: sign not match");
    expect(judgeResponse("dingtalk", 200, "<html>proxy</html>").error).toBe(
      "dingtalk answered without an errcode",
    );
  });

  it("reads Feishu's code, or the older StatusCode", () => {
    expect(judgeResponse("feishu", 200, '{"code":0,"msg":"success","data":{}}').ok).toBe(true);
    expect(judgeResponse("feishu", 200, '{"StatusCode":0,"StatusMessage":"success"}').ok).toBe(
      true,
    );
    expect(judgeResponse("feishu", 200, '{"code":19021,"msg":"sign match fail"}').error).toBe(
      "feishu code 19021: sign match fail",
    );
    expect(
      judgeResponse("feishu", 200, '{"StatusCode":9499,"StatusMessage":"Bad Request"}').error,
    ).toBe("feishu code 9499: Bad Request");
  });

  it("wants Slack's plain ok, and keeps its error words short", () => {
    expect(judgeResponse("slack", 200, "ok").ok).toBe(true);
    expect(judgeResponse("slack", 200, "").error).toBe('slack answered "" instead of "ok"');
    expect(judgeResponse("slack", 404, "no_service").error).toBe("slack HTTP 404: no_service");
    expect(judgeResponse("slack", 410, "channel_is_archived").gone).toBe(true);
    expect(judgeResponse("slack", 500, "x".repeat(5000)).error?.length).toBeLessThan(200);
  });
});
