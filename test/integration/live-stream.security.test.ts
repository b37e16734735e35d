// GET /api/v1/live/stream against misuse and load: no other site's stream, a revoked token's
// stream ends, and 500 listeners cost ClickHouse what one does.
import { createApp, MAX_STREAMS_PER_TOKEN, startServer, type RunningServer } from "@floorwatch/api";
import { ErrorEnvelope } from "@floorwatch/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asAdmin, bearer, seenSites, storedToken, TEST_ADMIN_TOKEN } from "../support/api";
import { countingClient } from "../support/counting";
import { createHarness, type Harness } from "../support/harness";
import { openSse, type SseStream } from "../support/sse";

describe("live stream security and fan-out", () => {
  let h: Harness;
  let server: RunningServer;
  /** Statements that read contact facts: one per snapshot computed (the change probe does not). */
  let counting: ReturnType<typeof countingClient>;
  const site = "stream-sec";

  beforeAll(async () => {
    h = await createHarness("stream_security");
    await seenSites(h.ch, [site, "fanout"]);
    counting = countingClient(h.ch, /FROM contact_facts/);
    server = await startServer({
      ch: counting.client,
      log: h.log,
      port: 0,
      host: "127.0.0.1",
      adminToken: TEST_ADMIN_TOKEN,
      // The fan-out test opens 500 streams with one token; the cap has its own test.
      stream: { maxStreamsPerToken: 500 },
    });
  });
  afterAll(async () => {
    await server?.close();
    await h?.cleanup();
  });

  const url = (s: string) => `${server.url}/api/v1/live/stream?site=${s}`;

  it("refuses the stream of another site to a display token", async () => {
    const tv = await storedToken(h.ch, "display", { sites: [site] });
    const res = await fetch(url("other-site"), { headers: bearer(tv.token) });
    expect(res.status).toBe(403);
    const ok = await openSse(url(site), bearer(tv.token));
    expect(ok.status).toBe(200);
    expect((await ok.next(5_000)).event).toBe("snapshot");
    ok.close();
  });

  it("ends the stream of a token revoked while it listens", async () => {
    const tv = await storedToken(h.ch, "display", { sites: [site] });
    const stream = await openSse(url(site), bearer(tv.token));
    expect((await stream.next(5_000)).event).toBe("snapshot");
    expect(
      (await fetch(`${server.url}/api/v1/tokens/${tv.id}`, { method: "DELETE", ...asAdmin }))
        .status,
    ).toBe(200);
    let e = await stream.next(5_000);
    while (e.event === "snapshot") e = await stream.next(5_000); // one may have been on its way
    expect(e.event).toBe("revoked");
    await stream.ended;
  });

  it("caps the streams one token holds open: 429 beyond, room again once one closes", async () => {
    const app = createApp({ ch: h.ch, log: h.log, adminToken: TEST_ADMIN_TOKEN });
    const tv = await storedToken(h.ch, "display", { sites: [site] });
    const open = () =>
      app.request(url(site).replace(server.url, ""), { headers: bearer(tv.token) });
    const streams: Response[] = [];
    for (let i = 0; i < MAX_STREAMS_PER_TOKEN; i++) {
      const res = await open();
      expect(res.status).toBe(200);
      streams.push(res);
    }
    const refused = await open();
    expect(refused.status).toBe(429);
    expect(ErrorEnvelope.parse(await refused.json()).error.message).toContain(
      `${MAX_STREAMS_PER_TOKEN} live streams open`,
    );
    // Another token is not held to this one's count.
    const other = await app.request(url(site).replace(server.url, ""), asAdmin);
    expect(other.status).toBe(200);
    await other.body?.cancel();
    await streams.pop()!.body?.cancel();
    const again = await open();
    expect(again.status).toBe(200);
    for (const s of [...streams, again]) await s.body?.cancel();
  });

  it("serves 500 listeners with the ClickHouse work of one", async () => {
    const measure = async (listeners: number) => {
      const streams: SseStream[] = await Promise.all(
        Array.from({ length: listeners }, () => openSse(url("fanout"), asAdmin.headers)),
      );
      await Promise.all(streams.map((s) => s.next(15_000))); // everyone has a first snapshot
      const before = counting.count();
      const got = await Promise.all(
        streams.map(async (s) => {
          let n = 0;
          const until = Date.now() + 3_000;
          while (Date.now() < until) {
            try {
              if ((await s.next(until - Date.now())).event === "snapshot") n++;
            } catch {
              break;
            }
          }
          return n;
        }),
      );
      const statements = counting.count() - before;
      for (const s of streams) s.close();
      return { statements, fewest: Math.min(...got) };
    };
    const one = await measure(1);
    const many = await measure(500);
    // Every listener got the snapshots of those 3 s (one per second)...
    expect(one.fewest).toBeGreaterThanOrEqual(2);
    expect(many.fewest).toBeGreaterThanOrEqual(2);
    // ...and ClickHouse computed them once for all: as many statements as for one listener.
    expect(one.statements).toBeGreaterThan(0);
    expect(many.statements).toBeLessThanOrEqual(one.statements + 2);
  });
});
