// GET /api/v1/live/stream?view=tv as a TV reads it (issue #12): events produced to Kafka, ingested,
// projected onto the display token's layout; states switching at a rule's threshold and at the
// queue's definition; a layout edit reaching the open stream; a firing alert in the banner.
import { LiveSnapshot, type Rule, TvFrame, TvTrends } from "@floorwatch/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asAdmin, bearer, seenSites, storedToken, TEST_ADMIN_TOKEN } from "../support/api";
import { answered, produceAll, queued } from "../support/events";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { openSse, type SseStream } from "../support/sse";
import {
  frameWhere,
  nextFrame,
  putLayout,
  serveApi,
  tileFigures,
  type ServedApi,
} from "../support/tv";
import { createRule } from "../support/alerts";

const S = 1_000;
const FIGURES = ["waiting", "longest_waiting_s", "15m.offered", "15m.service_level"];
const TILES = ["queue:cards", "queue:loans", "channel:voice", "site", "queue:not-yet"];

describe("the TV stream", () => {
  let h: Harness;
  let api: ServedApi;
  let site: string;
  let display: string;
  let t0: number;
  const streams: SseStream[] = [];
  const openTv = async (token: string, query = "") => {
    const s = await openSse(`${api.url}/api/v1/live/stream?site=${site}&view=tv${query}`, {
      ...bearer(token),
    });
    streams.push(s);
    expect(s.status).toBe(200);
    return s;
  };
  const get = async (path: string, headers = asAdmin.headers) => {
    const res = await api.app.request(path, { headers });
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    h = await createHarness("tv_stream_happy");
    site = `site-${h.id}`.replaceAll("_", "-");
    await seenSites(h.ch, [site]);
    const { startIngest } = await import("@floorwatch/ingest");
    const ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    t0 = Date.now() - 5 * 60 * S;
    // cards: one caller waiting since t0 (far past voice's 20 s answer threshold).
    // loans: four calls answered after 30 s each: a 15-minute service level of 0 %, on 4 offered.
    const produced = await produceAll(h.kafka, h.config.topics, [
      queued({ site, at: t0, contact: "c1", queue: "cards" }),
      ...[1, 2, 3, 4].flatMap((i) => [
        queued({ site, at: t0 + i * S, contact: `l${i}`, queue: "loans" }),
        answered({ site, at: t0 + (i + 30) * S, contact: `l${i}`, queue: "loans" }),
      ]),
    ]);
    await waitForIngested(h, produced);
    await ingest.stop();
    api = await serveApi({ ch: h.ch, log: h.log, stream: { tickMs: 500 } });
    await putLayout(api.app, site, "floor-3", { name: "Floor 3", tiles: TILES, figures: FIGURES });
    display = (await storedToken(h.ch, "display", { sites: [site], layout: "Floor-3" })).token;
  });

  afterAll(async () => {
    for (const s of streams) s.close();
    await api?.close();
    await h?.cleanup();
  });

  it("sends a display token only its layout's tiles and figures, the values of GET /live", async () => {
    const stream = await openTv(display);
    const frame = await nextFrame(stream);
    const snap = LiveSnapshot.parse(await get(`/api/v1/live?site=${site}`));
    expect(frame.layout).toMatchObject({ id: "floor-3", version: 1, figures: FIGURES });
    expect(frame.tiles.map((t) => t.key)).toEqual(TILES);
    for (const t of frame.tiles) expect(t.v).toHaveLength(FIGURES.length);

    const cards = snap.queues.find((q) => q.queue === "cards")!;
    const loans = snap.queues.find((q) => q.queue === "loans")!;
    const voice = snap.totals!.channels.voice!;
    const apart = (Date.parse(frame.as_of) - Date.parse(snap.as_of)) / S;
    const expected = {
      "queue:cards": [cards.waiting, cards.longest_waiting_s, cards.windows["15m"].offered],
      "queue:loans": [loans.waiting, loans.longest_waiting_s, loans.windows["15m"].offered],
      "channel:voice": [voice.waiting, voice.longest_waiting_s, voice.windows["15m"].offered],
      site: [
        snap.totals!.site.waiting,
        snap.totals!.site.longest_waiting_s,
        snap.totals!.site.windows["15m"].offered,
      ],
    };
    for (const [key, [waiting, longest, offered]] of Object.entries(expected)) {
      const f = tileFigures(frame, key);
      expect(f.waiting![0], key).toBe(waiting);
      expect(f["15m.offered"]![0], key).toBe(offered);
      // A wait grows with the clock: the two answers are `apart` seconds apart.
      if (longest! > 0) expect(f.longest_waiting_s![0]).toBeCloseTo(longest! + apart, 2);
      else expect(f.longest_waiting_s![0]).toBe(0);
    }
    expect(tileFigures(frame, "queue:loans")["15m.service_level"]![0]).toBe(
      loans.windows["15m"].service_level,
    );
    expect(frame.tiles.find((t) => t.key === "queue:cards")).toMatchObject({
      name_en: "cards",
      sl_target: 0.8,
    });
    // A queue not seen yet: an empty tile, not an error.
    expect(tileFigures(frame, "queue:not-yet").waiting).toEqual([0, "o"]);
    // GET /live?view=tv (the polling fallback) answers the same shape for the same token.
    const polled = TvFrame.parse(
      await get(`/api/v1/live?site=${site}&view=tv`, bearer(display) as typeof asAdmin.headers),
    );
    expect(polled.tiles.map((t) => t.key)).toEqual(TILES);
    stream.close();
  });

  it("answers a TV's trends for its layout's tiles, counting what the live windows count", async () => {
    const res = await api.app.request(`/api/v1/live/trends?site=${site}`, {
      headers: bearer(display),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const trends = TvTrends.parse(await res.json());
    expect(trends.layout_id).toBe("floor-3");
    expect(Object.keys(trends.today.tiles).sort()).toEqual([...TILES].sort());
    expect(Object.keys(trends.days.tiles).sort()).toEqual([...TILES].sort());
    // The four loans calls: offered per quarter hour adds up to them (unless the site's day
    // began since, a few minutes after its midnight).
    const loans = trends.today.tiles["queue:loans"]!.offered;
    expect(loans).toHaveLength(trends.today.starts.length);
    if (trends.today.starts[0]! * S <= t0)
      expect(loans.reduce((n: number, v) => n + (v ?? 0), 0)).toBe(4);
  });

  it("judges figures no rule covers by the queue's definition; under a rule's min_volume only warns", async () => {
    const frame = await nextFrame(await openTv(display));
    // The voice channel: a caller waiting past 20 s warns; a service level under 80 % breaches
    expect(tileFigures(frame, "channel:voice").longest_waiting_s![1]).toBe("w");
    // (the caller still waiting is offered once their visit ends).
    expect(tileFigures(frame, "channel:voice")["15m.service_level"]).toEqual([0, "b"]);
    // loans: the default service-level rule covers it, and 4 offered are under its 20: below
    // target, but too few to call a breach, so a warning.
    expect(tileFigures(frame, "queue:loans")["15m.service_level"]).toEqual([0, "w"]);
    // cards: the default longest-wait rule (over 300 s) covers it: ~300 s at most here.
    expect(tileFigures(frame, "queue:cards").waiting![1]).toBe("o");
  });

  /** A rule that fires at once while anyone waits in cards. */
  const anyoneWaitsInCards = {
    kind: "threshold",
    figure: "waiting",
    window: "now",
    scope: { kind: "queue", queue: "cards" },
    comparator: ">=",
    threshold: 1,
    for_s: 0,
    keep_firing_for_s: 0,
  } as const;
  let waitingRule: Rule;
  /** A rule as a PUT takes it: without what the server adds. */
  const draftOf = ({ id, site, version, builtin, updated_at, updated_by, ...draft }: Rule) => draft;
  it("switches a figure's state at a rule's threshold", async () => {
    const stream = await openTv(display);
    await nextFrame(stream);
    waitingRule = await createRule(api.app, site, {
      ...anyoneWaitsInCards,
      name: "cards: nobody waits",
      name_zh: "无人等待",
      severity: "critical",
    });
    const breached = await frameWhere(
      stream,
      (f) => tileFigures(f, "queue:cards").waiting![1] === "b",
    );
    expect(tileFigures(breached, "queue:cards").waiting).toEqual([1, "b"]);
    // Only the queue the rule names.
    expect(tileFigures(breached, "queue:loans").waiting).toEqual([0, "o"]);
    // One caller is not two: the same rule at 2 leaves the figure ok.
    const res = await api.app.request(`/api/v1/rules/${waitingRule.id}?site=${site}`, {
      method: "PUT",
      headers: { ...asAdmin.headers, "content-type": "application/json" },
      body: JSON.stringify({ ...draftOf(waitingRule), threshold: 2 }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    await frameWhere(stream, (f) => tileFigures(f, "queue:cards").waiting![1] === "o");
    stream.close();
  });

  it("carries the site's firing alerts, with the tile they are about", async () => {
    const stream = await openTv(display);
    expect((await nextFrame(stream)).alerts).toEqual([]);
    const fired = await createRule(api.app, site, {
      ...anyoneWaitsInCards,
      name: "cards: a caller waits",
      name_zh: "有客户在等待",
      severity: "warning",
    });
    await api.evaluator.tickOnce();
    const frame = await frameWhere(stream, (f) => f.alerts.some((a) => a.rule_name === fired.name));
    expect(frame.alerts.find((a) => a.rule_name === fired.name)).toMatchObject({
      rule_name_zh: "有客户在等待",
      severity: "warning",
      tile: "queue:cards",
      figure: "waiting",
      window: "now",
      value: 1,
      threshold: 1,
      acknowledged: false,
    });
    expect(frame.alerts_total).toBeGreaterThanOrEqual(1);
    stream.close();
  });

  it("takes a layout edit on the open stream, without reconnecting", async () => {
    const stream = await openTv(display);
    expect((await nextFrame(stream)).layout.version).toBe(1);
    await putLayout(api.app, site, "floor-3", {
      name: "Floor 3",
      tiles: ["queue:loans"],
      figures: ["15m.answered"],
    });
    const edited = await frameWhere(stream, (f) => f.layout.version === 2, 5_000);
    expect(edited.tiles.map((t) => [t.key, t.v])).toEqual([["queue:loans", [4]]]);
    // Deleted: the screen falls back to the default layout (every queue), still on the same stream.
    const res = await api.app.request(`/api/v1/layouts/floor-3?site=${site}`, {
      method: "DELETE",
      headers: asAdmin.headers,
    });
    expect(res.status).toBe(200);
    const fallback = await frameWhere(stream, (f) => f.layout.version === 0, 5_000);
    expect(fallback.tiles.map((t) => t.key)).toEqual(["queue:cards", "queue:loans"]);
    expect(fallback.tiles[0]!.v).toHaveLength(12);
    stream.close();
  });

  it("lets an admin watch any layout, and leaves the stream without view as it was", async () => {
    const tv = await openTv(TEST_ADMIN_TOKEN, "&layout=lobby");
    const frame = await nextFrame(tv);
    expect(frame.layout).toMatchObject({ id: "lobby", version: 0, name: "lobby" });
    const whole = await openSse(`${api.url}/api/v1/live/stream?site=${site}`, asAdmin.headers);
    streams.push(whole);
    const e = await whole.next(5_000);
    expect(e.event).toBe("snapshot");
    expect(LiveSnapshot.parse(JSON.parse(e.data)).queues.map((q) => q.queue)).toEqual([
      "cards",
      "loans",
    ]);
  });
});
