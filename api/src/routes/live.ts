// GET /api/v1/live (one snapshot) and GET /api/v1/live/stream (Server-Sent Events: a snapshot at
// least once a second and as soon as who waits or what agents do changes; see live/broadcast.ts).
import { LiveQuery, type LiveSnapshot } from "@floorwatch/contracts";
import type { ClickHouseClient } from "@floorwatch/sql";
import { Hono } from "hono";
import { allow } from "../auth/middleware";
import { ApiError } from "../errors";
import type { Coalescer } from "../coalesce";
import type { Broadcaster } from "../live/broadcast";
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

export function liveRoutes(snapshots: Coalescer<string, LiveSnapshot>, broadcaster: Broadcaster) {
  return new Hono<AppEnv>()
    .get("/", validate("query", LiveQuery), async (c) => {
      const { site } = c.req.valid("query");
      allow(c, "live", site);
      await requireSite(c, site);
      c.header("Cache-Control", "no-store");
      return c.json(await snapshots.get(site));
    })
    .get("/stream", validate("query", LiveQuery), async (c) => {
      const { site } = c.req.valid("query");
      const principal = allow(c, "live", site);
      await requireSite(c, site);
      const open = broadcaster.streamsOf(principal.id);
      if (open >= broadcaster.maxStreamsPerToken)
        throw new ApiError(
          "rate_limited",
          `this token has ${open} live streams open, the most one token may hold; close one first`,
        );
      const lastEventId = c.req.header("last-event-id")?.slice(0, 32);
      return new Response(broadcaster.subscribe(site, { principal, lastEventId }), {
        headers: {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-store",
          connection: "keep-alive",
          // nginx and friends must pass each frame on at once, not buffer the stream.
          "x-accel-buffering": "no",
        },
      });
    });
}
