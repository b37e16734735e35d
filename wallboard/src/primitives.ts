// Solid primitives of the wallboard: thin reactive shells over the plain make* functions, so the
// logic stays testable without a DOM (conventions.md habit 9).
import { parseRfc3339Ms, type LiveSnapshot } from "@floorwatch/contracts";
import { batch, createSignal, onCleanup, onMount, type Accessor } from "solid-js";
import { makeHistory, type Series } from "./history";
import type { LiveError } from "./live";
import { makeLiveFeed } from "./stream";

export interface LiveOptions {
  /** The expected time between snapshots (sizes the sparkline history). */
  intervalMs?: number;
  /** How far back the sparklines reach. */
  historyS?: number;
  /** The screen's display token. */
  token?: string | null;
}

export interface Live {
  snapshot: Accessor<LiveSnapshot | null>;
  lastOkAt: Accessor<number | null>;
  lastError: Accessor<LiveError | null>;
  startedAt: number;
  /** One queue's waiting counts over the history window; tracks every new snapshot. */
  series(queue: string): Series;
}

/** The site's live snapshot, pushed, for as long as the calling component lives. */
export function createLive(site: string, opts: LiveOptions = {}): Live {
  const intervalMs = opts.intervalMs ?? 1_000;
  const historyS = opts.historyS ?? 600;
  const startedAt = Date.now();
  const [snapshot, setSnapshot] = createSignal<LiveSnapshot | null>(null);
  const [lastOkAt, setLastOkAt] = createSignal<number | null>(null);
  const [lastError, setLastError] = createSignal<LiveError | null>(null);
  const [version, setVersion] = createSignal(0);
  const history = makeHistory({
    capacity: Math.ceil((historyS * 1000) / intervalMs) + 10,
    windowS: historyS,
    gapS: 5,
  });

  // Pushed by the live stream (polling only where the stream does not get through).
  const feed = makeLiveFeed({
    site,
    token: opts.token,
    onResult(result, atMs) {
      batch(() => {
        if (!result.ok) {
          setLastError(result.error);
          return;
        }
        // The server's instant, not ours: a TV with a wrong clock still draws the right trend.
        const tMs = parseRfc3339Ms(result.snapshot.as_of) ?? atMs;
        history.push(tMs / 1000, result.snapshot.queues);
        setSnapshot(result.snapshot);
        setLastOkAt(atMs);
        setLastError(null);
        setVersion((v) => v + 1);
      });
    },
  });
  feed.start();
  onCleanup(() => feed.stop());

  return {
    snapshot,
    lastOkAt,
    lastError,
    startedAt,
    series(queue) {
      version();
      return history.series(queue);
    },
  };
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
