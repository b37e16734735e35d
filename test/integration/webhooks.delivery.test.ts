// Delivery of notifications (issue #13), end to end on the real parts: events produced to Kafka,
// the ingest, ClickHouse, an elected API process evaluating rules and sending, and receivers on
// 127.0.0.1 that check each format's documented request shape.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { WebhookEvent } from "@floorwatch/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seenSites } from "../support/api";
import { answered, produceAll, queued } from "../support/events";
import { createHarness, eventually, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { startReceiver, type Received, type Receiver } from "../support/receivers";
import {
  call,
  deliveriesOf,
  readWebhook,
  startWebhookApi,
  subscribe as subscribeTo,
  verifies,
} from "../support/webhooks";

const site = "whd";
const S = 1_000;
/**
 * Subscriptions of the tests that send POST /test only: real alerts (the site's default rules, the
 * service's own "notifications stopped") must not add requests to what they count.
 */
const QUIET = { types: ["alert.acknowledged" as const] };

const typeOf = (q: Received) => (q.json as { type?: string } | null)?.type;

/** The first request to `r` that `pred` holds of, once there is one. */
const arrival = async (r: Receiver, pred: (q: Received) => boolean) =>
  (await r.waitFor((qs) => qs.some(pred), 30_000)).find(pred)!;

describe("webhook delivery", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let api: { url: string; close(): Promise<void> };
  const receivers: Receiver[] = [];
  const servers: Server[] = [];
  // The standard receivers verify signatures with every secret the tests' subscriptions were
  // given (the list is read at each request: secrets are known only once subscribed).
  const trusted: string[] = [];
  const receiver = async (opts: Parameters<typeof startReceiver>[0]) => {
    const r = await startReceiver({ standardSecrets: trusted, ...opts });
    receivers.push(r);
    return r;
  };

  const subscribe = async (...args: Parameters<typeof subscribeTo>) => {
    const sub = await subscribeTo(...args);
    if (sub.secret) trusted.push(sub.secret);
    return sub;
  };
  const rotate = async (id: string, overlap_s: number) => {
    const { secret } = await call<{ secret: string }>(
      api.url,
      "POST",
      `/api/v1/webhooks/${id}/rotate`,
      {
        overlap_s,
      },
    );
    trusted.push(secret);
    return secret;
  };

  /** A subscription whose receiver always answers `reply`, sent a test, once the service disabled it. */
  const disabledAnswering = async (reply: { status: number; body: string }) => {
    const r = await receiver({ format: "standard", respond: () => reply });
    const sub = await subscribe(api.url, {
      name: `answering ${reply.status}`,
      url: r.url,
      format: "standard",
      sites: [site],
      events: QUIET,
    });
    await call(api.url, "POST", `/api/v1/webhooks/${sub.id}/test`);
    const off = await eventually(async () => {
      const w = await readWebhook(api.url, sub.id);
      expect(w.enabled).toBe(false);
      return w;
    }, 30_000);
    return { r, sub, off };
  };

  beforeAll(async () => {
    h = await createHarness("webhooks_delivery");
    await seenSites(h.ch, [site]);
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    api = await startWebhookApi(h, { disableAfterMs: 4_000 });
  }, 90_000);

  afterAll(async () => {
    await api?.close();
    for (const r of receivers) await r.close();
    for (const s of servers) await new Promise((done) => s.close(done));
    await ingest?.stop();
    await h?.cleanup();
  });

  it("sends a breach as it fires and as it resolves, signed, with the payload of the contract", async () => {
    // The queue exists once it has had a contact (the ingest defines it).
    await waitForIngested(
      h,
      await produceAll(h.kafka, h.config.topics, [
        queued({ site, at: Date.now() - 2 * S, contact: "c-loans-0", queue: "loans" }),
        answered({ site, at: Date.now() - S, contact: "c-loans-0", queue: "loans" }),
      ]),
    );
    const rule = await call<{ id: string; version: number }>(
      api.url,
      "POST",
      `/api/v1/rules?site=${site}`,
      {
        kind: "threshold",
        name: "Loans caller waiting",
        name_zh: "贷款专线客户等待",
        figure: "longest_waiting_s",
        window: "now",
        scope: { kind: "queue", queue: "loans" },
        comparator: ">=",
        threshold: 5,
        for_s: 0,
        keep_firing_for_s: 0,
        severity: "critical",
      },
    );
    const r = await receiver({ format: "standard" });
    const sub = await subscribe(api.url, {
      name: "incident system",
      url: r.url,
      format: "standard",
      sites: [site],
      events: { types: ["alert.firing", "alert.acknowledged", "alert.resolved"], rules: [rule.id] },
    });
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);

    const produced = await produceAll(h.kafka, h.config.topics, [
      queued({ site, at: Date.now() - 20 * S, contact: "c-loans-1", queue: "loans" }),
    ]);
    await waitForIngested(h, produced);
    const firing = await arrival(r, (q) => typeOf(q) === "alert.firing");
    expect(verifies(sub.secret!, firing)).toBe(true);
    const fired = WebhookEvent.parse(firing.json);
    expect(fired.data).toMatchObject({
      site: { id: site },
      transition: "firing",
      rule: {
        id: rule.id,
        version: rule.version,
        severity: "critical",
        name_zh: "贷款专线客户等待",
      },
      scope: { queue: "loans" },
      figure: "longest_waiting_s",
      comparator: ">=",
      threshold: 5,
      test: false,
    });
    expect(fired.data.value).toBeGreaterThanOrEqual(5);
    expect(fired.data.since.local).toMatch(/[+-]\d{2}:\d{2}$/);
    expect(fired.data.drill).toContain(`/api/v1/breaches/${fired.data.alert_id}/evidence`);

    // A supervisor takes it on: the group hears who.
    await call(api.url, "POST", `/api/v1/alerts/${fired.data.alert_id}/ack`, {
      site,
      note: "calling in the overflow team",
    });
    const ackReq = await arrival(r, (q) => typeOf(q) === "alert.acknowledged");
    expect(verifies(sub.secret!, ackReq)).toBe(true);
    const acked = WebhookEvent.parse(ackReq.json);
    expect(acked.data.alert_id).toBe(fired.data.alert_id);
    expect(acked.data.transition).toBe("acknowledged");
    expect(acked.data.acknowledged).toMatchObject({ note: "calling in the overflow team" });

    const more = await produceAll(h.kafka, h.config.topics, [
      answered({ site, at: Date.now(), contact: "c-loans-1", queue: "loans" }),
    ]);
    await waitForIngested(h, more);
    const resolved = await arrival(r, (q) => typeOf(q) === "alert.resolved");
    expect(verifies(sub.secret!, resolved)).toBe(true);
    const ended = WebhookEvent.parse(resolved.json);
    expect(ended.data.alert_id).toBe(fired.data.alert_id);
    expect(ended.data.resolved_at).not.toBeNull();
    // Whoever took it on is in the resolution too.
    expect(ended.data.acknowledged?.note).toBe("calling in the overflow team");
    // Three events, three message ids; none sent twice.
    const ids = r.requests.map((q) => q.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(3);
    expect(ids).toHaveLength(3);
  });

  it("retries a receiver that fails twice: three attempts, one webhook-id, every one signed", async () => {
    let n = 0;
    const r = await receiver({
      format: "standard",
      respond: () =>
        ++n <= 2 ? { status: n === 1 ? 500 : 503, body: "busy" } : { status: 204, body: "" },
    });
    const sub = await subscribe(api.url, {
      name: "flaky",
      url: r.url,
      format: "standard",
      sites: [site],
      events: QUIET,
    });
    const queuedTest = await call<{ delivery_id: string; message_id: string }>(
      api.url,
      "POST",
      `/api/v1/webhooks/${sub.id}/test`,
    );
    await r.waitFor(() => r.requests.length >= 3, 30_000);
    expect(new Set(r.requests.map((q) => q.headers["webhook-id"]))).toEqual(
      new Set([queuedTest.message_id]),
    );
    for (const q of r.requests) expect(verifies(sub.secret!, q)).toBe(true);
    expect(WebhookEvent.parse(r.requests[0]!.json).type).toBe("webhook.test");
    // The sender writes the delivery's state before its attempt's log row (worker.ts): wait for
    // both, or the read can fall between them.
    const [d] = await eventually(async () => {
      const ds = await deliveriesOf(api.url, sub.id);
      expect(ds[0]?.state).toBe("delivered");
      expect(ds[0]?.attempt_log).toHaveLength(3);
      return ds;
    });
    expect(d!.attempts, JSON.stringify(d)).toBe(3);
    expect(d!.attempt_log.map((a) => [a.status, a.ok])).toEqual([
      [500, false],
      [503, false],
      [204, true],
    ]);
    expect(d!.attempt_log[0]!.response).toBe("busy");
    // Still one request per attempt a while later: a delivered message is not sent again.
    await new Promise((done) => setTimeout(done, 1_500));
    expect(r.requests).toHaveLength(3);
  });

  it("signs with both secrets while a rotation's overlap lasts, and each verifies", async () => {
    const r = await receiver({ format: "standard" });
    const sub = await subscribe(api.url, {
      name: "rotating",
      url: r.url,
      format: "standard",
      sites: [site],
      events: QUIET,
    });
    const rotated = { secret: await rotate(sub.id, 3600) };
    expect(rotated.secret).not.toBe(sub.secret);
    await call(api.url, "POST", `/api/v1/webhooks/${sub.id}/test`);
    const got = await arrival(r, () => true);
    expect(String(got.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verifies(sub.secret!, got)).toBe(true);
    expect(verifies(rotated.secret, got)).toBe(true);
    // Without an overlap only the new secret signs.
    const again = { secret: await rotate(sub.id, 0) };
    await call(api.url, "POST", `/api/v1/webhooks/${sub.id}/test`);
    await r.waitFor(() => r.requests.length >= 2, 30_000);
    const second = r.requests[1]!;
    expect(String(second.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(verifies(again.secret, second)).toBe(true);
    expect(verifies(rotated.secret, second)).toBe(false);
  });

  it.each([
    ["wecom", undefined],
    ["dingtalk", "SECdingtalk-robot-secret-0123456789"],
    ["feishu", "feishu-robot-secret-0123"],
    ["slack", undefined],
  ] as const)(
    "delivers to a %s robot in the shape its fake checks",
    async (format, robotSecret) => {
      const r = await receiver({ format, robotSecret });
      const sub = await subscribe(api.url, {
        name: `${format} group`,
        url: r.url,
        format,
        sites: [site],
        events: QUIET,
        lang: format === "slack" ? "en" : "zh-CN",
        ...(robotSecret ? { robot_secret: robotSecret } : {}),
      });
      expect(sub.secret).toBeNull();
      await call(api.url, "POST", `/api/v1/webhooks/${sub.id}/test`);
      const got = await arrival(r, () => true);
      expect(got.problems).toEqual([]);
      expect(got.accepted).toBe(true);
      // The robot's key is in the URL it was sent to, never in what the API shows.
      expect(sub.url).not.toBe(r.url);
      await eventually(async () =>
        expect((await deliveriesOf(api.url, sub.id))[0]?.state).toBe("delivered"),
      );
    },
  );

  it("does not follow a redirect: the attempt fails and the other target hears nothing", async () => {
    let elsewhere = 0;
    const other = createServer((_req, res) => {
      elsewhere++;
      res.end("ok");
    });
    servers.push(other);
    await new Promise<void>((done) => other.listen(0, "127.0.0.1", done));
    const redirecting = createServer((_req, res) => {
      res.writeHead(302, {
        location: `http://127.0.0.1:${(other.address() as AddressInfo).port}/x`,
      });
      res.end();
    });
    servers.push(redirecting);
    await new Promise<void>((done) => redirecting.listen(0, "127.0.0.1", done));
    const sub = await subscribe(api.url, {
      name: "redirecting",
      url: `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/hook`,
      format: "standard",
      sites: [site],
      events: QUIET,
    });
    await call(api.url, "POST", `/api/v1/webhooks/${sub.id}/test`);
    const [d] = await eventually(async () => {
      const ds = await deliveriesOf(api.url, sub.id);
      expect(ds[0]?.attempt_log.length).toBeGreaterThanOrEqual(1);
      return ds;
    });
    const a = d!.attempt_log[0]!;
    expect(a.status).toBe(302);
    expect(a.ok).toBe(false);
    expect(a.error).toMatch(/redirect/i);
    expect(elsewhere).toBe(0);
  });

  it("keeps a slow receiver's backlog from delaying another subscription's delivery", async () => {
    const slow = await receiver({
      format: "standard",
      respond: () => ({ status: 200, body: "", delayMs: 1_000 }),
    });
    const quick = await receiver({ format: "standard" });
    const s1 = await subscribe(api.url, {
      name: "slow",
      url: slow.url,
      format: "standard",
      sites: [site],
      events: QUIET,
    });
    const s2 = await subscribe(api.url, {
      name: "quick",
      url: quick.url,
      format: "standard",
      sites: [site],
      events: QUIET,
    });
    for (let i = 0; i < 12; i++) await call(api.url, "POST", `/api/v1/webhooks/${s1.id}/test`);
    await arrival(slow, () => true);
    const sentAt = Date.now();
    await call(api.url, "POST", `/api/v1/webhooks/${s2.id}/test`);
    const got = await arrival(quick, () => true);
    const slowSoFar = new Set(slow.requests.map((q) => q.headers["webhook-id"])).size;
    // Twelve slow deliveries take 12 s one after another; the quick one does not wait for them.
    expect(got.at_ms - sentAt).toBeLessThan(3_000);
    expect(slowSoFar).toBeLessThan(12);
  });

  it("disables a subscription answered 410 Gone, raises an alert, and resolves it when re-enabled", async () => {
    const { r, sub, off } = await disabledAnswering({ status: 410, body: "gone" });
    expect(off.disabled_reason).toMatch(/410/);
    expect(off.health.state).toBe("disabled");
    const alertOf = async () =>
      (
        await call<{ alerts: { rule_id: string; scope: { key: string }; state: string }[] }>(
          api.url,
          "GET",
          `/api/v1/alerts?site=${site}`,
        )
      ).alerts.find((a) => a.rule_id === "webhook-failing" && a.scope.key === `webhook:${sub.id}`);
    await eventually(async () => expect((await alertOf())?.state).toBe("firing"));
    expect(r.requests).toHaveLength(1);
    await call(api.url, "PUT", `/api/v1/webhooks/${sub.id}`, {
      name: off.name,
      format: off.format,
      sites: off.sites,
      events: off.events,
      lang: off.lang,
      enabled: true,
    });
    await eventually(async () => expect(await alertOf()).toBeUndefined());
  });

  it("disables a subscription whose attempts all failed for the configured period", async () => {
    const { r, sub, off } = await disabledAnswering({ status: 500, body: "down" });
    expect(off.disabled_reason).toMatch(/failed/);
    expect(r.requests.length).toBeGreaterThanOrEqual(2);
    // The subscription is disabled first, then its alert written: wait for the alert too.
    await eventually(async () => {
      const alerts = await call<{
        alerts: { rule_id: string; severity: string; scope: { key: string } }[];
      }>(api.url, "GET", `/api/v1/alerts?site=${site}`);
      expect(alerts.alerts.find((a) => a.scope.key === `webhook:${sub.id}`)?.severity).toBe(
        "critical",
      );
    });
  });
});
