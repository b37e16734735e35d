// GET /api/v1/live/stream as a wallboard uses it: Kafka → ingest → facts → the stream of a real
// HTTP server, read like the wallboard reads it (fetch, Authorization header).
import type { RunningServer } from "@floorwatch/api";
import { LiveSnapshot } from "@floorwatch/contracts";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asAdmin, seenSites, startTestServer } from "../support/api";
import { produceAll, queued } from "../support/events";
import { createHarness, type Harness } from "../support/harness";
import { openSse, type SseStream } from "../support/sse";

describe("the live stream", () => {
  let h: Harness;
  let ingest: RunningIngest;
  /** Ticks every second, as in production. */
  let server: RunningServer;
  /** Ticks once a minute: whatever arrives sooner was pushed by the change probe. */
  let slowTick: RunningServer;
  let site: string;
  const streams: SseStream[] = [];
  const open = async (s: RunningServer, headers: Record<string, string> = {}) => {
    const stream = await openSse(`${s.url}/api/v1/live/stream?site=${site}`, {
      ...asAdmin.headers,
      ...headers,
    });
    streams.push(stream);
    expect(stream.status).toBe(200);
    return stream;
  };
  const snapshotOf = (e: { event: string; data: string }) => {
    expect(e.event).toBe("snapshot");
    return LiveSnapshot.parse(JSON.parse(e.data));
  };

  beforeAll(async () => {
    h = await createHarness("stream_happy");
    site = `site-${h.id}`.replaceAll("_", "-");
    await seenSites(h.ch, [site]); // read before its first event: a 404 otherwise
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    server = await startTestServer(h, { stream: { heartbeatMs: 300 } });
    slowTick = await startTestServer(h, { stream: { tickMs: 60_000, probeMs: 100 } });
  });

  afterAll(async () => {
    for (const s of streams) s.close();
    await server?.close();
    await slowTick?.close();
    await ingest?.stop();
    await h?.cleanup();
  });

  it("sends the current snapshot at once, then one at least every second, each with its instant as id", async () => {
    const stream = await open(server);
    const t0 = Date.now();
    const first = await stream.next(5_000);
    const firstAt = Date.now() - t0;
    const snap = snapshotOf(first);
    expect(snap.site).toBe(site);
    expect(first.id).toBe(String(Date.parse(snap.as_of)));
    const ids = [Number(first.id)];
    const arrivals: number[] = [];
    for (let i = 0; i < 3; i++) {
      const e = await stream.next(2_500);
      arrivals.push(Date.now());
      snapshotOf(e);
      ids.push(Number(e.id));
    }
    expect(firstAt).toBeLessThan(3_000);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < arrivals.length; i++)
      expect(arrivals[i]! - arrivals[i - 1]!).toBeLessThan(1_600);
    // Heartbeat comments keep proxies from closing the stream.
    expect(stream.heartbeats()).toBeGreaterThan(0);
    stream.close();
  });

  it("pushes a change as soon as the ingest has derived it, without waiting for the tick", async () => {
    const stream = await open(slowTick);
    expect(
      snapshotOf(await stream.next(5_000)).queues.find((q) => q.queue === "pushed"),
    ).toBeUndefined();
    await produceAll(h.kafka, h.config.topics, [
      queued({ site, at: Date.now() - 1_000, contact: "p1", queue: "pushed" }),
    ]);
    // The tick is a minute away; only the change probe can bring this within 15 s.
    const e = await stream.next(15_000);
    expect(snapshotOf(e).queues.find((q) => q.queue === "pushed")?.waiting).toBe(1);
    stream.close();
  });

  it("resumes after a dropped connection: the current snapshot at once, unless the client already has it", async () => {
    const first = await open(slowTick);
    const seen = await first.next(5_000);
    first.close();
    // Back with the id it has: nothing to catch up on until something changes.
    const same = await open(slowTick, { "last-event-id": seen.id! });
    await expect(same.next(1_500)).rejects.toThrow(/no event/);
    same.close();
    // Back with an older id (it missed snapshots while away): the current one at once.
    const behind = await open(slowTick, { "last-event-id": String(Number(seen.id) - 5_000) });
    const caughtUp = await behind.next(2_000);
    expect(caughtUp.id).toBe(seen.id);
    expect(snapshotOf(caughtUp).queues.find((q) => q.queue === "pushed")?.waiting).toBe(1);
    behind.close();
  });
});
