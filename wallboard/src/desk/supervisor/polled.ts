// Solid shells over poll.ts for the supervisor's panels: a read polled for as long as the panel
// lives and its key (the site) stays the same, and one clock for everything that ticks.
import { batch, createEffect, createSignal, on, onCleanup, type Accessor } from "solid-js";
import { isRefusal, makePoller } from "./poll";

export interface Polled<T> {
  /** The latest answer for the current key; undefined before the first. */
  value: Accessor<T | undefined>;
  /** The last request's failure; null once one succeeds. */
  error: Accessor<unknown>;
  /** When (client clock, ms) the latest answer arrived. */
  okAt: Accessor<number | null>;
  /** Ask now (after a refusal too: the Retry button). */
  refresh(): void;
}

export function createPolled<K, T>(
  /** What is read (a site, a site and a queue); null: nothing to read. */
  key: Accessor<K | null>,
  load: (key: K, signal: AbortSignal) => Promise<T>,
  opts: {
    intervalMs: number;
    timeoutMs: number;
    /** While true, the panel holds still (someone is writing a note into it). */
    paused?: Accessor<boolean>;
  },
): Polled<T> {
  const [value, setValue] = createSignal<T | undefined>(undefined, { equals: false });
  const [error, setError] = createSignal<unknown>(null);
  const [okAt, setOkAt] = createSignal<number | null>(null);
  let current: ReturnType<typeof makePoller<T>> | undefined;

  createEffect(
    on(key, (k) => {
      current?.stop();
      current = undefined;
      batch(() => {
        setValue(undefined);
        setError(null);
        setOkAt(null);
      });
      if (k === null) return;
      current = makePoller<T>({
        load: (signal) => load(k, signal),
        intervalMs: opts.intervalMs,
        timeoutMs: opts.timeoutMs,
        stopOn: isRefusal,
        onResult(result, at) {
          batch(() => {
            if (result.ok) {
              setValue(() => result.value);
              setOkAt(at);
              setError(null);
            } else setError(result.error);
          });
        },
      });
      if (!opts.paused?.()) current.start();
    }),
  );
  if (opts.paused) {
    const paused = opts.paused;
    createEffect(
      on(
        paused,
        (p) => {
          if (p) current?.stop();
          else current?.start();
        },
        { defer: true },
      ),
    );
  }
  onCleanup(() => current?.stop());

  return { value, error, okAt, refresh: () => current?.refresh() };
}

/** The time now (ms), once a second: one signal every ticking figure of the screen reads. */
export function createClock(everyMs = 1_000): Accessor<number> {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), everyMs);
  onCleanup(() => clearInterval(timer));
  return now;
}
