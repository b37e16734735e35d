// The walking skeleton end to end: events produced to the real Kafka come out of the real API as
// the live figures of metrics.md (waiting, longest_waiting_s) per queue.
import { startServer, type RunningServer } from "@floorwatch/api";
import { DEFAULT_TIME_ZONE, type Event, intervalStart, LiveSnapshot } from "@floorwatch/contracts";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { abandoned, answered, callbackRequested, produce, queued } from "../support/events";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { seenSites, asAdmin, TEST_ADMIN_TOKEN } from "../support/api";

describe("a contact event path from Kafka to the live API", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let server: RunningServer;
  const t0 = Date.now();
  let site: string;

  beforeAll(async () => {
    h = await createHarness("thin");
    site = `site-${h.id}`.replaceAll("_", "-");
    await seenSites(h.ch, [site]); // read before its first event: a 404 otherwise
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    server = await startServer({
      ch: h.ch,
      log: h.log,
      port: 0,
      host: "127.0.0.1",
      liveTtlMs: 0,
      adminToken: TEST_ADMIN_TOKEN,
    });
  });

  afterAll(async () => {
    await server?.close();
    await ingest?.stop();
    await h?.cleanup();
  });

  /** Produces to one partition, whatever the keys say. */
  const produceTo = async (partition: number, events: Event[]) => {
    const producer = h.kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: h.config.topics.calls,
        acks: -1,
        messages: events.map((e) => ({ partition, value: JSON.stringify(e) })),
      });
    } finally {
      await producer.disconnect();
    }
  };

  const live = async () => {
    const res = await fetch(`${server.url}/api/v1/live?site=${site}`, asAdmin);
    expect(res.status).toBe(200);
    return LiveSnapshot.parse(await res.json());
  };

  it("counts waiting visits per queue and the longest wait, across answers, abandons, callbacks, flow-outs and redelivery", async () => {
    const s = (sec: number) => t0 - sec * 1000;
    const c1 = queued({ site, at: s(90), contact: "c1", queue: "credit_card" });
    await produce(h.kafka, h.config.topics.calls, [
      c1,
      c1, // redelivered copy: must not count twice
      queued({ site, at: s(30), contact: "c2", queue: "credit_card" }),
      queued({ site, at: s(60), contact: "c3", queue: "credit_card" }),
      answered({ site, at: s(50), contact: "c3", queue: "credit_card" }),
      // c5 flows out of loans into credit_card: it now waits in credit_card since 120 s ago.
      queued({ site, at: s(200), contact: "c5", queue: "loans" }),
      queued({ site, at: s(120), contact: "c5", queue: "credit_card" }),
      queued({ site, at: s(40), contact: "c4", queue: "loans" }),
      abandoned({ site, at: s(10), contact: "c4", queue: "loans" }),
      queued({ site, at: s(50), contact: "c6", queue: "wealth" }),
      callbackRequested({ site, at: s(20), contact: "c6", queue: "wealth" }),
      // Out of order: the answer arrives before the queued event it ends.
      answered({ site, at: s(15), contact: "c7", queue: "deposits" }),
      queued({ site, at: s(25), contact: "c7", queue: "deposits" }),
      // Older than the 12 h orphan horizon: closed as orphaned, waits nowhere.
      queued({ site, at: s(13 * 3600), contact: "c8", queue: "deposits" }),
      "this is not json", // rejected to the DLQ; the partition keeps moving
      queued({ site, at: s(5), contact: "c9", queue: "complaint" }),
    ]);

    // Every partition written and derived. Not "the last contact produced waits": events are
    // keyed by contact into three partitions, flushed independently, so c9's partition can be
    // derived before c2's (this test once saw credit_card waiting 2 instead of 3 that way).
    await waitForIngested(h);
    const snapshot = await live();
    expect(snapshot.queues.map((q) => q.queue)).toEqual([
      "complaint",
      "credit_card",
      "deposits",
      "loans",
      "wealth",
    ]);
    const byQueue = Object.fromEntries(snapshot.queues.map((q) => [q.queue, q]));
    const elapsed = (Date.parse(snapshot.as_of) - t0) / 1000;

    expect(byQueue.credit_card?.waiting).toBe(3); // c1, c2, c5
    expect(byQueue.credit_card?.longest_waiting_s).toBeCloseTo(120 + elapsed, 3);
    expect(byQueue.loans).toMatchObject({ queue: "loans", waiting: 0, longest_waiting_s: 0 });
    expect(byQueue.wealth?.waiting).toBe(0);
    expect(byQueue.deposits?.waiting).toBe(0);
    expect(byQueue.complaint?.waiting).toBe(1);
    expect(byQueue.complaint?.longest_waiting_s).toBeCloseTo(5 + elapsed, 3);
    // Once, or again if a rebalance re-read it before the commit (ingest/README.md, DLQ limits).
    expect(ingest.metrics.rejected.get({ reason: "invalid_json" })).toBeGreaterThanOrEqual(1);
  });

  it("moves a waiting contact out of the count when its answer arrives", async () => {
    await produce(h.kafka, h.config.topics.calls, [
      answered({ site, at: Date.now(), contact: "c9", queue: "complaint" }),
    ]);
    await waitForIngested(h);
    expect((await live()).queues.find((q) => q.queue === "complaint")).toMatchObject({
      queue: "complaint",
      waiting: 0,
      longest_waiting_s: 0,
    });
  });

  it("settles on every visit whichever partition is derived last, after snapshots of the partial state", async () => {
    // Each partition alone, a snapshot read in between: a snapshot cache keyed so that it missed
    // a row derived later (the day's closed quarters are kept between reads) would show the first
    // partition's figures for good. Visits end in the quarter hour before the current one.
    const other = `${site}-p`;
    const now = Date.now();
    const quarter = Math.floor(now / 900_000) * 900_000;
    const at = (contact: string, startMs: number) => [
      queued({ site: other, at: startMs, contact, queue: "deposits" }),
      answered({ site: other, at: startMs + 30_000, contact, queue: "deposits" }),
    ];
    const waits = [
      queued({ site: other, at: now - 5_000, contact: "w1", queue: "deposits" }),
      queued({ site: other, at: now - 6_000, contact: "w2", queue: "deposits" }),
      queued({ site: other, at: now - 7_000, contact: "w3", queue: "deposits" }),
    ];
    const snapshotOf = async () => {
      const res = await fetch(`${server.url}/api/v1/live?site=${other}`, asAdmin);
      expect(res.status).toBe(200);
      return LiveSnapshot.parse(await res.json()).queues.find((q) => q.queue === "deposits");
    };
    // The closed quarter counts in "today" only when the day began before it.
    const closedToday = quarter - 900_000 >= intervalStart(DEFAULT_TIME_ZONE, "1d", now);
    for (const partition of [2, 0, 1]) {
      const i = [2, 0, 1].indexOf(partition);
      await produceTo(partition, [...at(`d${i}`, quarter - 600_000 + i * 1_000), waits[i]!]);
      await waitForIngested(h);
      const q = await snapshotOf();
      expect(q?.waiting, `after partition ${partition}`).toBe(i + 1);
      expect(q?.windows["60m"].offered, `after partition ${partition}`).toBe(i + 1);
      expect(q?.windows.today.offered, `after partition ${partition}`).toBe(
        closedToday ? i + 1 : 0,
      );
    }
  });

  it("answers a missing or malformed site with a 400 naming the parameter", async () => {
    for (const query of [
      "",
      "?site=",
      "?site=UPPER",
      `?site=${"x".repeat(65)}`,
      "?site=a'%20OR%201=1",
    ]) {
      const res = await fetch(`${server.url}/api/v1/live${query}`, asAdmin);
      expect(res.status).toBe(400);
      const body = (await res.json()) as {
        error: {
          code: string;
          message: string;
          requestId: string;
          issues: Array<{ path: string }>;
        };
      };
      expect(body.error.code).toBe("bad_request");
      expect(body.error.issues.map((i) => i.path)).toContain("site");
      expect(body.error.requestId).not.toBe("");
    }
  });

  it("answers unknown routes with a 404 in the error envelope", async () => {
    const res = await fetch(`${server.url}/api/v1/nope`, asAdmin);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("reports healthy and ready", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});
