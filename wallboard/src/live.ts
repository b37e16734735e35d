// Polling GET /api/v1/live?view=tv (the TV's compact frame) and judging whether what the screen
// shows is still true. Plain functions; `createLive` wraps them for Solid.
import { TvFrame } from "@floorwatch/contracts";

export type LiveError =
  | { kind: "network" }
  | { kind: "timeout" }
  | { kind: "http"; status: number }
  /** 401/403: the screen's token is missing, revoked, expired or not for this site. */
  | { kind: "unauthorized" }
  | { kind: "invalid" }
  | { kind: "wrong_site" };

export type LiveResult = { ok: true; frame: TvFrame } | { ok: false; error: LiveError };

export interface FetchLiveOptions {
  timeoutMs: number;
  /** The screen's bearer token (a display token). */
  token?: string | null;
  /**
   * A layout to show (`?layout=`): honoured for admin and supervisor tokens only; a display
   * token's own layout decides what it gets.
   */
  layout?: string | null;
  fetch?: typeof fetch;
}

/** The address of a TV route (`live`, `live/stream`, `live/trends`) for `site` (and a layout). */
export function tvUrl(route: string, site: string, layout?: string | null): string {
  const q = new URLSearchParams({ site });
  if (route !== "live/trends") q.set("view", "tv");
  if (layout) q.set("layout", layout);
  return `/api/v1/${route}?${q}`;
}

/** A frame as the screen accepts it: valid by the contract and of the screen's own site. */
export function parseFrame(body: unknown, site: string): LiveResult {
  const parsed = TvFrame.safeParse(body);
  if (!parsed.success) return { ok: false, error: { kind: "invalid" } };
  // A proxy or cache answering for the wrong site would put another floor's figures on this TV.
  if (parsed.data.site !== site) return { ok: false, error: { kind: "wrong_site" } };
  return { ok: true, frame: parsed.data };
}

const isTimeout = (e: unknown) => e instanceof Error && e.name === "TimeoutError";

/** One frame. Never throws: every way it can go wrong is a value the banner can name. */
export async function fetchLive(site: string, opts: FetchLiveOptions): Promise<LiveResult> {
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  let body: unknown;
  try {
    // The timeout covers the body too: a server that sends headers and then hangs must not
    // freeze the loop (and with it the numbers) forever.
    const res = await doFetch(tvUrl("live", site, opts.layout), {
      signal: AbortSignal.timeout(opts.timeoutMs),
      headers: {
        accept: "application/json",
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      },
      cache: "no-store",
    });
    if (res.status === 401 || res.status === 403)
      return { ok: false, error: { kind: "unauthorized" } };
    if (!res.ok) return { ok: false, error: { kind: "http", status: res.status } };
    body = await res.json();
  } catch (e) {
    if (isTimeout(e)) return { ok: false, error: { kind: "timeout" } };
    return { ok: false, error: { kind: e instanceof SyntaxError ? "invalid" : "network" } };
  }
  return parseFrame(body, site);
}

/** How often a screen whose token was refused asks again. */
export const UNAUTHORIZED_RETRY_MS = 15_000;

export interface LivePollerOptions extends FetchLiveOptions {
  site: string;
  /** Time between the starts of two requests. */
  intervalMs: number;
  onResult: (result: LiveResult, atMs: number) => void;
  now?: () => number;
}

export interface LivePoller {
  start(): void;
  stop(): void;
}

/**
 * Polls at a steady cadence, one request at a time: a slow answer delays the next request instead
 * of piling requests up, and an old answer can never overwrite a newer one.
 */
export function makeLivePoller(opts: LivePollerOptions): LivePoller {
  const now = opts.now ?? Date.now;
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function loop(gen: number) {
    const started = now();
    const result = await fetchLive(opts.site, opts);
    if (gen !== generation) return; // stopped (or restarted) while the request was in flight
    try {
      opts.onResult(result, now());
    } finally {
      // A refused token will not start working by itself within a second: ask rarely until someone
      // fixes it, so that a forgotten TV does not knock on the door every second all night.
      const every =
        !result.ok && result.error.kind === "unauthorized"
          ? Math.max(opts.intervalMs, UNAUTHORIZED_RETRY_MS)
          : opts.intervalMs;
      timer = setTimeout(() => void loop(gen), Math.max(0, every - (now() - started)));
    }
  }

  return {
    start() {
      clearTimeout(timer);
      void loop(++generation);
    },
    stop() {
      generation++;
      clearTimeout(timer);
    },
  };
}

export type LiveStatus = "connecting" | "live" | "stale";

export interface LiveState {
  startedAt: number;
  /** When the last good frame arrived (client clock), null before the first. */
  lastOkAt: number | null;
  /** The error of the last request, null when it succeeded. */
  lastError: LiveError | null;
}

/** Numbers older than this are not shown as current. */
export const STALE_AFTER_MS = 5_000;

/**
 * `stale` as soon as a request fails or the last good snapshot is older than `maxAgeMs`: a TV must
 * never show frozen numbers as if they were live. `connecting` only during the first moments.
 */
export function liveStatus(s: LiveState, nowMs: number, maxAgeMs = STALE_AFTER_MS): LiveStatus {
  if (s.lastError !== null) return "stale";
  if (nowMs - (s.lastOkAt ?? s.startedAt) > maxAgeMs) return "stale";
  return s.lastOkAt === null ? "connecting" : "live";
}
