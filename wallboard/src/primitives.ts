// Solid primitives of the wallboard: thin reactive shells over the plain make* functions, so the
// logic stays testable without a DOM (conventions.md habit 9).
import type { TvFrame, TvTrends } from "@floorwatch/contracts";
import { batch, createEffect, createSignal, on, onCleanup, onMount, type Accessor } from "solid-js";
import type { LiveError } from "./live";
import { makeLiveFeed } from "./stream";
import { fetchTrends, quarterHour } from "./trends";

export interface LiveOptions {
  /** The screen's display token. */
  token?: string | null;
  /** `?layout=` (admin and supervisor tokens). */
  layout?: string | null;
}

export interface Live {
  frame: Accessor<TvFrame | null>;
  lastOkAt: Accessor<number | null>;
  lastError: Accessor<LiveError | null>;
  startedAt: number;
}

/**
 * The site's TV frames, pushed, for as long as the calling component lives. Holds the last frame
 * only: nothing here grows with uptime.
 */
export function createLive(site: string, opts: LiveOptions = {}): Live {
  const startedAt = Date.now();
  const [frame, setFrame] = createSignal<TvFrame | null>(null);
  const [lastOkAt, setLastOkAt] = createSignal<number | null>(null);
  const [lastError, setLastError] = createSignal<LiveError | null>(null);

  // Pushed by the live stream (polling only where the stream does not get through).
  const feed = makeLiveFeed({
    site,
    token: opts.token,
    layout: opts.layout,
    onResult(result, atMs) {
      batch(() => {
        if (!result.ok) {
          setLastError(result.error);
          return;
        }
        setFrame(result.frame);
        setLastOkAt(atMs);
        setLastError(null);
      });
    },
  });
  feed.start();
  onCleanup(() => feed.stop());

  return { frame, lastOkAt, lastError, startedAt };
}

export interface TrendsOptions extends LiveOptions {
  now: Accessor<number>;
  /** Which layout the frames show: the trends are fetched again for a new one. */
  layoutKey: Accessor<string | null>;
  refreshMs?: number;
}

/**
 * The site's trends from GET /api/v1/live/trends: at once (a screen opened a minute ago shows the
 * day), every minute, when a quarter hour ends, and when the layout changes. One request at a time.
 */
export function createTrends(site: string, opts: TrendsOptions): Accessor<TvTrends | null> {
  const [trends, setTrends] = createSignal<TvTrends | null>(null);
  const refreshMs = opts.refreshMs ?? 60_000;
  let inFlight = false;
  let again = false;
  let alive = true;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function load() {
    if (inFlight) {
      again = true; // a newer reason to load arrived meanwhile: once more afterwards
      return;
    }
    inFlight = true;
    clearTimeout(timer);
    const got = await fetchTrends(site, { token: opts.token, layout: opts.layout });
    inFlight = false;
    if (!alive) return;
    if (got) setTrends(got);
    if (again) {
      again = false;
      void load();
    } else timer = setTimeout(() => void load(), refreshMs);
  }

  void load();
  createEffect(
    on(
      () => quarterHour(opts.now()),
      () => void load(),
      { defer: true },
    ),
  );
  createEffect(on(opts.layoutKey, () => void load(), { defer: true }));
  onCleanup(() => {
    alive = false;
    clearTimeout(timer);
  });
  return trends;
}

/** The current time, updated on every whole second (the clock and the staleness check read it). */
export function createNow(): Accessor<number> {
  const [now, setNow] = createSignal(Date.now());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    const t = Date.now();
    setNow(t);
    // Re-aim at the next whole second each time, so the clock does not drift against the wall.
    timer = setTimeout(tick, 1000 - (t % 1000) + 5);
  };
  tick();
  onCleanup(() => clearTimeout(timer));
  return now;
}

/** The content-box size of an element, following every resize. */
export function createElementSize(
  target: Accessor<Element | undefined>,
): Accessor<{ width: number; height: number }> {
  const [size, setSize] = createSignal({ width: 0, height: 0 });
  onMount(() => {
    const el = target();
    if (!el) return;
    const ro = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect;
      if (box) setSize({ width: box.width, height: box.height });
    });
    ro.observe(el);
    onCleanup(() => ro.disconnect());
  });
  return size;
}

/** The viewport's size (the type scale follows it). */
export function createViewport(): Accessor<{ width: number; height: number }> {
  const read = () => ({ width: window.innerWidth, height: window.innerHeight });
  const [size, setSize] = createSignal(read());
  const onResize = () => setSize(read());
  window.addEventListener("resize", onResize);
  onCleanup(() => window.removeEventListener("resize", onResize));
  return size;
}
