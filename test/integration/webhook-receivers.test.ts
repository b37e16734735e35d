// Each notification format as rendered (api/src/webhooks/formats.ts) is taken by its fake receiver
// (test/support/receivers.ts), whose checks are written from the robots' documentation and, for
// Standard Webhooks, verified by the official library: both sides agree. A tampered body, a wrong
// secret or a stale timestamp is refused the way the real receiver refuses it, and judgeResponse
// reads that refusal as a failure.
import type { WebhookEvent, WebhookFormat, WebhookLang } from "@floorwatch/contracts";
import { judgeResponse, renderRequest } from "../../api/src/webhooks/formats";
import { generateSecret } from "../../api/src/webhooks/sign";
import type { OutgoingRequest } from "../../api/src/webhooks/types";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Receiver,
  type ReceiverOptions,
  sampleEvent,
  startReceiver,
} from "../support/receivers";

const open: Receiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function receiver(opts: ReceiverOptions): Promise<Receiver> {
  const r = await startReceiver(opts);
  open.push(r);
  return r;
}

async function send(req: OutgoingRequest): Promise<{ status: number; body: string }> {
  const res = await fetch(req.url, { method: "POST", headers: req.headers, body: req.body });
  return { status: res.status, body: await res.text() };
}

const render = (
  format: WebhookFormat,
  url: string,
  opts: {
    lang?: WebhookLang;
    robotSecret?: string;
    secrets?: string[];
    event?: WebhookEvent;
    nowMs?: number;
  } = {},
) =>
  renderRequest(
    { format, url, lang: opts.lang ?? "zh-CN", robot_secret: opts.robotSecret ?? null },
    opts.secrets ?? [],
    opts.event ?? sampleEvent(),
    "msg_7QpYtA2m9c",
    opts.nowMs ?? Date.now(),
  );

describe("every format is accepted by its receiver", () => {
  const cases: { name: string; format: WebhookFormat; robotSecret?: string }[] = [
    { name: "WeCom", format: "wecom" },
    { name: "DingTalk", format: "dingtalk" },
    { name: "DingTalk with 加签", format: "dingtalk", robotSecret: "SECf3c1e0b5d7a9" },
    { name: "Feishu", format: "feishu" },
    { name: "Feishu with signing", format: "feishu", robotSecret: "fs-9d2b7c" },
    { name: "Slack", format: "slack" },
  ];
  for (const c of cases)
    for (const lang of ["zh-CN", "en"] as const)
      it(`${c.name} (${lang})`, async () => {
        const r = await receiver({ format: c.format, robotSecret: c.robotSecret });
        const answer = await send(render(c.format, r.url, { lang, robotSecret: c.robotSecret }));
        expect(r.requests[0]?.problems).toEqual([]);
        expect(r.requests[0]?.accepted).toBe(true);
        expect(judgeResponse(c.format, answer.status, answer.body)).toEqual({
          ok: true,
          gone: false,
          error: null,
        });
      });

  it("every transition, in a robot format, is accepted", async () => {
    const r = await receiver({ format: "wecom" });
    const base = sampleEvent().data;
    const events = [
      sampleEvent(),
      sampleEvent({ transition: "resolved", resolved_at: base.fired_at }, "alert.resolved"),
      sampleEvent(
        {
          transition: "acknowledged",
          acknowledged: { by: "王经理", at: base.since, note: "处理中" },
        },
        "alert.acknowledged",
      ),
      sampleEvent({ transition: "test", test: true }, "webhook.test"),
    ];
    for (const event of events) await send(render("wecom", r.url, { event }));
    await r.waitFor((reqs) => reqs.length === events.length);
    expect(r.requests.map((q) => q.accepted)).toEqual(events.map(() => true));
  });

  it("Standard Webhooks, signed with both secrets during a rotation, verifies with either", async () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    for (const secret of [current, previous]) {
      const r = await receiver({ format: "standard", standardSecrets: [secret] });
      const answer = await send(render("standard", r.url, { secrets: [current, previous] }));
      expect(r.requests[0]?.problems).toEqual([]);
      expect(judgeResponse("standard", answer.status, answer.body).ok).toBe(true);
      expect(r.requests[0]?.headers["webhook-id"]).toBe("msg_7QpYtA2m9c");
      expect(r.requests[0]?.json).toEqual(sampleEvent());
    }
  });
});

describe("a request that does not hold is refused as the real receiver refuses it", () => {
  it("Standard Webhooks: a tampered body, a wrong secret, a stale timestamp", async () => {
    const secret = generateSecret();
    const r = await receiver({ format: "standard", standardSecrets: [secret] });
    const good = render("standard", r.url, { secrets: [secret] });

    const tampered = { ...good, body: good.body.replace('"value":0.625', '"value":0.925') };
    expect(tampered.body).not.toBe(good.body);
    const a = await send(tampered);
    expect(a.status).toBe(401);
    expect(r.requests[0]?.problems).toContain("no signature verifies with the receiver's secrets");

    await send(render("standard", r.url, { secrets: [generateSecret()] }));
    expect(r.requests[1]?.accepted).toBe(false);

    const stale = await send(
      render("standard", r.url, { secrets: [secret], nowMs: Date.now() - 10 * 60_000 }),
    );
    expect(judgeResponse("standard", stale.status, stale.body).ok).toBe(false);
    expect(r.requests[2]?.problems).toContain("webhook-timestamp is more than 5 minutes from now");
  });

  it("DingTalk: a sign made with another secret, or an hour old, answers errcode 310000", async () => {
    const r = await receiver({ format: "dingtalk", robotSecret: "SECright" });
    const wrong = await send(render("dingtalk", r.url, { robotSecret: "SECwrong" }));
    expect(judgeResponse("dingtalk", wrong.status, wrong.body).error).toBe(
      "dingtalk errcode 310000: sign not match",
    );
    const old = await send(
      render("dingtalk", r.url, { robotSecret: "SECright", nowMs: Date.now() - 2 * 3_600_000 }),
    );
    expect(judgeResponse("dingtalk", old.status, old.body).error).toBe(
      "dingtalk errcode 310000: invalid timestamp",
    );
    const unsigned = await send(render("dingtalk", r.url));
    expect(JSON.parse(unsigned.body).errcode).toBe(310000);
    expect(r.requests.map((q) => q.accepted)).toEqual([false, false, false]);
  });

  it("Feishu: a wrong signature answers code 19021", async () => {
    const r = await receiver({ format: "feishu", robotSecret: "fs-right" });
    const a = await send(render("feishu", r.url, { robotSecret: "fs-wrong" }));
    expect(judgeResponse("feishu", a.status, a.body).error).toMatch(
      /^feishu code 19021: sign match fail/,
    );
  });

  it("WeCom: another robot's key answers errcode 93000; a content over 4096 bytes 40058", async () => {
    const r = await receiver({ format: "wecom" });
    const wrongKey = r.url.replace(/key=[^&]+/, "key=k-other");
    const a = await send(render("wecom", wrongKey));
    expect(judgeResponse("wecom", a.status, a.body).error).toBe(
      "wecom errcode 93000: invalid webhook url",
    );
    const big = {
      url: r.url,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ msgtype: "markdown", markdown: { content: "贷".repeat(1366) } }),
    };
    const b = await send(big);
    expect(JSON.parse(b.body).errcode).toBe(40058);
  });

  it("Slack: an unknown webhook answers 404 no_service, an empty message 400 no_text", async () => {
    const r = await receiver({ format: "slack" });
    const a = await send(render("slack", `${r.url}x`));
    expect(judgeResponse("slack", a.status, a.body).error).toBe("slack HTTP 404: no_service");
    const b = await send({
      url: r.url,
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(b).toEqual({ status: 400, body: "no_text" });
  });
});

describe("a receiver's behaviour under test", () => {
  it("answers as `respond` says once the checks pass: fail twice, then succeed", async () => {
    let n = 0;
    const r = await receiver({
      format: "slack",
      respond: () =>
        ++n <= 2 ? { status: 500, body: "rollup_error" } : { status: 200, body: "ok" },
    });
    const req = render("slack", r.url);
    const answers = [await send(req), await send(req), await send(req)];
    expect(answers.map((a) => judgeResponse("slack", a.status, a.body).ok)).toEqual([
      false,
      false,
      true,
    ]);
    expect(r.requests.map((q) => [q.accepted, q.status])).toEqual([
      [true, 500],
      [true, 500],
      [true, 200],
    ]);
  });

  it("refuses connections while down and takes requests on the same URL once up", async () => {
    const r = await receiver({ format: "wecom" });
    const req = render("wecom", r.url);
    await r.setDown(true);
    const refused = await fetch(req.url, {
      method: "POST",
      headers: req.headers,
      body: req.body,
    }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(Error);
    expect(String((refused as Error & { cause?: { code?: string } }).cause?.code)).toBe(
      "ECONNREFUSED",
    );
    expect(r.requests).toHaveLength(0);
    await r.setDown(false);
    const answer = await send(req);
    expect(judgeResponse("wecom", answer.status, answer.body).ok).toBe(true);
    await r.waitFor((reqs) => reqs.some((q) => q.accepted), 5_000);
  });
});
