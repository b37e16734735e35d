// GET /api/v1/live (one snapshot) and GET /api/v1/live/stream (Server-Sent Events: a snapshot at
// least once a second and as soon as who waits or what agents do changes; see live/broadcast.ts).
// With `view=tv` both answer the TV frame of a layout instead (issue #12; live/tv.ts): the stream
// sends `event: tv`, GET /live one frame (a screen's polling fallback). GET /api/v1/live/trends:
// the history a screen draws from its first paint (live/trends.ts), per layout every 30 s at most.
import { TrendsQuery, TvLiveQuery, type LiveSnapshot, type TvTrends } from "@floorwatch/contracts";
import type { ClickHouseClient } from "@floorwatch/sql";
import { Hono } from "hono";
import { allow } from "../auth/middleware";
import type { Principal } from "../auth/roles";
import { ApiError } from "../errors";
import { makeCoalescer, type Coalescer } from "../coalesce";
import type { Broadcaster } from "../live/broadcast";
import type { TvFrames } from "../live/frames";
import { DEFAULT_LAYOUT_ID, layoutIdOf, tilesOf, type LayoutStore } from "../live/layouts";
import { computeTrends } from "../live/trends";
import { loadSiteConfig } from "../metrics/config";
import { computeLive } from "../metrics/live";
import { requireSite } from "../sites";
import type { AppEnv } from "../types";
import { validate } from "../validate";

export async function computeLiveSnapshot(
  ch: ClickHouseClient,
  site: string,
  asOfMs: number,
): Promise<LiveSnapshot> {
  return computeLive(ch, await loadSiteConfig(ch, site), asOfMs);
}

/** How long one computation of a layout's trends is shared (quarter-hour and day series). */
export const TRENDS_TTL_MS = 30_000;

/**
 * The layout a caller sees: a display token's own (its token's `layout`, the default when empty),
 * which it cannot exchange for another (403: a screen shows what its admin set); anyone else the
 * one asked for, or the default.
 */
export function layoutFor(p: Principal, requested: string | undefined): string {
  if (p.role !== "display") return requested ?? DEFAULT_LAYOUT_ID;
  const own = layoutIdOf(p.layout);
  if (requested !== undefined && requested !== own)
    throw new ApiError(
      "forbidden",
      `this display token shows layout "${own}"; it cannot show another`,
      [{ path: "layout", message: `a display token shows its own layout ("${own}")` }],
    );
  return own;
}

export interface TvDeps {
  ch: ClickHouseClient;
  frames: TvFrames;
  layouts: LayoutStore;
  now: () => number;
}

export function liveRoutes(
  snapshots: Coalescer<string, LiveSnapshot>,
  broadcaster: Broadcaster,
  tv: TvDeps,
) {
  // One computation per site, layout version and 30 s, shared by every screen of the layout: a
  // floor of screens switched on at once costs one read per grain, not one per screen.
  const trends = makeCoalescer(
    async (key: string): Promise<TvTrends> => {
      const [site, layoutId] = JSON.parse(key) as [string, string, number];
      const [config, layout] = await Promise.all([
        loadSiteConfig(tv.ch, site),
        tv.layouts.get(site, layoutId),
      ]);
      const tiles = tilesOf(layout, { queues: config.queues });
      return { ...(await computeTrends(tv.ch, config, tiles, tv.now())), layout_id: layoutId };
    },
    TRENDS_TTL_MS,
    tv.now,
  );

  return new Hono<AppEnv>()
    .get("/", validate("query", TvLiveQuery), async (c) => {
      const q = c.req.valid("query");
      const p = allow(c, "live", q.site);
      await requireSite(c, q.site);
      c.header("Cache-Control", "no-store");
      if (q.view !== "tv") return c.json(await snapshots.get(q.site));
      const layout = layoutFor(p, q.layout);
      return c.json(await tv.frames.frame(q.site, layout, await snapshots.get(q.site)));
    })
    .get("/stream", validate("query", TvLiveQuery), async (c) => {
      const q = c.req.valid("query");
      const principal = allow(c, "live", q.site);
      await requireSite(c, q.site);
      const layout = q.view === "tv" ? layoutFor(principal, q.layout) : undefined;
      const open = broadcaster.streamsOf(principal.id);
      if (open >= broadcaster.maxStreamsPerToken)
        throw new ApiError(
          "rate_limited",
          `this token has ${open} live streams open, the most one token may hold; close one first`,
        );
      const lastEventId = c.req.header("last-event-id")?.slice(0, 32);
      return new Response(broadcaster.subscribe(q.site, { principal, lastEventId, layout }), {
        headers: {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-store",
          connection: "keep-alive",
          // nginx and friends must pass each frame on at once, not buffer the stream.
          "x-accel-buffering": "no",
        },
      });
    })
    .get("/trends", validate("query", TrendsQuery), async (c) => {
      const q = c.req.valid("query");
      const p = allow(c, "live", q.site);
      await requireSite(c, q.site);
      const layoutId = layoutFor(p, q.layout);
      // The version in the key: an edited layout's new tiles get their trends at once.
      const { version } = await tv.layouts.get(q.site, layoutId);
      c.header("Cache-Control", "no-store");
      return c.json(await trends.get(JSON.stringify([q.site, layoutId, version])));
    });
}
