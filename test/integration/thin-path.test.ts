// The walking skeleton end to end: events produced to the real Kafka come out of the real API as
// the live figures of metrics.md (waiting, longest_waiting_s) per queue.
import { startServer, type RunningServer } from "@floorwatch/api";
import { LiveSnapshot } from "@floorwatch/contracts";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { abandoned, answered, callbackRequested, produce, queued } from "../support/events";
import { createHarness, eventually, type Harness } from "../support/harness";
import { asAdmin, TEST_ADMIN_TOKEN } from "../support/api";

describe("a contact event path from Kafka to the live API", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let server: RunningServer;
  const t0 = Date.now();
  let site: string;

  beforeAll(async () => {
    h = await createHarness("thin");
    site = `site-${h.id}`.replaceAll("_", "-");
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

    const snapshot = await eventually(async () => {
      const snap = await live();
      expect(snap.queues.map((q) => q.queue)).toEqual([
        "complaint",
        "credit_card",
        "deposits",
        "loans",
        "wealth",
      ]);
      // The last contact produced: once it waits, everything before it is derived too.
      expect(snap.queues.find((q) => q.queue === "complaint")?.waiting).toBe(1);
      return snap;
    });
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
    await eventually(async () => {
      const snap = await live();
      expect(snap.queues.find((q) => q.queue === "complaint")).toMatchObject({
        queue: "complaint",
        waiting: 0,
        longest_waiting_s: 0,
      });
    });
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
