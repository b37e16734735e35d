// A cache that answers at once with what it holds and refreshes behind the answer once that is
// older than `ttlMs` (stale-while-revalidate). The TV stream reads layouts and rules on every tick:
// with a plain time-to-live cache of about a tick, nearly every tick would wait on a ClickHouse
// round trip between the snapshot and the screens. A failed refresh keeps the value held.
export interface StaleCache<K, V> {
  /** The value held (refreshed behind the answer when old), or, the first time, a new one. */
  get(key: K): Promise<V>;
  /** A value computed now, never one started earlier (after a write). */
  fresh(key: K): Promise<V>;
}

export function makeStaleCache<K, V>(
  compute: (key: K) => Promise<V>,
  ttlMs: number,
  now: () => number = Date.now,
): StaleCache<K, V> {
  interface Entry {
    at: number;
    value?: { v: V };
    pending?: Promise<V>;
    /** The newest load started, and the newest applied: an older load never overwrites a newer. */
    started: number;
    applied: number;
  }
  const entries = new Map<K, Entry>();
  function load(key: K): Promise<V> {
    let e = entries.get(key);
    if (!e) {
      e = { at: 0, started: 0, applied: 0 };
      entries.set(key, e);
    }
    const entry = e;
    const seq = ++entry.started;
    const p = compute(key).then((v) => {
      if (seq > entry.applied) {
        entry.applied = seq;
        entry.value = { v };
        entry.at = now();
      }
      return v;
    });
    entry.pending = p;
    void p.then(
      () => {
        if (entry.pending === p) entry.pending = undefined;
      },
      () => {
        if (entry.pending === p) entry.pending = undefined;
      },
    );
    return p;
  }
  return {
    get(key) {
      const e = entries.get(key);
      if (e?.value) {
        if (!e.pending && now() - e.at >= ttlMs) load(key).catch(() => undefined);
        return Promise.resolve(e.value.v);
      }
      return e?.pending ?? load(key);
    },
    fresh: load,
  };
}
