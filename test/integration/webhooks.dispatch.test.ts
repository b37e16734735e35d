// The dispatcher (issue #13) on a real ClickHouse: stored transitions become one delivery per event
// and subscription, however often they are read; a tick that records more transitions at one
// instant than a page holds is read whole; transitions stored while nobody dispatched (an evaluator
// killed between storing and queuing) are queued by the next dispatcher from the stored cursor.
import { randomBytes } from "node:crypto";
import { WebhookDraft } from "@floorwatch/contracts";
import { ALERT_TRANSITIONS_TABLE, insertRows, sql, type AlertTransitionRow } from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDispatcher } from "../../api/src/webhooks/dispatch";
import { makeOutbox } from "../../api/src/webhooks/outbox";
import { makeSealer } from "../../api/src/webhooks/seal";
import { makeWebhookStore } from "../../api/src/webhooks/store";
import { seenSites } from "../support/api";
import { createHarness, type Harness } from "../support/harness";

const site = "whdisp";

function transition(i: number, recorded_ms: number, kind: "firing" | "resolved" = "firing") {
  return {
    site,
    alert_id: `a${String(i).padStart(4, "0")}${"0".repeat(19)}`,
    kind,
    at_ms: recorded_ms,
    rule_id: "r-paging",
    rule_version: 1,
    scope_key: `queue:q${i}`,
    queue: `q${i}`,
    severity: "warning",
    since_ms: recorded_ms - 60_000,
    fired_ms: kind === "resolved" ? recorded_ms - 30_000 : recorded_ms,
    value: 42,
    peak: 42,
    peak_ms: recorded_ms,
    threshold: 30,
    definition_version: 1,
    detail: JSON.stringify({
      rule_name: "wait",
      rule_name_zh: "等待",
      severity: "warning",
      labels: {},
      figure: "longest_waiting_s",
      window: "now",
      comparator: ">",
      threshold: 30,
      recovery_threshold: 30,
      scope: { key: `queue:q${i}`, queue: `q${i}`, channel: null, survey_id: null },
      definition_version: 1,
    }),
    evaluator: "test",
    recorded_ms,
  } satisfies AlertTransitionRow;
}

describe("the webhook dispatcher", () => {
  let h: Harness;
  const key = randomBytes(32).toString("base64");

  beforeAll(async () => {
    h = await createHarness("webhooks_dispatch");
    await seenSites(h.ch, [site]);
  });
  afterAll(async () => h?.cleanup());

  const deliveries = async () => {
    const rs = await h.ch.query({
      query: sql`SELECT delivery_id, count() AS copies FROM webhook_deliveries GROUP BY delivery_id`
        .text,
      format: "JSONEachRow",
    });
    return rs.json<{ delivery_id: string; copies: string }>();
  };

  const dispatcherOf = (store: ReturnType<typeof makeWebhookStore>) =>
    makeDispatcher({
      ch: h.ch,
      log: h.log,
      subscriptions: () => store.list(),
      outbox: makeOutbox(h.ch),
      pollMs: 60_000,
      now: Date.now,
      batch: 10,
    });

  it("queues each of a tick's 25 transitions at one instant once, across pages, reads and restarts", async () => {
    const store = makeWebhookStore(h.ch, makeSealer({ key }), { now: Date.now, log: h.log });
    const created = Date.now() - 5_000;
    const early = makeWebhookStore(h.ch, makeSealer({ key }), { now: () => created, log: h.log });
    await early.create(
      WebhookDraft.parse({
        name: "all",
        url: "https://example.invalid/hook",
        format: "standard",
        sites: [site],
      }),
      "test",
    );
    await early.create(
      WebhookDraft.parse({
        name: "resolutions only",
        url: "https://example.invalid/other",
        format: "standard",
        sites: [site],
        events: { types: ["alert.resolved"] },
      }),
      "test",
    );
    const at = Date.now();
    await insertRows(
      h.ch,
      ALERT_TRANSITIONS_TABLE,
      Array.from({ length: 25 }, (_, i) => transition(i, at)),
    );

    const first = dispatcherOf(store);
    first.setLeader(true);
    expect(await first.runOnce()).toBe(25);
    expect(await first.runOnce()).toBe(0);
    await first.stop();
    // Only the subscription that wants firings got them, each once.
    expect(await deliveries()).toHaveLength(25);

    // Stored while no dispatcher ran: 3 resolutions. A new dispatcher (another process, after a
    // restart) starts from the stored cursor, re-reads its overlap, and queues only what is new.
    await insertRows(
      h.ch,
      ALERT_TRANSITIONS_TABLE,
      Array.from({ length: 3 }, (_, i) => transition(i, at + 1_000, "resolved")),
    );
    const second = dispatcherOf(store);
    second.setLeader(true);
    // Both subscriptions want a resolution.
    expect(await second.runOnce()).toBe(6);
    await second.stop();
    const all = await deliveries();
    expect(all).toHaveLength(31);
    expect(all.every((d) => Number(d.copies) === 1)).toBe(true);
  });

  it("passes over a transition it cannot read, and notifies the rest", async () => {
    const store = makeWebhookStore(h.ch, makeSealer({ key }), { now: Date.now, log: h.log });
    const before = (await deliveries()).length;
    const at = Date.now() + 2_000;
    await insertRows(h.ch, ALERT_TRANSITIONS_TABLE, [
      { ...transition(100, at), detail: "not the JSON of an alert" },
      transition(101, at),
    ]);
    const d = dispatcherOf(store);
    d.setLeader(true);
    // The unreadable one costs nothing but a log line and a count; the other still goes out.
    expect(await d.runOnce()).toBe(1);
    expect(d.skipped()).toBe(1);
    // And it is not tried again on every run after.
    expect(await d.runOnce()).toBe(0);
    expect(d.skipped()).toBe(1);
    await d.stop();
    expect(await deliveries()).toHaveLength(before + 1);
  });
});
