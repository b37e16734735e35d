// Which sites exist, for the read routes: a site that was never configured and never sent an event
// is a 404, not an empty snapshot in a default zone. Without this, a token of every site could
// name any number of made-up sites, and each would get its own per-tick ClickHouse work (25
// made-up names slowed another site's /live from 23 ms to 817 ms).
//
// A site once seen stays (sites are never deleted), so positive answers are kept for good. A
// negative answer is kept only `negativeMs`: a brand-new site that starts sending events, or that
// another API process configures, becomes readable within that time; until then a made-up name
// costs one small read per `negativeMs`, whoever asks and however often.
import { runQuery, siteSeen, type ClickHouseClient } from "@floorwatch/sql";
import type { Context } from "hono";
import { ApiError } from "./errors";
import type { AppEnv } from "./types";

export interface SiteDirectory {
  exists(site: string): Promise<boolean>;
  /** A site configured by this process: readable at once. */
  add(site: string): void;
}

/** Made-up names remembered at most; beyond, the oldest answers are dropped. */
const MAX_NEGATIVE = 10_000;

export function makeSiteDirectory(
  ch: ClickHouseClient,
  opts: { now?: () => number; negativeMs?: number } = {},
): SiteDirectory {
  const now = opts.now ?? Date.now;
  const negativeMs = opts.negativeMs ?? 2_000;
  const seen = new Set<string>();
  const unseenUntil = new Map<string, number>();
  const asking = new Map<string, Promise<boolean>>();

  function ask(site: string): Promise<boolean> {
    let p = asking.get(site);
    if (!p) {
      p = runQuery(ch, siteSeen, { site })
        .then(([row]) => {
          const found = (row?.seen ?? 0) > 0;
          if (found) {
            seen.add(site);
            unseenUntil.delete(site);
          } else {
            if (unseenUntil.size >= MAX_NEGATIVE) unseenUntil.clear();
            unseenUntil.set(site, now() + negativeMs);
          }
          return found;
        })
        .finally(() => asking.delete(site));
      asking.set(site, p);
    }
    return p;
  }

  return {
    async exists(site) {
      if (seen.has(site)) return true;
      const until = unseenUntil.get(site);
      if (until !== undefined && now() < until) return false;
      return ask(site);
    },
    add(site) {
      seen.add(site);
      unseenUntil.delete(site);
    },
  };
}

/** 404 unless `site` exists. Call after `allow`: a site outside the token's scope is a 403 first. */
export async function requireSite(c: Context<AppEnv>, site: string): Promise<void> {
  if (!(await c.get("sites").exists(site)))
    throw new ApiError(
      "not_found",
      `no site ${site}: it is not configured and has sent no events yet`,
    );
}
