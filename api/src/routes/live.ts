import { LiveQuery, type LiveSnapshot } from "@floorwatch/contracts";
import { liveWaitingByQueue, runQuery, type ClickHouseClient } from "@floorwatch/sql";
import { Hono } from "hono";
import { makeCoalescer } from "../coalesce";
import type { AppEnv } from "../types";
import { validate } from "../validate";

export async function computeLiveSnapshot(ch: ClickHouseClient, site: string, asOfMs: number): Promise<LiveSnapshot> {
  const rows = await runQuery(ch, liveWaitingByQueue, { site, as_of_ms: asOfMs });
  return {
    site,
    as_of: new Date(asOfMs).toISOString(),
    queues: rows.map((r) => ({
      queue: r.queue,
      waiting: r.waiting,
      longest_waiting_s: r.waiting > 0 ? Math.max(0, (asOfMs - r.earliest_start_ms) / 1000) : 0,
    })),
  };
}

export function liveRoutes(ch: ClickHouseClient, opts: { now: () => number; ttlMs: number }) {
  const snapshots = makeCoalescer((site: string) => computeLiveSnapshot(ch, site, opts.now()), opts.ttlMs, opts.now);
  return new Hono<AppEnv>().get("/", validate("query", LiveQuery), async (c) => {
    const { site } = c.req.valid("query");
    c.header("Cache-Control", "no-store");
    return c.json(await snapshots.get(site));
  });
}
