// One computation per key and period, shared by every caller (conventions.md habit 8): a hundred
// wallboards polling the same site cost ClickHouse one query per period, not a hundred.
export interface Coalescer<K, V> {
  /** The value computed within `maxAgeMs` (default: the period), or a new one. */
  get(key: K, maxAgeMs?: number): Promise<V>;
}

export function makeCoalescer<K, V>(
  compute: (key: K) => Promise<V>,
  ttlMs: number,
  now: () => number = Date.now,
): Coalescer<K, V> {
  const entries = new Map<K, { at: number; value: Promise<V> }>();
  return {
    get(key, maxAgeMs = ttlMs) {
      const t = now();
      const hit = entries.get(key);
      if (hit && t - hit.at < Math.min(maxAgeMs, ttlMs)) return hit.value;
      const value = compute(key);
      entries.set(key, { at: t, value });
      // A failure is not cached: the next caller tries again.
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      // Bound the map: keys seen once (a typo'd site) must not accumulate forever.
      if (entries.size > 1000)
        for (const [k, e] of entries) if (t - e.at >= ttlMs) entries.delete(k);
      return value;
    },
  };
}
