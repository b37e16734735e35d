// When each screen (display token) was last heard from, for the admins' list of screens (GET
// /api/v1/screens). Heard: every authenticated request of a display token (GET /live, the trends,
// the stream opening), and every `everyMs` every token with a live stream open, however quiet.
//
// Remembered in memory and written in one insert per flush (every `everyMs`, and on close), never
// a row per request: 500 screens polling /live would otherwise be 500 inserts a second, and
// ClickHouse wants about one insert a second per table (conventions.md habit 6). A flush that
// fails keeps its rows for the next one: a heartbeat is lost only with the process, and the next
// process hears the screen again within `everyMs` of its reconnecting.
import {
  errorFields,
  insertRows,
  SCREEN_HEARTBEATS_TABLE,
  type ClickHouseClient,
  type Logger,
  type ScreenHeartbeatRow,
} from "@floorwatch/sql";
import type { Principal } from "./roles";

/** How often open streams count as heard and what was heard is written (issue #12: 30 s). */
export const SEEN_FLUSH_MS = 30_000;

export interface ScreenSeen {
  /** A request of `p` was served now (ignored unless `p` is a display token). */
  heard(p: Principal): void;
  /** The latest instant this process heard each display token (written or not), by token id. */
  latest(): ReadonlyMap<string, number>;
  /** Counts every open stream as heard now and writes what is unwritten, in one insert. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is unwritten. */
  close(): Promise<void>;
}

export interface SeenOptions {
  ch: ClickHouseClient;
  log: Logger;
  /** The ids of the tokens with a live stream open now (Broadcaster.openTokens). */
  openTokens: () => readonly string[];
  now?: () => number;
  everyMs?: number;
}

/**
 * The rows of one flush: one per token heard since the last, at its latest instant, with its site
 * (a display token names exactly one). Tokens with a stream open count as heard at `nowMs`; one
 * whose site this process never learnt (its stream opened before a restart cannot be: the stream
 * is a request) is left out rather than written without a site. Pure.
 */
export function heartbeatRows(
  pending: ReadonlyMap<string, number>,
  open: readonly string[],
  siteOf: ReadonlyMap<string, string>,
  nowMs: number,
): ScreenHeartbeatRow[] {
  const at = new Map(pending);
  for (const id of open) at.set(id, nowMs);
  const rows: ScreenHeartbeatRow[] = [];
  for (const [token_id, seen_ms] of at) {
    const site = siteOf.get(token_id);
    if (site !== undefined) rows.push({ site, token_id, seen_ms });
  }
  return rows;
}

export function makeScreenSeen(opts: SeenOptions): ScreenSeen {
  const now = opts.now ?? Date.now;
  /** Heard since the last flush that was written: token id → latest instant. */
  let pending = new Map<string, number>();
  /** Everything heard by this process (bounded by the display tokens there are). */
  const latest = new Map<string, number>();
  const siteOf = new Map<string, string>();
  let flushing: Promise<void> | null = null;
  let closed = false;

  const note = (id: string, ms: number) => {
    if ((pending.get(id) ?? -Infinity) < ms) pending.set(id, ms);
    if ((latest.get(id) ?? -Infinity) < ms) latest.set(id, ms);
  };

  async function write(): Promise<void> {
    const t = now();
    const open = opts.openTokens();
    for (const id of open)
      if (siteOf.has(id) && (latest.get(id) ?? -Infinity) < t) latest.set(id, t);
    const batch = pending;
    pending = new Map();
    const rows = heartbeatRows(batch, open, siteOf, t);
    try {
      await insertRows(opts.ch, SCREEN_HEARTBEATS_TABLE, rows);
    } catch (err) {
      // Kept for the next flush, unless something newer of the same token came in meanwhile.
      for (const r of rows)
        if ((pending.get(r.token_id) ?? -Infinity) < r.seen_ms) pending.set(r.token_id, r.seen_ms);
      opts.log.warn("screen heartbeats not written; retried at the next flush", {
        rows: rows.length,
        ...errorFields(err),
      });
    }
  }

  function flush(): Promise<void> {
    // One flush at a time: a slow insert must not have the next tick write the same rows twice.
    flushing ??= write().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  const timer = setInterval(() => void flush(), opts.everyMs ?? SEEN_FLUSH_MS);
  // The timer alone must not keep a process (or a test) alive.
  timer.unref();

  return {
    heard(p) {
      if (closed || p.role !== "display") return;
      const site = p.sites === "all" ? undefined : p.sites[0];
      if (site === undefined) return;
      siteOf.set(p.id, site);
      note(p.id, now());
    },
    latest: () => latest,
    flush,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await flushing;
      await flush();
    },
  };
}
