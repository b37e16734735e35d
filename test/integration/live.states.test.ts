// Each queue's figure states in the live snapshot (issue #14: the supervisor's queue table colours
// a figure as the TV does). Kafka → ingest → GET /api/v1/live and /live/stream: every figure that
// is not ok named with its state, judged by the same rules (and the same fallback to the queue's
// definition) as the TV frame of the same instant, and a new rule taking effect.
import type { RunningServer } from "@floorwatch/api";
import { DEFAULT_TV_FIGURES, LiveSnapshot, TvFrame } from "@floorwatch/contracts";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asAdmin, seenSites, startTestServer } from "../support/api";
import { abandoned, answered, produceAll, queued } from "../support/events";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { openSse } from "../support/sse";

describe("figure states in the live snapshot", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let server: RunningServer;
  const site = "live-states";

  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, asAdmin);
    expect(res.status, path).toBe(200);
    return res.json();
  };
  const live = async () => LiveSnapshot.parse(await get(`/api/v1/live?site=${site}`));

  beforeAll(async () => {
    h = await createHarness("live_states");
    await seenSites(h.ch, [site]);
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    server = await startTestServer(h, { liveTtlMs: 0 });
    const now = Date.now();
    await produceAll(h.kafka, h.config.topics, [
      // cards: one caller waiting 70 s; of three ended visits, one answered after a minute and
      // two abandoned after a minute: service level 0 %, abandon rate 67 %, on 3 offered.
      queued({ site, at: now - 70_000, contact: "w1", queue: "cards" }),
      queued({ site, at: now - 170_000, contact: "c1", queue: "cards" }),
      answered({ site, at: now - 110_000, contact: "c1", queue: "cards" }),
      queued({ site, at: now - 160_000, contact: "c2", queue: "cards" }),
      abandoned({ site, at: now - 100_000, contact: "c2", queue: "cards" }),
      queued({ site, at: now - 150_000, contact: "c3", queue: "cards" }),
      abandoned({ site, at: now - 90_000, contact: "c3", queue: "cards" }),
      // loans: answered in 5 s, nothing to report.
      queued({ site, at: now - 60_000, contact: "l1", queue: "loans" }),
      answered({ site, at: now - 55_000, contact: "l1", queue: "loans" }),
    ]);
    await waitForIngested(h);
  });
  afterAll(async () => {
    await server?.close();
    await ingest?.stop();
    await h?.cleanup();
  });

  it("names the figures that are not ok, judged by the site's rules or else the definition", async () => {
    const snap = await live();
    const cards = snap.queues.find((q) => q.queue === "cards");
    const loans = snap.queues.find((q) => q.queue === "loans");
    // The default service-level and abandon rules cover 15 minutes; on 3 offered (under their
    // min_volume of 20) they warn instead of breaching. No rule covers 60 minutes: the
    // definition's target judges, a breach. The wait (70 s) is under the default rule's 300 s.
    expect(cards?.states).toMatchObject({
      "15m.service_level": "warning",
      "15m.abandon_rate": "warning",
      "60m.service_level": "breach",
    });
    expect(cards?.states?.longest_waiting_s).toBeUndefined();
    expect(cards?.states?.["60m.abandon_rate"]).toBeUndefined();
    expect(loans?.states).toEqual({});
  });

  it("agrees with the TV frame of the same rules, figure for figure", async () => {
    const [snap, frame] = await Promise.all([
      live(),
      get(`/api/v1/live?site=${site}&view=tv`).then((f) => TvFrame.parse(f)),
    ]);
    for (const q of snap.queues) {
      const tile = frame.tiles.find((t) => t.key === `queue:${q.queue}`);
      const letters = DEFAULT_TV_FIGURES.map((f) => q.states?.[f]?.charAt(0) ?? "o").join("");
      expect(letters, q.queue).toBe(tile?.s);
    }
  });

  it("takes a new rule into account within the rules' refresh, and the stream carries the states too", async () => {
    const res = await fetch(`${server.url}/api/v1/rules?site=${site}`, {
      method: "POST",
      headers: { ...asAdmin.headers, "content-type": "application/json" },
      body: JSON.stringify({
        kind: "threshold",
        name: "cards: a minute is long",
        severity: "warning",
        figure: "longest_waiting_s",
        window: "now",
        scope: { kind: "queue", queue: "cards" },
        comparator: ">",
        threshold: 60,
      }),
    });
    expect(res.status, await res.text()).toBe(201);
    await expect
      .poll(async () => (await live()).queues.find((q) => q.queue === "cards")?.states, {
        timeout: 10_000,
      })
      .toMatchObject({ longest_waiting_s: "warning" });

    const stream = await openSse(`${server.url}/api/v1/live/stream?site=${site}`, asAdmin.headers);
    try {
      expect(stream.status).toBe(200);
      const e = await stream.next(10_000);
      expect(e.event).toBe("snapshot");
      const snap = LiveSnapshot.parse(JSON.parse(e.data));
      expect(snap.queues.find((q) => q.queue === "cards")?.states).toMatchObject({
        longest_waiting_s: "warning",
        "60m.service_level": "breach",
      });
    } finally {
      stream.close();
    }
  });
});
