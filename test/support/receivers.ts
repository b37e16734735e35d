// Fake receivers of notifications (issue #13) on 127.0.0.1: one per format, each checking the
// request the way the real receiver documents it, independently of api/src/webhooks/formats.ts.
// The checks are written from the documentation (URLs beside each), so a renderer that drifts from
// a robot's shape fails here as it would against the robot:
//
// - WeCom group robot: https://developer.work.weixin.qq.com/document/path/91770
// - DingTalk custom robot: https://open.dingtalk.com/document/orgapp/custom-robot-access and its
//   signing, https://open.dingtalk.com/document/orgapp/customize-robot-security-settings
// - Feishu/Lark custom bot: https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
// - Slack incoming webhook: https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks
// - Standard Webhooks: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md,
//   verified with its official library (`standardwebhooks`), which also refuses a timestamp more
//   than 5 minutes off, as the specification asks.
//
// A request that fails a check is answered as that receiver answers a bad one and recorded with
// its problems; one that passes gets the receiver's documented success answer, or `respond`'s.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebhookEvent, type WebhookFormat } from "@floorwatch/contracts";
import { Webhook } from "standardwebhooks";

export interface Received {
  method: string;
  /** Path and query, as the request line had them. */
  url: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The raw body, as signed. */
  body: string;
  /** The body parsed as JSON, or null when it is not JSON. */
  json: unknown;
  at_ms: number;
  /** Whether it passed every check of its format (what it was answered is `status`). */
  accepted: boolean;
  problems: string[];
  /** The HTTP status it was answered. */
  status: number;
}

export interface Reply {
  status: number;
  body: string;
  /** Wait this long before answering (a slow receiver). */
  delayMs?: number;
}

export interface ReceiverOptions {
  format: WebhookFormat;
  /** DingTalk, Feishu: the robot's signing secret; requests must then be signed with it. */
  robotSecret?: string;
  /** standard: the secrets a request may be signed with (any one verifying is enough; none: nothing verifies). */
  standardSecrets?: string[];
  /**
   * The answer to a request that passed the checks (fail twice then succeed, answer slowly...).
   * A request that failed them is always answered as the real receiver answers a bad request.
   */
  respond?: (req: Received) => Reply | Promise<Reply>;
}

export interface Receiver {
  url: string;
  requests: Received[];
  close(): Promise<void>;
  /** While down, connections are refused: the listening socket is closed and later reopened on the same port. */
  setDown(down: boolean): Promise<void>;
  /** Resolves with every request so far once `pred` holds of them; rejects after `timeoutMs`. */
  waitFor(
    pred: (requests: readonly Received[]) => boolean,
    timeoutMs?: number,
  ): Promise<Received[]>;
}

/** How far a robot's signing timestamp may be from its clock: one hour, for DingTalk and Feishu. */
const ROBOT_CLOCK_MS = 3_600_000;
const WECOM_MAX_BYTES = 4096;
const FEISHU_MAX_BODY = 20 * 1024;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === "string" && v.length > 0;

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

const sameBase64 = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** What one format makes of a request: its problems, and the answer to give when there are any. */
interface Check {
  problems: string[];
  rejection: Reply;
  success: Reply;
}

const json = (status: number, body: unknown): Reply => ({ status, body: JSON.stringify(body) });

function checkWecom(req: Received, key: string): Check {
  const problems: string[] = [];
  const url = new URL(req.url, "http://x");
  let rejection = json(200, { errcode: 40058, errmsg: "invalid Request Parameter" });
  if (url.pathname !== "/cgi-bin/webhook/send" || url.searchParams.get("key") !== key) {
    problems.push("the key is not this robot's");
    rejection = json(200, { errcode: 93000, errmsg: "invalid webhook url" });
  }
  const j = req.json;
  const types = [
    "text",
    "markdown",
    "markdown_v2",
    "image",
    "news",
    "file",
    "voice",
    "template_card",
  ];
  if (!isObject(j)) problems.push("the body is not a JSON object");
  else if (!types.includes(String(j.msgtype))) {
    problems.push(`msgtype ${JSON.stringify(j.msgtype)} is not one WeCom knows`);
    rejection = json(200, { errcode: 40008, errmsg: "invalid message type" });
  } else if (j.msgtype === "markdown") {
    const md = j.markdown;
    const content = isObject(md) ? md.content : undefined;
    if (!nonEmpty(content)) problems.push("markdown.content is missing or empty");
    else {
      if (Buffer.byteLength(content, "utf8") > WECOM_MAX_BYTES) {
        problems.push("markdown.content is over 4096 bytes");
        rejection = json(200, {
          errcode: 40058,
          errmsg: "markdown.content exceed max length 4096. invalid Request Parameter",
        });
      }
      // WeCom's markdown has three colours only; any other renders as plain text.
      for (const m of content.matchAll(/<font color="([^"]*)">/g))
        if (!["info", "comment", "warning"].includes(m[1] ?? ""))
          problems.push(`font color "${m[1]}" is not info, comment or warning`);
    }
  } else if (j.msgtype === "text") textProblems(j, problems);
  return { problems, rejection, success: ERRCODE_OK() };
}

/** WeCom's and DingTalk's `text` message: `text.content`, not empty. */
function textProblems(j: Record<string, unknown>, problems: string[]) {
  const text = j.text;
  if (!isObject(text) || !nonEmpty(text.content)) problems.push("text.content is missing or empty");
}

/** What WeCom and DingTalk answer a message they took. */
const ERRCODE_OK = () => json(200, { errcode: 0, errmsg: "ok" });

function checkDingtalk(
  req: Received,
  token: string,
  secret: string | undefined,
  nowMs: number,
): Check {
  const problems: string[] = [];
  const url = new URL(req.url, "http://x");
  let rejection = json(200, { errcode: 40035, errmsg: "缺少参数 json" });
  if (url.pathname !== "/robot/send" || url.searchParams.get("access_token") !== token) {
    problems.push("access_token is not this robot's");
    rejection = json(200, { errcode: 300001, errmsg: "token is not exist" });
  }
  if (secret) {
    const ts = url.searchParams.get("timestamp");
    const sign = url.searchParams.get("sign");
    if (!ts || !/^\d+$/.test(ts) || !sign) {
      problems.push("a signed robot needs timestamp and sign in the query");
      rejection = json(200, { errcode: 310000, errmsg: "sign not match" });
    } else if (Math.abs(nowMs - Number(ts)) > ROBOT_CLOCK_MS) {
      problems.push("timestamp is more than an hour from the robot's clock");
      rejection = json(200, { errcode: 310000, errmsg: "invalid timestamp" });
    } else {
      // The documented algorithm: HMAC-SHA256 keyed by the secret over timestamp + "\n" + secret.
      const expected = createHmac("sha256", secret).update(`${ts}\n${secret}`).digest("base64");
      if (!sameBase64(sign, expected)) {
        problems.push("sign does not match");
        rejection = json(200, { errcode: 310000, errmsg: "sign not match" });
      }
    }
  }
  const j = req.json;
  const types = ["text", "link", "markdown", "actionCard", "feedCard"];
  if (!isObject(j)) problems.push("the body is not a JSON object");
  else if (!types.includes(String(j.msgtype)))
    problems.push(`msgtype ${JSON.stringify(j.msgtype)} is not one DingTalk knows`);
  else if (j.msgtype === "markdown") {
    const md = j.markdown;
    if (!isObject(md) || !nonEmpty(md.title)) problems.push("markdown.title is missing or empty");
    if (!isObject(md) || !nonEmpty(md.text)) problems.push("markdown.text is missing or empty");
  } else if (j.msgtype === "text") textProblems(j, problems);
  return { problems, rejection, success: ERRCODE_OK() };
}

function checkFeishu(
  req: Received,
  token: string,
  secret: string | undefined,
  nowMs: number,
): Check {
  const problems: string[] = [];
  let rejection = json(200, { code: 9499, msg: "Bad Request", data: {} });
  if (req.url !== `/open-apis/bot/v2/hook/${token}`) {
    problems.push("the hook token is not this bot's");
    rejection = json(200, {
      code: 19001,
      msg: "param invalid: incoming webhook access token invalid",
      data: {},
    });
  }
  if (Buffer.byteLength(req.body, "utf8") > FEISHU_MAX_BODY)
    problems.push("the body is over 20 KB");
  const j = req.json;
  if (!isObject(j)) problems.push("the body is not a JSON object");
  else {
    if (secret) {
      const ts = j.timestamp;
      const sign = j.sign;
      const fail = {
        code: 19021,
        msg: "sign match fail or timestamp is not within one hour from current time",
      };
      if (typeof ts !== "string" || !/^\d+$/.test(ts) || !nonEmpty(sign)) {
        problems.push("a signed bot needs timestamp (seconds, a string) and sign in the body");
        rejection = json(200, fail);
      } else if (Math.abs(nowMs - Number(ts) * 1000) > ROBOT_CLOCK_MS) {
        problems.push("timestamp is more than an hour from the bot's clock");
        rejection = json(200, fail);
      } else {
        // The documented algorithm: timestamp + "\n" + secret is the key, the message is empty.
        const expected = createHmac("sha256", `${ts}\n${secret}`).update("").digest("base64");
        if (!sameBase64(sign, expected)) {
          problems.push("sign does not match");
          rejection = json(200, fail);
        }
      }
    }
    const type = j.msg_type;
    if (type === "text") {
      if (!isObject(j.content) || !nonEmpty(j.content.text))
        problems.push("content.text is missing or empty");
    } else if (type === "post") {
      if (!isObject(j.content) || !isObject(j.content.post))
        problems.push("content.post is missing");
    } else if (type === "interactive") {
      const card = j.card;
      if (!isObject(card)) problems.push("an interactive message needs a card object");
      else {
        if (!Array.isArray(card.elements) && !isObject(card.body) && !isObject(card.i18n_elements))
          problems.push("the card has no elements");
        const header = card.header;
        if (header !== undefined) {
          const title = isObject(header) ? header.title : undefined;
          if (!isObject(title) || !nonEmpty(title.content))
            problems.push("the card header has no title content");
        }
        for (const el of Array.isArray(card.elements) ? card.elements : [])
          if (!isObject(el) || !nonEmpty(el.tag)) problems.push("a card element has no tag");
      }
    } else if (type !== "image" && type !== "share_chat")
      problems.push(`msg_type ${JSON.stringify(type)} is not one a custom bot sends`);
  }
  return {
    problems,
    rejection,
    success: json(200, {
      StatusCode: 0,
      StatusMessage: "success",
      code: 0,
      data: {},
      msg: "success",
    }),
  };
}

const SLACK_BLOCKS = new Set([
  "section",
  "header",
  "divider",
  "context",
  "actions",
  "image",
  "rich_text",
  "markdown",
  "table",
]);

function checkSlack(req: Received, path: string): Check {
  const problems: string[] = [];
  let rejection: Reply = { status: 400, body: "invalid_blocks" };
  const text = (t: unknown) => (isObject(t) && typeof t.text === "string" ? t.text : null);
  if (req.url !== path) {
    problems.push("the webhook path is not this one");
    rejection = { status: 404, body: "no_service" };
  }
  const j = req.json;
  if (!isObject(j)) {
    problems.push("the body is not a JSON object");
    rejection = { status: 400, body: "invalid_payload" };
  } else if (!nonEmpty(j.text) && !Array.isArray(j.blocks)) {
    problems.push("neither text nor blocks");
    rejection = { status: 400, body: "no_text" };
  } else if (j.blocks !== undefined) {
    const blocks = j.blocks;
    if (!Array.isArray(blocks) || blocks.length > 50)
      problems.push("blocks must be an array of at most 50");
    for (const b of Array.isArray(blocks) ? blocks : []) {
      if (!isObject(b) || !SLACK_BLOCKS.has(String(b.type))) {
        problems.push(`block type ${JSON.stringify(isObject(b) ? b.type : b)} is unknown`);
        continue;
      }
      if (b.type === "header") {
        const t = text(b.text);
        if (
          !isObject(b.text) ||
          b.text.type !== "plain_text" ||
          t === null ||
          t.length === 0 ||
          t.length > 150
        )
          problems.push("a header's text must be plain_text of 1 to 150 characters");
      }
      if (b.type === "section") {
        const t = text(b.text);
        const typed =
          isObject(b.text) && (b.text.type === "mrkdwn" || b.text.type === "plain_text");
        if (b.fields === undefined && (!typed || t === null || t.length === 0 || t.length > 3000))
          problems.push("a section's text must be mrkdwn or plain_text of 1 to 3000 characters");
      }
    }
  }
  return { problems, rejection, success: { status: 200, body: "ok" } };
}

function checkStandard(req: Received, secrets: readonly string[], nowMs: number): Check {
  const problems: string[] = [];
  let rejection = json(400, { error: "bad request" });
  if (req.url !== "/hooks/standard") problems.push("the path is not this receiver's");
  if (!(req.headers["content-type"] ?? "").startsWith("application/json"))
    problems.push("content-type is not application/json");
  const id = req.headers["webhook-id"];
  const ts = req.headers["webhook-timestamp"];
  const sig = req.headers["webhook-signature"];
  if (!id || !ts || !sig) {
    problems.push("webhook-id, webhook-timestamp and webhook-signature are all required");
    rejection = json(401, { error: "missing signature headers" });
  } else {
    for (const s of sig.split(" "))
      if (!/^v1,[A-Za-z0-9+/]+={0,2}$/.test(s))
        problems.push(`signature ${JSON.stringify(s)} is not v1,<base64>`);
    // The specification's replay protection: a timestamp more than 5 minutes off is refused.
    if (!/^\d+$/.test(ts) || Math.abs(nowMs / 1000 - Number(ts)) > 300) {
      problems.push("webhook-timestamp is more than 5 minutes from now");
      rejection = json(401, { error: "stale timestamp" });
    }
    const verified = secrets.some((secret) => {
      try {
        new Webhook(secret).verify(req.body, {
          "webhook-id": id,
          "webhook-timestamp": ts,
          "webhook-signature": sig,
        });
        return true;
      } catch {
        return false;
      }
    });
    if (!verified) {
      problems.push("no signature verifies with the receiver's secrets");
      rejection = json(401, { error: "invalid signature" });
    }
  }
  if (!WebhookEvent.safeParse(req.json).success)
    problems.push("the body is not a Floorwatch event");
  return { problems, rejection, success: { status: 204, body: "" } };
}

const token = () => randomBytes(8).toString("hex");

function pathOf(format: WebhookFormat): { path: string; secretPart: string } {
  const t = token();
  switch (format) {
    case "wecom":
      return { path: `/cgi-bin/webhook/send?key=k-${t}`, secretPart: `k-${t}` };
    case "dingtalk":
      return { path: `/robot/send?access_token=${t}`, secretPart: t };
    case "feishu":
      return { path: `/open-apis/bot/v2/hook/${t}`, secretPart: t };
    case "slack":
      return { path: `/services/T000/B000/${t}`, secretPart: t };
    case "standard":
      return { path: "/hooks/standard", secretPart: "" };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a fake receiver of `opts.format` on 127.0.0.1 at a free port. */
export async function startReceiver(opts: ReceiverOptions): Promise<Receiver> {
  const { path, secretPart } = pathOf(opts.format);
  const requests: Received[] = [];

  const check = (req: Received): Check => {
    const now = Date.now();
    switch (opts.format) {
      case "wecom":
        return checkWecom(req, secretPart);
      case "dingtalk":
        return checkDingtalk(req, secretPart, opts.robotSecret, now);
      case "feishu":
        return checkFeishu(req, secretPart, opts.robotSecret, now);
      case "slack":
        return checkSlack(req, path);
      case "standard":
        return checkStandard(req, opts.standardSecrets ?? [], now);
    }
  };

  const handle = async (incoming: IncomingMessage, res: ServerResponse) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const c of incoming) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(incoming.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    const req: Received = {
      method: incoming.method ?? "",
      url: incoming.url ?? "",
      headers,
      body,
      json: parse(body),
      at_ms: at,
      accepted: false,
      problems: [],
      status: 0,
    };
    const c = check(req);
    if (req.method !== "POST") c.problems.push(`method ${req.method} is not POST`);
    req.problems = c.problems;
    req.accepted = c.problems.length === 0;
    requests.push(req);
    let reply: Reply;
    try {
      reply = req.accepted ? ((await opts.respond?.(req)) ?? c.success) : c.rejection;
    } catch (err) {
      reply = { status: 500, body: String(err) };
    }
    req.status = reply.status;
    if (reply.delayMs) await sleep(reply.delayMs);
    const type = reply.body.startsWith("{") ? "application/json" : "text/plain; charset=utf-8";
    res.writeHead(reply.status, { "content-type": type });
    res.end(reply.body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      // Keep-alive connections would still be answered: a receiver that is down answers nothing.
      server.closeAllConnections();
    });

  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    close: stop,
    async setDown(down) {
      if (down) await stop();
      else if (!server.listening) await listen(port);
    },
    async waitFor(pred, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pred(requests)) {
        if (Date.now() > deadline)
          throw new Error(
            `receiver (${opts.format}) waited ${timeoutMs} ms; it has ${requests.length} request(s): ${JSON.stringify(
              requests.map((r) => ({
                status: r.status,
                accepted: r.accepted,
                problems: r.problems,
              })),
            )}`,
          );
        await sleep(20);
      }
      return [...requests];
    },
  };
}

/**
 * A firing breach as the dispatcher makes one (events.ts `eventOf`), for tests of the formats and
 * their receivers: the loans queue's service level at 62.5 % against its 80 % target for 3 min
 * 20 s. `data` replaces fields of the event's data.
 */
export function sampleEvent(
  data: Partial<WebhookEvent["data"]> = {},
  type: WebhookEvent["type"] = "alert.firing",
): WebhookEvent {
  const at = (local: string) => ({ utc: new Date(local).toISOString(), local });
  return {
    type,
    timestamp: "2026-11-30T06:06:20.000Z",
    data: {
      site: { id: "sh", name: "上海客服中心 Shanghai", tz: "Asia/Shanghai" },
      alert_id: "5f0c2a9e71d4b3a8",
      transition: "firing",
      rule: {
        id: "service-level",
        version: 1,
        name: "Service level at or above target (last 15 min)",
        name_zh: "服务水平不低于目标（近15分钟）",
        severity: "critical",
        labels: {},
      },
      scope: { key: "queue:loans", queue: "loans", channel: null, survey_id: null },
      queue: { id: "loans", name: "Loans", name_zh: "贷款专线" },
      figure: "service_level",
      window: "15m",
      comparator: "<",
      value: 0.625,
      threshold: 0.8,
      recovery_threshold: 0.8,
      peak: 0.625,
      definition_version: 3,
      since: at("2026-11-30T14:03:00+08:00"),
      fired_at: at("2026-11-30T14:06:20+08:00"),
      resolved_at: null,
      duration_s: 200,
      acknowledged: null,
      drill: "https://floorwatch.example.cn/api/v1/breaches/5f0c2a9e71d4b3a8/evidence?site=sh",
      url: "https://floorwatch.example.cn/qa/breaches/5f0c2a9e71d4b3a8?site=sh",
      test: false,
      ...data,
    },
  };
}
