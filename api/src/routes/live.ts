import { LiveQuery, type LiveSnapshot } from "@floorwatch/contracts";
import type { ClickHouseClient } from "@floorwatch/sql";
import { Hono } from "hono";
import { allow } from "../auth/middleware";
import { makeCoalescer } from "../coalesce";
import { loadSiteConfig } from "../metrics/config";
import { computeLive } from "../metrics/live";
import type { AppEnv } from "../types";
import { validate } from "../validate";

export async function computeLiveSnapshot(ch: ClickHouseClient, site: string, asOfMs: number): Promise<LiveSnapshot> {
  return computeLive(ch, await loadSiteConfig(ch, site), asOfMs);
}

export function liveRoutes(ch: ClickHouseClient, opts: { now: () => number; ttlMs: number }) {
  const snapshots = makeCoalescer((site: string) => computeLiveSnapshot(ch, site, opts.now()), opts.ttlMs, opts.now);
  return new Hono<AppEnv>().get("/", validate("query", LiveQuery), async (c) => {
    const { site } = c.req.valid("query");
    allow(c, "live", site);
    c.header("Cache-Control", "no-store");
    return c.json(await snapshots.get(site));
  });
}
