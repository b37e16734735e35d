// Retrying a dependency that is down (ClickHouse, the broker for DLQ writes): capped exponential
// backoff with jitter, heartbeating so the group does not evict a consumer that is only waiting,
// and giving up only when the batch is abandoned (shutdown or rebalance), never by crashing.
export class Abandoned extends Error {
  constructor() {
    super("batch abandoned: consumer stopping or partition revoked");
    this.name = "Abandoned";
  }
}

export interface RetryOptions {
  isRunning(): boolean;
  heartbeat(): Promise<void>;
  onRetry(attempt: number, delayMs: number, err: unknown): void;
  initialMs?: number;
  maxMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export function backoffMs(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const exp = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(exp / 2 + (random() * exp) / 2); // "equal jitter": never less than half
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function retryUntilDone<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const { initialMs = 200, maxMs = 10_000, sleep = defaultSleep } = opts;
  for (let attempt = 0; ; attempt++) {
    if (!opts.isRunning()) throw new Abandoned();
    try {
      return await fn();
    } catch (err) {
      const delay = backoffMs(attempt, initialMs, maxMs);
      opts.onRetry(attempt + 1, delay, err);
      // Sleep in slices with heartbeats in between: the session timeout is 30 s, the backoff 10 s.
      for (let left = delay; left > 0; left -= 2_000) {
        await sleep(Math.min(left, 2_000));
        if (!opts.isRunning()) throw new Abandoned();
        await opts.heartbeat().catch(() => {});
      }
    }
  }
}
