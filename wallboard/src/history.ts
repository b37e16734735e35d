// The last few minutes of snapshots, for the sparklines. A fixed-size ring: a TV left on for a
// month must not grow its memory with every poll.

export interface HistoryOptions {
  /** Most snapshots kept (600 = ten minutes of 1-second polls). */
  capacity: number;
  /** Only points this many seconds before the newest one are returned. */
  windowS: number;
  /** A jump between two points longer than this is drawn as a gap, not as a line across the outage. */
  gapS: number;
}

export interface QueueCount {
  queue: string;
  waiting: number;
}

/** uPlot's aligned data for one series: x in epoch seconds, y with null for "no data here". */
export type Series = [xs: number[], ys: (number | null)[]];

export interface History {
  /** Records the counts of one snapshot taken at `tS` (epoch seconds). */
  push(tS: number, queues: readonly QueueCount[]): void;
  /** The window of one queue's waiting counts, oldest first. */
  series(queue: string): Series;
  /** Epoch seconds of the newest point, or null when empty. */
  newest(): number | null;
  size(): number;
  clear(): void;
}

interface Entry {
  t: number;
  counts: Map<string, number>;
}

export function makeHistory(opts: HistoryOptions): History {
  if (!(opts.capacity >= 1)) throw new RangeError("capacity must be at least 1");
  const ring: (Entry | undefined)[] = new Array(opts.capacity);
  let head = 0; // index of the oldest entry
  let count = 0;

  const at = (i: number) => ring[(head + i) % opts.capacity] as Entry;
  const clear = () => {
    ring.fill(undefined);
    head = 0;
    count = 0;
  };

  return {
    push(tS, queues) {
      const entry: Entry = { t: tS, counts: new Map(queues.map((q) => [q.queue, q.waiting])) };
      if (count > 0) {
        const last = at(count - 1);
        // The api shares one snapshot between callers for a moment: the same instant twice is one point.
        if (tS === last.t) {
          ring[(head + count - 1) % opts.capacity] = entry;
          return;
        }
        // The server's clock went back (failover, NTP step): uPlot needs ascending x, so start over.
        if (tS < last.t) clear();
      }
      if (count < opts.capacity) {
        ring[(head + count) % opts.capacity] = entry;
        count++;
      } else {
        ring[head] = entry;
        head = (head + 1) % opts.capacity;
      }
    },

    series(queue) {
      const xs: number[] = [];
      const ys: (number | null)[] = [];
      if (count === 0) return [xs, ys];
      const from = at(count - 1).t - opts.windowS;
      let prev: number | null = null;
      for (let i = 0; i < count; i++) {
        const e = at(i);
        if (e.t < from) continue;
        if (prev !== null && e.t - prev > opts.gapS) {
          xs.push((prev + e.t) / 2);
          ys.push(null);
        }
        xs.push(e.t);
        ys.push(e.counts.get(queue) ?? null);
        prev = e.t;
      }
      return [xs, ys];
    },

    newest: () => (count === 0 ? null : at(count - 1).t),
    size: () => count,
    clear,
  };
}
