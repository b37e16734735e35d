// Durable notifications (issue #13): alerts fire while the receiver is down; the API process that
// evaluates and sends is killed with SIGKILL and another started; the receiver comes back after a
// minute. Every notification arrives afterwards, and none is accepted twice under one webhook-id.
import { randomBytes } from "node:crypto";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { WebhookEvent } from "@floorwatch/contracts";
import { sql } from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seenSites, storedToken } from "../support/api";
import { spawnApi, type ApiProcess } from "../support/api-process";
import { answered, produceAll, queued } from "../support/events";
import { createHarness, eventually, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { startReceiver, type Receiver } from "../support/receivers";
import { testSecretKey, verifies } from "../support/webhooks";

const site = "whfault";
const S = 1_000;

describe("notifications through a receiver outage and an API SIGKILL", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let admin: string;
  let receiver: Receiver;
  /** The receiver verifies with the subscription's secret, known once it is made. */
  const trusted: string[] = [];
  const apis: ApiProcess[] = [];
  const topic = `t.wh-fault.${randomBytes(4).toString("hex")}`;
  const env = {
    ALERTS_TICK_MS: "1000",
    ALERTS_ELECTION_TOPIC: topic,
    ALERTS_ELECTION_GROUP: `g-${topic}`,
    ALERTS_SESSION_TIMEOUT_MS: "6000",
    WEBHOOK_SECRET_KEY: testSecretKey(),
    WEBHOOK_ALLOW_NETWORKS: "127.0.0.1/32",
    WEBHOOK_RETRY_BASE_MS: "1000",
    WEBHOOK_RETRY_MAX_MS: "4000",
    WEBHOOK_POLL_MS: "200",
  };

  const api = async (p: ApiProcess, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${await p.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    expect(res.status, text).toBeLessThan(300);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const leader = async (p: ApiProcess) => {
    const res = await fetch(`${await p.url}/metrics`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(await res.text()).toMatch(/^floorwatch_api_alert_evaluator_leader 1$/m);
  };

  beforeAll(async () => {
    h = await createHarness("webhooks_fault");
    await seenSites(h.ch, [site]);
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    admin = (await storedToken(h.ch, "admin")).token;
    receiver = await startReceiver({ format: "standard", standardSecrets: trusted });
    apis.push(spawnApi(h, env));
    await apis[0]!.url;
  }, 60_000);

  afterAll(async () => {
    for (const p of apis) if (p.child.exitCode === null) p.child.kill("SIGTERM");
    await Promise.all(apis.map((p) => p.exited));
    await receiver?.close();
    await ingest?.stop();
    await h?.cleanup();
  });

  it("delivers every notification once the receiver is back, none twice", async () => {
    const first = apis[0]!;
    await eventually(() => leader(first), 60_000);
    const rule = await api(first, "POST", `/api/v1/rules?site=${site}`, {
      kind: "threshold",
      name: "caller waiting",
      figure: "longest_waiting_s",
      window: "now",
      scope: { kind: "each_queue" },
      comparator: ">=",
      threshold: 5,
      for_s: 0,
      keep_firing_for_s: 0,
    });
    const sub = await api(first, "POST", "/api/v1/webhooks", {
      name: "incident system",
      url: receiver.url,
      format: "standard",
      sites: [site],
      events: { types: ["alert.firing", "alert.resolved"], rules: [rule.id] },
    });
    trusted.push(String(sub.secret));

    await receiver.setDown(true);
    const downAt = Date.now();
    const produced = await produceAll(h.kafka, h.config.topics, [
      queued({ site, at: Date.now() - 20 * S, contact: "k1", queue: "cards" }),
      queued({ site, at: Date.now() - 20 * S, contact: "k2", queue: "loans" }),
      queued({ site, at: Date.now() - 20 * S, contact: "k3", queue: "fx" }),
    ]);
    await waitForIngested(h, produced);
    const stored = async () => {
      const rs = await h.ch.query({
        query: sql`SELECT DISTINCT alert_id, kind FROM alert_transitions
          WHERE rule_id = ${String(rule.id)} AND kind IN ('firing', 'resolved')`.text,
        format: "JSONEachRow",
      });
      return (await rs.json<{ alert_id: string; kind: string }>()).map(
        (r) => `${r.alert_id}:${r.kind}`,
      );
    };
    await eventually(async () => expect(await stored()).toHaveLength(3), 30_000);
    // The sender has tried (and failed) at least once: deliveries are queued and pending.
    await eventually(async () => {
      const rs = await h.ch.query({
        query: sql`SELECT count() AS n FROM webhook_attempts WHERE webhook_id = ${String(sub.id)}`
          .text,
        format: "JSONEachRow",
      });
      expect(Number((await rs.json<{ n: string }>())[0]!.n)).toBeGreaterThan(0);
    }, 30_000);

    first.child.kill("SIGKILL");
    await first.exited;
    // While no process evaluates: one breach ends, another begins.
    const more = await produceAll(h.kafka, h.config.topics, [
      answered({ site, at: Date.now(), contact: "k1", queue: "cards" }),
      queued({ site, at: Date.now() - 20 * S, contact: "k4", queue: "deposits" }),
    ]);
    await waitForIngested(h, more);
    const second = spawnApi(h, env);
    apis.push(second);
    await second.url;
    await eventually(() => leader(second), 60_000);
    await eventually(async () => expect(await stored()).toHaveLength(5), 60_000);

    // The receiver was down for a minute.
    await new Promise((done) => setTimeout(done, Math.max(0, 60_000 - (Date.now() - downAt))));
    await receiver.setDown(false);
    const expected = new Set(await stored());
    const accepted = () => receiver.requests.filter((q) => q.accepted);
    await eventually(async () => {
      const got = new Set(
        accepted().map((q) => {
          const e = WebhookEvent.parse(q.json);
          return `${e.data.alert_id}:${e.data.transition}`;
        }),
      );
      expect(got).toEqual(expected);
    }, 60_000);
    // A little longer: nothing arrives twice.
    await new Promise((done) => setTimeout(done, 3_000));
    const ids = accepted().map((q) => String(q.headers["webhook-id"]));
    expect(ids).toHaveLength(expected.size);
    expect(new Set(ids).size).toBe(expected.size);
    for (const q of accepted()) expect(verifies(String(sub.secret), q)).toBe(true);
  }, 240_000);
});
