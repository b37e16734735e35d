// The request of each notification format (issue #13), and how each receiver says it took one.
// Pure: the worker renders a request here, network.ts sends it, and judgeResponse reads the answer.
// Each robot's shape is the one its documentation gives (URL in each renderer's comment); the
// fakes in test/support/receivers.ts check them from the same documentation, not from this file.
import type { WebhookEvent, WebhookFormat } from "@floorwatch/contracts";
import { compose, type MessageParts, type Tone } from "./message";
import { dingtalkSign, feishuSign, signStandard } from "./sign";
import type { OutgoingRequest, Subscription } from "./types";

export const USER_AGENT = "Floorwatch-Webhooks/1";

/** WeCom's documented limit of a markdown message's content: 4096 bytes of UTF-8. */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;
/** Slack's documented limits: a section's text 3000 characters, a header's 150. */
const SLACK_SECTION_MAX = 3000;
const SLACK_HEADER_MAX = 150;

const JSON_HEADERS = { "content-type": "application/json", "user-agent": USER_AGENT };

type Sub = Pick<Subscription, "format" | "url" | "lang" | "robot_secret">;

/**
 * The request that delivers `event` to `sub`. `secrets` sign a standard request (the current
 * secret and, during a rotation, the previous one); `messageId` is the delivery's stable
 * `webhook-id`; `nowMs` stamps it (a retry is stamped anew, so its signature is fresh).
 */
export function renderRequest(
  sub: Sub,
  secrets: readonly string[],
  event: WebhookEvent,
  messageId: string,
  nowMs: number,
): OutgoingRequest {
  switch (sub.format) {
    case "standard":
      return standard(sub.url, secrets, event, messageId, nowMs);
    case "wecom":
      return wecom(sub.url, compose(event, sub.lang));
    case "dingtalk":
      return dingtalk(sub.url, sub.robot_secret, compose(event, sub.lang), nowMs);
    case "feishu":
      return feishu(sub.url, sub.robot_secret, compose(event, sub.lang), nowMs);
    case "slack":
      return slack(sub.url, compose(event, sub.lang));
  }
}

/**
 * Standard Webhooks (https://www.standardwebhooks.com/, spec/standard-webhooks.md): the event as
 * the body, byte for byte what was signed, and the three `webhook-*` headers.
 */
function standard(
  url: string,
  secrets: readonly string[],
  event: WebhookEvent,
  messageId: string,
  nowMs: number,
): OutgoingRequest {
  const body = JSON.stringify(event);
  const timestampS = Math.floor(nowMs / 1000);
  return {
    url,
    headers: {
      ...JSON_HEADERS,
      "webhook-id": messageId,
      "webhook-timestamp": String(timestampS),
      "webhook-signature": signStandard(secrets, messageId, timestampS, body),
    },
    body,
  };
}

/** The bytes of `s` in UTF-8. */
const utf8Bytes = (s: string) => Buffer.byteLength(s, "utf8");

/** `s` cut to at most `max` bytes of UTF-8 on a character boundary, an ellipsis marking the cut. */
export function cutUtf8(s: string, max: number): string {
  if (utf8Bytes(s) <= max) return s;
  const room = max - utf8Bytes("…");
  let out = "";
  let used = 0;
  for (const ch of s) {
    const n = utf8Bytes(ch);
    if (used + n > room) break;
    out += ch;
    used += n;
  }
  return `${out}…`;
}

/**
 * User-written text inside a robot's markdown: `<@userid>` would mention someone in WeCom and
 * `<font>` would restyle it, so angle brackets become their full-width look-alikes; line starts
 * cannot begin a heading or quote because facts are one line each and follow our own prefix.
 */
const plainInMarkdown = (s: string) => s.replace(/</g, "＜").replace(/>/g, "＞");

const WECOM_COLOUR: Record<Tone, "warning" | "info" | "comment"> = {
  critical: "warning",
  warning: "warning",
  info: "comment",
  ok: "info",
  muted: "comment",
};

/**
 * WeCom group robot, markdown message
 * (https://developer.work.weixin.qq.com/document/path/91770): `content` at most 4096 bytes of
 * UTF-8, colour only through `<font color="info|comment|warning">`. Facts are added whole while
 * they fit, the link always kept: a long acknowledgement note is what gets cut, never the link.
 */
function wecom(url: string, m: MessageParts): OutgoingRequest {
  const head = `<font color="${WECOM_COLOUR[m.tone]}">**${plainInMarkdown(m.title)}**</font>`;
  const link = m.link.absolute
    ? `[${m.link.label}](${m.link.url})`
    : `> ${m.link.label}：${plainInMarkdown(m.link.url)}`;
  const budget = WECOM_MARKDOWN_MAX_BYTES - utf8Bytes(`${head}\n\n${link}`);
  let body = "";
  for (const fact of m.facts) {
    const line = `> ${plainInMarkdown(fact)}\n`;
    const room = budget - utf8Bytes(body);
    if (utf8Bytes(line) <= room) {
      body += line;
      continue;
    }
    // The first fact that does not fit is cut to the room left; the ones after it are left out.
    if (room > 8) body += `${cutUtf8(line.trimEnd(), room - 1)}\n`;
    break;
  }
  const content = `${head}\n${body}\n${link}`;
  return {
    url,
    headers: { ...JSON_HEADERS },
    body: JSON.stringify({ msgtype: "markdown", markdown: { content } }),
  };
}

const EMOJI: Record<Tone, string> = {
  critical: "🔴",
  warning: "🟠",
  info: "🔵",
  ok: "✅",
  muted: "⚪",
};

/**
 * DingTalk custom robot, markdown message
 * (https://open.dingtalk.com/document/orgapp/custom-robot-access, message types:
 * https://open.dingtalk.com/document/orgapp/robot-message-types-and-data-format): `title` is what
 * the chat list and the push notification show, `text` the markdown. With "加签" on, `timestamp`
 * (ms) and `sign` go in the query next to `access_token`.
 */
function dingtalk(
  url: string,
  secret: string | null,
  m: MessageParts,
  nowMs: number,
): OutgoingRequest {
  const target = new URL(url);
  if (secret) {
    // URLSearchParams form-encodes (+ → %2B, / → %2F, = → %3D), the urlEncode DingTalk asks for.
    target.searchParams.set("timestamp", String(nowMs));
    target.searchParams.set("sign", dingtalkSign(secret, nowMs));
  }
  const link = m.link.absolute
    ? `[${m.link.label}](${m.link.url})`
    : `${m.link.label}：${plainInMarkdown(m.link.url)}`;
  // DingTalk's markdown breaks lines only on a blank line between them.
  const text = [
    `#### ${EMOJI[m.tone]} ${plainInMarkdown(m.title)}`,
    ...m.facts.map(plainInMarkdown),
    link,
  ].join("\n\n");
  return {
    url: target.toString(),
    headers: { ...JSON_HEADERS },
    body: JSON.stringify({ msgtype: "markdown", markdown: { title: m.title, text } }),
  };
}

const FEISHU_TEMPLATE: Record<Tone, string> = {
  critical: "red",
  warning: "orange",
  info: "blue",
  ok: "green",
  muted: "grey",
};

/**
 * Feishu/Lark custom bot, interactive card
 * (https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot; the card's v1 structure:
 * https://open.feishu.cn/document/common-capabilities/message-card/message-cards-content): a
 * coloured header, the facts as lark_md, a button to the evidence. With signing on, `timestamp`
 * (seconds, a string) and `sign` are fields of the body. The body may be at most 20 KB.
 */
function feishu(
  url: string,
  secret: string | null,
  m: MessageParts,
  nowMs: number,
): OutgoingRequest {
  const elements: unknown[] = [
    { tag: "div", text: { tag: "lark_md", content: m.facts.map(plainInMarkdown).join("\n") } },
  ];
  if (m.link.absolute)
    elements.push({
      tag: "action",
      actions: [
        {
          tag: "button",
          text: { tag: "plain_text", content: m.link.label },
          type: "primary",
          url: m.link.url,
        },
      ],
    });
  else
    elements.push({
      tag: "note",
      elements: [{ tag: "plain_text", content: `${m.link.label}: ${m.link.url}` }],
    });
  const card = {
    config: { wide_screen_mode: true },
    header: { title: { tag: "plain_text", content: m.title }, template: FEISHU_TEMPLATE[m.tone] },
    elements,
  };
  const timestampS = Math.floor(nowMs / 1000);
  const signing = secret
    ? { timestamp: String(timestampS), sign: feishuSign(secret, timestampS) }
    : {};
  return {
    url,
    headers: { ...JSON_HEADERS },
    body: JSON.stringify({ ...signing, msg_type: "interactive", card }),
  };
}

/** Slack's mrkdwn control characters, escaped as Slack documents (`<!channel>` would ping all). */
const slackEscape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const cutChars = (s: string, max: number) => {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join("")}…`;
};

/**
 * Slack incoming webhook (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks)
 * with Block Kit (https://docs.slack.dev/reference/block-kit/blocks/section-block, header-block):
 * `text` is the fallback notifications and screen readers show, the blocks what the channel shows.
 * The link is a mrkdwn link in a section, not a button: a button would ask for an interactivity
 * endpoint an incoming webhook's app does not have.
 */
function slack(url: string, m: MessageParts): OutgoingRequest {
  const title = `${EMOJI[m.tone]} ${m.title}`;
  const link = m.link.absolute
    ? `<${m.link.url}|${slackEscape(m.link.label)}>`
    : `${slackEscape(m.link.label)}: \`${slackEscape(m.link.url)}\``;
  const facts = cutChars(m.facts.map(slackEscape).join("\n"), SLACK_SECTION_MAX);
  const blocks = [
    {
      type: "header",
      text: { type: "plain_text", text: cutChars(title, SLACK_HEADER_MAX), emoji: true },
    },
    { type: "section", text: { type: "mrkdwn", text: facts } },
    { type: "section", text: { type: "mrkdwn", text: link } },
  ];
  const text = slackEscape([m.title, ...m.facts].join("\n"));
  return { url, headers: { ...JSON_HEADERS }, body: JSON.stringify({ text, blocks }) };
}

export interface Judgement {
  ok: boolean;
  /** 410 Gone: the receiver is gone for good, and the subscription is disabled. */
  gone: boolean;
  /** Why it failed, short (never holds a URL or a secret). */
  error: string | null;
}

/** At most this much of a receiver's own words goes into an error. */
const REASON_MAX = 160;

const reason = (s: string) => cutChars(s.replace(/\s+/g, " ").trim(), REASON_MAX);

function parseJson(body: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(body);
    return v !== null && typeof v === "object" && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Whether a receiver took the request. A 2xx is not enough for the robots: WeCom and DingTalk
 * answer 200 with `errcode` ≠ 0 for a rate limit or a bad key, Feishu 200 with `code` ≠ 0 (older
 * answers only `StatusCode`), and Slack's incoming webhook answers the text `ok` and nothing else.
 */
export function judgeResponse(format: WebhookFormat, status: number, body: string): Judgement {
  if (status === 410) return { ok: false, gone: true, error: `${format} HTTP 410 Gone` };
  if (status < 200 || status > 299) {
    const said = reason(body);
    return { ok: false, gone: false, error: `${format} HTTP ${status}${said ? `: ${said}` : ""}` };
  }
  const fail = (error: string): Judgement => ({ ok: false, gone: false, error });
  switch (format) {
    case "standard":
      return { ok: true, gone: false, error: null };
    case "wecom":
    case "dingtalk": {
      const j = parseJson(body);
      if (!j || typeof j.errcode !== "number") return fail(`${format} answered without an errcode`);
      if (j.errcode !== 0)
        return fail(`${format} errcode ${j.errcode}: ${reason(String(j.errmsg ?? ""))}`);
      return { ok: true, gone: false, error: null };
    }
    case "feishu": {
      const j = parseJson(body);
      const code =
        typeof j?.code === "number"
          ? j.code
          : typeof j?.StatusCode === "number"
            ? j.StatusCode
            : null;
      if (!j || code === null) return fail("feishu answered without a code");
      if (code !== 0)
        return fail(`feishu code ${code}: ${reason(String(j.msg ?? j.StatusMessage ?? ""))}`);
      return { ok: true, gone: false, error: null };
    }
    case "slack":
      return body.trim() === "ok"
        ? { ok: true, gone: false, error: null }
        : fail(`slack answered ${JSON.stringify(reason(body))} instead of "ok"`);
  }
}
