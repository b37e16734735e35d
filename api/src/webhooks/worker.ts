// The delivery worker: sends what the outbox holds due, on the elected process only (one sender, so
// one attempt at a time per delivery), in its own loop: the evaluator never waits for a receiver.
//
// - At most `concurrency` requests in flight, and one per subscription: a slow or dead receiver
//   holds one slot, never the others' deliveries.
// - Every attempt is logged (webhook_attempts) and the delivery's new state written before the
//   next is tried: a process killed mid-attempt leaves the delivery pending, and the next elected
//   process tries it again with the same `webhook-id` (at least once).
// - A failure is retried with capped exponential backoff and full jitter until `retryForMs` after
//   it was queued (24 h); then the delivery has failed.
// - 410 Gone disables the subscription at once; a subscription whose attempts have failed for
//   `disableAfterMs` (24 h) with no success between is disabled. Either raises an alert
//   (failing.ts).
import { randomInt } from "node:crypto";
import { WebhookEvent } from "@floorwatch/contracts";
import {
  errorFields,
  insertRows,
  loadDeliveryPayloads,
  loadDueDeliveries,
  loadWebhookHealth,
  runQuery,
  WEBHOOK_ATTEMPTS_TABLE,
  WEBHOOK_DELIVERIES_TABLE,
  WEBHOOK_HEALTH_TABLE,
  type ClickHouseClient,
  type DeliveryStateName,
  type Logger,
  type WebhookDeliveryRow,
} from "@floorwatch/sql";
import { raiseFailing, type Reason } from "./failing";
import { judgeResponse, renderRequest } from "./formats";
import { formatDuration } from "./message";
import { send, type NetworkPolicy } from "./network";
import type { Outbox } from "./outbox";
import { signingSecrets, type Subscription, type SubscriptionSource } from "./types";

export interface WorkerOptions {
  ch: ClickHouseClient;
  log: Logger;
  source: SubscriptionSource;
  outbox: Outbox;
  policy: NetworkPolicy;
  /** Who sends (host:pid), recorded with every attempt. */
  holder: string;
  now: () => number;
  timeoutMs: number;
  concurrency: number;
  retryBaseMs: number;
  retryMaxMs: number;
  retryForMs: number;
  disableAfterMs: number;
  pollMs: number;
}

export interface WorkerStats {
  leader: boolean;
  in_flight: number;
  attempts: number;
  delivered: number;
  failed_attempts: number;
}

export interface DeliveryWorker {
  setLeader(leader: boolean): void;
  /** Looks for due deliveries now. */
  kick(): void;
  stats(): WorkerStats;
  /** Stops taking deliveries and waits for those in flight. */
  stop(): Promise<void>;
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** The wait after the `n`th failed attempt: base·2^(n−1), capped, drawn from its upper half. */
export function backoffMs(n: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, n - 1)));
  return Math.floor(ceiling / 2) + randomInt(0, Math.max(1, Math.ceil(ceiling / 2)));
}

interface Health {
  failing_since_ms: number;
  last_success_ms: number;
  last_failure_ms: number;
}

export function makeDeliveryWorker(opts: WorkerOptions): DeliveryWorker {
  const { ch, log, now } = opts;
  let leader = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let looking: Promise<void> | null = null;
  let lookAgain = false;
  /** Deliveries being attempted, and the subscriptions they belong to. */
  const inFlight = new Map<string, Promise<void>>();
  const busySubs = new Set<string>();
  let health: Map<string, Health> | null = null;
  /**
   * The `updated_ms` of this process's last write of each delivery: a due list read while an
   * attempt was finishing holds the row as it was before, and must not start the attempt again.
   */
  const written = new Map<string, number>();
  /** Deliveries whose last attempt could not be recorded: not tried again before this instant. */
  const notBefore = new Map<string, number>();
  const counters = { attempts: 0, delivered: 0, failed_attempts: 0 };

  async function healthOf(id: string): Promise<Health> {
    if (!health) {
      health = new Map((await runQuery(ch, loadWebhookHealth, {})).map((h) => [h.webhook_id, h]));
    }
    return health.get(id) ?? { failing_since_ms: 0, last_success_ms: 0, last_failure_ms: 0 };
  }

  async function writeDelivery(
    d: WebhookDeliveryRow,
    state: DeliveryStateName,
    attempts: number,
    next_ms: number,
  ) {
    // A row read without its payload must never be written back without it.
    if (!d.payload) throw new Error(`delivery ${d.delivery_id} written without its payload`);
    const updated_ms = Math.max(now(), d.updated_ms + 1);
    await insertRows(ch, WEBHOOK_DELIVERIES_TABLE, [
      { ...d, state, attempts, next_ms, updated_ms },
    ]);
    if (written.size > 10_000)
      for (const [id, ms] of written) if (ms < updated_ms - 3_600_000) written.delete(id);
    written.set(d.delivery_id, updated_ms);
  }

  /** Disables `sub` on the service's account and raises the alert that says so, in both languages. */
  async function disable(sub: Subscription, reason: Reason, since: number) {
    log.warn("webhook subscription disabled", { webhook: sub.id, reason: reason.en });
    await opts.source.disable(sub.id, reason.en);
    await raiseFailing(ch, sub, reason, since, now(), opts.holder);
  }

  /**
   * Where a subscription's current failing episode began: not before a person last wrote it (a
   * re-enabled subscription starts afresh), and not before a failure older than the whole window
   * (one failure, a quiet day, another failure is no day of failing).
   */
  function failingSince(h: Health, sub: Subscription, at: number): number {
    if (h.failing_since_ms <= 0 || at - h.last_failure_ms > opts.disableAfterMs) return at;
    return Math.max(h.failing_since_ms, sub.updated_ms);
  }

  async function attempt(d: WebhookDeliveryRow, sub: Subscription) {
    const n = d.attempts + 1;
    const at = now();
    const parsed = WebhookEvent.safeParse(safeJson(d.payload));
    if (!parsed.success) {
      // Nothing any attempt could send: recorded as failed at once, never retried in a loop.
      await writeDelivery(d, "failed", d.attempts, 0);
      await logAttempt(
        d,
        sub,
        n,
        at,
        { status: null, body: "", latency_ms: 0, error: null },
        false,
        "the stored event does not match the event contract; not sent",
      );
      return;
    }
    const secrets = signingSecrets(sub, at);
    let result: Awaited<ReturnType<typeof send>>;
    let ok = false;
    let gone = false;
    let error: string | null;
    try {
      const req = renderRequest(sub, secrets, parsed.data, d.message_id, at);
      result = await send(req, {
        policy: opts.policy,
        timeoutMs: opts.timeoutMs,
        secrets: [...secrets, sub.robot_secret ?? ""].filter(Boolean),
      });
      if (result.status === null) error = result.error ?? "no answer";
      else {
        const judged = judgeResponse(sub.format, result.status, result.body);
        ok = judged.ok;
        gone = judged.gone;
        error = judged.ok ? null : (result.error ?? judged.error ?? `HTTP ${result.status}`);
      }
    } catch (err) {
      // A request that cannot even be made (rendering failed): logged, retried.
      result = { status: null, body: "", latency_ms: 0, error: null };
      error = err instanceof Error ? err.message : String(err);
    }
    counters.attempts++;
    const done = now();

    // The delivery's state first: once it says delivered, nothing sends it again, whatever
    // happens to the log writes after it.
    if (ok) {
      counters.delivered++;
      await writeDelivery(d, "delivered", n, 0);
    } else {
      counters.failed_attempts++;
      const retryAt = done + backoffMs(n, opts.retryBaseMs, opts.retryMaxMs);
      const over = gone || retryAt > d.created_ms + opts.retryForMs;
      await writeDelivery(d, over ? "failed" : "pending", n, over ? 0 : retryAt);
    }
    await logAttempt(d, sub, n, at, result, ok, error);

    const h = await healthOf(sub.id);
    const next: Health = ok
      ? { failing_since_ms: 0, last_success_ms: done, last_failure_ms: h.last_failure_ms }
      : {
          failing_since_ms: failingSince(h, sub, at),
          last_success_ms: h.last_success_ms,
          last_failure_ms: done,
        };
    health?.set(sub.id, next);
    await insertRows(ch, WEBHOOK_HEALTH_TABLE, [{ webhook_id: sub.id, ...next, updated_ms: done }]);
    if (ok) return;

    if (gone) {
      await disable(
        sub,
        { en: "the receiver answered 410 Gone", zh: "接收方返回 410 Gone（地址已失效）" },
        at,
      );
      return;
    }
    if (done - next.failing_since_ms >= opts.disableAfterMs) {
      const failingS = (done - next.failing_since_ms) / 1000;
      await disable(
        sub,
        {
          en: `every attempt has failed for ${formatDuration(failingS, "en")}`,
          zh: `已连续 ${formatDuration(failingS, "zh-CN")}发送失败`,
        },
        next.failing_since_ms,
      );
    }
  }

  async function logAttempt(
    d: WebhookDeliveryRow,
    sub: Subscription,
    n: number,
    at: number,
    result: Awaited<ReturnType<typeof send>>,
    ok: boolean,
    error: string | null,
  ) {
    await insertRows(ch, WEBHOOK_ATTEMPTS_TABLE, [
      {
        webhook_id: sub.id,
        delivery_id: d.delivery_id,
        message_id: d.message_id,
        attempt: n,
        at_ms: at,
        status: result.status ?? 0,
        ok: ok ? 1 : 0,
        latency_ms: result.latency_ms,
        response: result.body,
        error: error ?? "",
        worker: opts.holder,
      },
    ]);
  }

  async function look() {
    const at = now();
    let slots = opts.concurrency - inFlight.size;
    if (slots <= 0) return;
    const from_ms = at - opts.retryForMs - 3_600_000;
    const due = await runQuery(ch, loadDueDeliveries, {
      from_ms,
      now_ms: at,
      per_webhook: 2,
      limit: Math.max(50, opts.concurrency * 8),
    });
    if (due.length === 0) return;
    let subs = new Map((await opts.source.current()).map((s) => [s.id, s]));
    // A subscription made a moment ago may not be in the cached list yet: read again before
    // calling any delivery orphaned.
    if (due.some((d) => !subs.has(d.webhook_id)))
      subs = new Map((await opts.source.current(0)).map((s) => [s.id, s]));

    // What to do with each: decided first, then the payloads of those read in one statement.
    const chosen: { d: WebhookDeliveryRow; sub?: Subscription; state?: DeliveryStateName }[] = [];
    const taking = new Set<string>();
    for (const d of due) {
      if (inFlight.has(d.delivery_id) || busySubs.has(d.webhook_id)) continue;
      if ((written.get(d.delivery_id) ?? 0) > d.updated_ms) continue;
      if ((notBefore.get(d.delivery_id) ?? 0) > at) continue;
      if (at > d.created_ms + opts.retryForMs) {
        chosen.push({ d, state: "failed" });
        continue;
      }
      const sub = subs.get(d.webhook_id);
      // Sealed under a key this process lacks: kept pending until a process with the key sends it.
      if (!sub && opts.source.unopened().has(d.webhook_id)) continue;
      if (!sub?.enabled) {
        // Nothing to send it to: kept in the log as cancelled, not retried.
        chosen.push({ d, state: "cancelled" });
        continue;
      }
      if (slots <= 0 || taking.has(d.webhook_id)) continue;
      slots--;
      taking.add(d.webhook_id);
      chosen.push({ d, sub });
    }
    if (chosen.length === 0) return;
    const payloads = new Map(
      (
        await runQuery(ch, loadDeliveryPayloads, {
          ids: chosen.map((c) => c.d.delivery_id),
          from_ms,
        })
      ).map((r) => [r.delivery_id, r.payload]),
    );

    for (const { d: row, sub, state } of chosen) {
      const payload = payloads.get(row.delivery_id);
      if (!payload) continue;
      const d = { ...row, payload };
      if (state) {
        await writeDelivery(d, state, d.attempts, 0);
        continue;
      }
      if (!leader || !sub) break;
      busySubs.add(d.webhook_id);
      const run = attempt(d, sub)
        .catch((err: unknown) => {
          // Not recorded (ClickHouse refused a write): tried again after a backoff, never at once.
          notBefore.set(
            d.delivery_id,
            now() + backoffMs(d.attempts + 1, opts.retryBaseMs, opts.retryMaxMs),
          );
          log.warn("webhook attempt not recorded; retried after a backoff", {
            webhook: d.webhook_id,
            delivery: d.delivery_id,
            ...errorFields(err),
          });
        })
        .finally(() => {
          inFlight.delete(d.delivery_id);
          busySubs.delete(d.webhook_id);
          // A slot is free: whatever else is due goes now, not at the next poll.
          kick();
        });
      inFlight.set(d.delivery_id, run);
    }
    for (const [id, ms] of notBefore) if (ms < at) notBefore.delete(id);
  }

  function kick() {
    if (!leader) return;
    if (looking !== null) {
      lookAgain = true;
      return;
    }
    looking = look()
      .catch((err: unknown) =>
        log.warn("webhook worker could not read the outbox", errorFields(err)),
      )
      .finally(() => {
        looking = null;
        if (lookAgain) {
          lookAgain = false;
          kick();
        }
      });
  }

  function schedule() {
    clearTimeout(timer);
    if (!leader) return;
    timer = setTimeout(() => {
      kick();
      schedule();
    }, opts.pollMs);
    timer.unref();
  }

  opts.outbox.onQueued(kick);

  return {
    setLeader(next) {
      if (next === leader) return;
      leader = next;
      // A new term reads health as stored: another process may have written since.
      health = null;
      if (leader) {
        schedule();
        kick();
      } else clearTimeout(timer);
    },
    kick,
    stats: () => ({ leader, in_flight: inFlight.size, ...counters }),
    async stop() {
      leader = false;
      clearTimeout(timer);
      await looking;
      await Promise.all(inFlight.values());
    },
  };
}
