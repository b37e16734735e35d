// One API read repeated at a steady cadence for a desk panel. One request in flight at a time (a
// slow answer delays the next instead of piling requests up on a struggling server), each given up
// after `timeoutMs` (a server that accepts and then hangs must not freeze the panel's figures), an
// answer never overtaken by an older one, and no asking again by itself after a refusal that will
// not change on its own (the role cannot read it). Plain functions; polled.ts wraps them for Solid.
import { ApiFailure } from "../api";

export type PollResult<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface PollerOptions<T> {
  load: (signal: AbortSignal) => Promise<T>;
  /** Between the starts of two requests. */
  intervalMs: number;
  timeoutMs: number;
  onResult: (result: PollResult<T>, atMs: number) => void;
  /** A failure not worth asking about again until someone asks (refresh). */
  stopOn?: (error: unknown) => boolean;
  now?: () => number;
}

export interface Poller {
  start(): void;
  stop(): void;
  /** Ask now; with a request in flight, as soon as it is answered. */
  refresh(): void;
}

/** What a request given up after `timeoutMs` fails with (ErrorPanel names it in both languages). */
export const timeoutFailure = () => new ApiFailure(0, "timeout", "timeout");

/** 401 ends the session elsewhere; 403 and 404 will not change by asking every few seconds. */
export const isRefusal = (e: unknown) =>
  e instanceof ApiFailure && (e.status === 401 || e.status === 403 || e.status === 404);

export function makePoller<T>(opts: PollerOptions<T>): Poller {
  const now = opts.now ?? Date.now;
  let generation = 0;
  let active = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | undefined;
  let again = false;

  async function tick(gen: number) {
    const started = now();
    const abort = new AbortController();
    inFlight = abort;
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, opts.timeoutMs);
    let result: PollResult<T>;
    try {
      result = { ok: true, value: await opts.load(abort.signal) };
    } catch (error) {
      result = { ok: false, error: timedOut ? timeoutFailure() : error };
    } finally {
      clearTimeout(timeout);
    }
    if (gen !== generation) return; // stopped or restarted while it was in flight
    inFlight = undefined;
    try {
      opts.onResult(result, now());
    } finally {
      if (gen === generation && (result.ok || !opts.stopOn?.(result.error))) {
        const wait = again ? 0 : Math.max(0, opts.intervalMs - (now() - started));
        again = false;
        timer = setTimeout(() => void tick(gen), wait);
      }
    }
  }

  const stop = () => {
    generation++;
    active = false;
    again = false;
    clearTimeout(timer);
    inFlight?.abort();
    inFlight = undefined;
  };

  return {
    start() {
      stop();
      active = true;
      void tick(generation);
    },
    stop,
    refresh() {
      if (!active) return;
      if (inFlight) {
        again = true;
        return;
      }
      clearTimeout(timer);
      void tick(generation);
    },
  };
}
