// The dispatcher: stored alert transitions and acknowledgements → deliveries in the outbox, one per
// event and subscription that wants it. It reads what is STORED (alert_transitions, alert_acks)
// from a persisted cursor, not what the evaluator holds in memory: an evaluator killed after
// writing a transition and before queuing its deliveries leaves the cursor behind, and whichever
// process is elected next queues them. Reading from the cursor less an overlap, and deriving every
// delivery's id from its subscription and event (outbox.ts), make a transition read twice one
// delivery.
//
// Runs on the elected process only (the one evaluating), kicked by the evaluator right after it
// wrote transitions (so a breach is queued within milliseconds of being stored) and by this
// process's acknowledgements, and every `pollMs` for those written elsewhere.
import {
  errorFields,
  insertRows,
  loadAcks,
  loadAcksSince,
  loadAlertTransitions,
  loadTransitionsRecordedSince,
  loadWebhookCursor,
  runQuery,
  WEBHOOK_CURSOR_TABLE,
  type ClickHouseClient,
  type Logger,
} from "@floorwatch/sql";
import type { WebhookEvent } from "@floorwatch/contracts";
import { makeCoalescer } from "../coalesce";
import { eventKeyOf, eventOf, siteInfo, wants, type TransitionIn } from "./events";
import type { NewDelivery, Outbox } from "./outbox";
import type { Subscription } from "./types";

/** What matching an event to a subscription reads. */
export type Matchable = Pick<Subscription, "id" | "enabled" | "created_ms" | "sites" | "events">;

/**
 * How far before the cursor every run reads again: rows stored late (a tick's transitions are
 * stamped when it starts and stored when it ends; another process's clock; an insert that landed
 * after a later one). Rows already queued are known by key and skipped.
 */
const OVERLAP_MS = 60_000;
/** Whether `s` could want an event of this row: what is known of it before the event is made. */
const couldWant = (s: Matchable, r: { site: string; rule_id: string }) =>
  s.enabled &&
  (s.sites.length === 0 || s.sites.includes(r.site)) &&
  (s.events.rules.length === 0 || s.events.rules.includes(r.rule_id));

/** Where a dispatcher that never ran starts: history older than that is not news. */
const FIRST_RUN_MS = 10 * 60_000;
const DEFAULT_BATCH = 2_000;
const SITE_INFO_TTL_MS = 30_000;

export interface Dispatcher {
  /** Starts (elected) or stops dispatching. */
  setLeader(leader: boolean): void;
  /** Asks for a run soon (coalesced with one under way). */
  kick(): void;
  /** One run now; resolves once everything read is queued (tests). */
  runOnce(): Promise<number>;
  /** Rows passed over because no event could be made of them (GET /metrics). */
  skipped(): number;
  stop(): Promise<void>;
}

export interface DispatcherOptions {
  ch: ClickHouseClient;
  log: Logger;
  /**
   * The subscriptions in force, as stored: matching an event needs no secret, so one sealed under
   * a key this process lacks still gets its deliveries queued (they wait for the key).
   */
  subscriptions: () => Promise<readonly Matchable[]>;
  outbox: Outbox;
  publicUrl?: string;
  pollMs: number;
  now: () => number;
  onQueued?: (event: WebhookEvent) => void;
  /** Rows read per statement (tests make it small to cross pages). */
  batch?: number;
}

type Cursor = "transitions" | "acks";

export function makeDispatcher(opts: DispatcherOptions): Dispatcher {
  const { ch, log, now } = opts;
  const BATCH = opts.batch ?? DEFAULT_BATCH;
  const cursors = new Map<Cursor, number>();
  /** Event keys queued lately (per cursor), with when: the overlap reads them again. */
  const doneOf: Record<Cursor, Map<string, number>> = { transitions: new Map(), acks: new Map() };
  let skipped = 0;
  // A site's name, zone and queue names, read at most every 30 s (a failed read is not kept).
  const siteInfos = makeCoalescer((site: string) => siteInfo(ch, site), SITE_INFO_TTL_MS, now);
  const infoOf = (site: string) => siteInfos.get(site);
  let leader = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function cursorOf(name: Cursor): Promise<number> {
    const known = cursors.get(name);
    if (known !== undefined) return known;
    const [row] = await runQuery(ch, loadWebhookCursor, { name });
    const at = row && row.at_ms > 0 ? row.at_ms : now() - FIRST_RUN_MS;
    cursors.set(name, at);
    return at;
  }

  async function advance(name: Cursor, to: number) {
    if (to <= (cursors.get(name) ?? 0)) return;
    await insertRows(ch, WEBHOOK_CURSOR_TABLE, [{ name, at_ms: to, updated_ms: now() }]);
    cursors.set(name, to);
  }

  /** Queues `event` for every enabled subscription that wants it and existed when it happened. */
  function deliveriesOf(
    event: WebhookEvent,
    key: string,
    eventMs: number,
    subs: readonly Matchable[],
  ): NewDelivery[] {
    return subs
      .filter((s) => s.enabled && s.created_ms <= eventMs && wants(s, event))
      .map((s) => ({
        webhook_id: s.id,
        event_key: key,
        type: event.type,
        site: event.data.site.id,
        alert_id: event.data.alert_id,
        event,
      }));
  }

  /**
   * The event of one stored row, or null: a row that cannot make one (a detail of an older shape,
   * a site that cannot be read) is logged and passed over, never left to stop every other
   * subscription's notifications at the same place on every run.
   */
  async function safely(
    what: { alert_id: string; site: string },
    make: () => Promise<WebhookEvent | null>,
  ): Promise<WebhookEvent | null> {
    try {
      return await make();
    } catch (err) {
      skipped++;
      log.warn("webhook dispatch passed over a row it cannot read", {
        site: what.site,
        alert_id: what.alert_id,
        ...errorFields(err),
      });
      return null;
    }
  }

  /**
   * Queues a page's deliveries, then moves the cursor; only then are its keys done. A page that
   * fails anywhere leaves nothing marked: the next run reads it again whole.
   */
  async function commit(
    name: Cursor,
    page: { items: NewDelivery[]; events: WebhookEvent[]; keys: [string, number][] },
    eventMs: number,
    high: number,
  ): Promise<number> {
    const queued = (await opts.outbox.queue(page.items, eventMs)).length;
    await advance(name, high);
    const done = doneOf[name];
    for (const [k, at] of page.keys) done.set(k, at);
    for (const e of page.events) opts.onQueued?.(e);
    return queued;
  }

  async function runOnceInner(): Promise<number> {
    let queued = 0;
    // Read fresh each run: a subscription made a moment ago receives what happens from then on.
    const subs = await opts.subscriptions();
    const anyone = subs.some((s) => s.enabled);

    // Transitions: firing and resolved of every rule (follow-ups overdue among them).
    const fromT = (await cursorOf("transitions")) - OVERLAP_MS;
    let afterT: { ms: number; site: string; alert_id: string; kind: string } | undefined;
    for (;;) {
      const rows = await runQuery(ch, loadTransitionsRecordedSince, {
        from_ms: fromT,
        after: afterT,
        limit: BATCH,
      });
      const lastT = rows.at(-1);
      if (lastT)
        afterT = {
          ms: lastT.recorded_ms,
          site: lastT.site,
          alert_id: lastT.alert_id,
          kind: lastT.kind,
        };
      const page = {
        items: [] as NewDelivery[],
        events: [] as WebhookEvent[],
        keys: [] as [string, number][],
      };
      const keyOf = (r: (typeof rows)[number]) =>
        eventKeyOf({ kind: "transition", alert_id: r.alert_id, transition: r.kind });
      const fresh = rows.filter((r) => !doneOf.transitions.has(keyOf(r)));
      // Only rows some enabled subscription could want (by site and rule, known without the
      // event) are made into events: a floor of 50 sites with thousands of alerts flapping must
      // not read every site's names to notify one subscription of one rule.
      const wanted = new Set(fresh.filter((r) => subs.some((s) => couldWant(s, r))));
      // Resolved breaches say who had taken them on.
      const acksBySite = new Map<
        string,
        Map<string, { by_name: string; at_ms: number; note: string }>
      >();
      const resolvedSites = new Set(
        [...wanted].filter((r) => r.kind === "resolved").map((r) => r.site),
      );
      await Promise.all([
        // The sites' names and zones, all at once rather than one after another in the loop.
        ...[...new Set([...wanted].map((r) => r.site))].map((site) =>
          infoOf(site).catch(() => undefined),
        ),
        ...[...resolvedSites].map(async (site) => {
          const ids = [...wanted]
            .filter((r) => r.site === site && r.kind === "resolved")
            .map((r) => r.alert_id);
          const acks = await runQuery(ch, loadAcks, { site, alert_ids: ids });
          acksBySite.set(site, new Map(acks.map((a) => [a.alert_id, a])));
        }),
      ]);
      for (const r of fresh) {
        const key = keyOf(r);
        page.keys.push([key, r.recorded_ms]);
        if (!wanted.has(r)) continue;
        const event = await safely(r, async () =>
          eventOf(await infoOf(r.site), r, {
            ack: acksBySite.get(r.site)?.get(r.alert_id) ?? null,
            publicUrl: opts.publicUrl,
          }),
        );
        if (!event) continue;
        const made = deliveriesOf(event, key, r.at_ms, subs);
        if (made.length) page.events.push(event);
        page.items.push(...made);
      }
      const high = Math.max(await cursorOf("transitions"), ...rows.map((r) => r.recorded_ms));
      queued += await commit(
        "transitions",
        page,
        Math.min(...rows.map((r) => r.at_ms), now()),
        high,
      );
      if (rows.length < BATCH) break;
    }

    // Acknowledgements: "breach acknowledged".
    const fromA = (await cursorOf("acks")) - OVERLAP_MS;
    let afterA: { ms: number; site: string; alert_id: string; kind: string } | undefined;
    for (;;) {
      const rows = await runQuery(ch, loadAcksSince, {
        from_ms: fromA,
        after: afterA,
        limit: BATCH,
      });
      const lastA = rows.at(-1);
      if (lastA) afterA = { ms: lastA.at_ms, site: lastA.site, alert_id: lastA.alert_id, kind: "" };
      const page = {
        items: [] as NewDelivery[],
        events: [] as WebhookEvent[],
        keys: [] as [string, number][],
      };
      for (const a of rows) {
        const key = eventKeyOf({ kind: "ack", alert_id: a.alert_id, at_ms: a.at_ms });
        if (doneOf.acks.has(key)) continue;
        page.keys.push([key, a.at_ms]);
        if (!anyone) continue;
        const event = await safely(a, async () => {
          const ts = await runQuery(ch, loadAlertTransitions, {
            site: a.site,
            alert_id: a.alert_id,
          });
          const t = ts.find((x) => x.kind === "firing") ?? ts.at(-1);
          if (!t) return null;
          // The acknowledged alert as it fired (or as it last stood, when it never did).
          const ti: TransitionIn = {
            ...t,
            site: a.site,
            kind: t.kind === "resolved" ? "resolved" : "firing",
            fired_ms: t.kind === "firing" ? t.at_ms : t.fired_ms,
          };
          return eventOf(await infoOf(a.site), ti, {
            ack: a,
            acknowledging: true,
            publicUrl: opts.publicUrl,
          });
        });
        if (!event) continue;
        const made = deliveriesOf(event, key, a.at_ms, subs);
        if (made.length) page.events.push(event);
        page.items.push(...made);
      }
      const high = Math.max(await cursorOf("acks"), ...rows.map((r) => r.at_ms));
      queued += await commit("acks", page, Math.min(...rows.map((r) => r.at_ms), now()), high);
      if (rows.length < BATCH) break;
    }

    // Keys older than their cursor's overlap are never read again.
    for (const name of ["transitions", "acks"] as const) {
      const horizon = (cursors.get(name) ?? 0) - 2 * OVERLAP_MS;
      for (const [k, at] of doneOf[name]) if (at < horizon) doneOf[name].delete(k);
    }
    return queued;
  }

  // Runs one after another; a call while one runs gets the next run, which starts after it and
  // so reads everything stored by the time of the call.
  let chain: Promise<unknown> = Promise.resolve();
  let next: Promise<number> | null = null;
  function runOnce(): Promise<number> {
    if (next) return next;
    const run = chain
      .catch(() => {})
      .then(() => {
        next = null;
        return runOnceInner();
      });
    next = run;
    chain = run;
    return run;
  }

  function schedule() {
    clearTimeout(timer);
    if (!leader) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((err: unknown) => log.warn("webhook dispatch failed; retried", errorFields(err)))
        .finally(schedule);
    }, opts.pollMs);
    timer.unref();
  }

  return {
    setLeader(next) {
      if (next === leader) return;
      leader = next;
      // A new term reads the cursor as stored: another process may have moved it.
      cursors.clear();
      doneOf.transitions.clear();
      doneOf.acks.clear();
      if (leader) {
        schedule();
        void runOnce().catch((err: unknown) =>
          log.warn("webhook dispatch failed; retried", errorFields(err)),
        );
      } else clearTimeout(timer);
    },
    kick() {
      if (!leader) return;
      void runOnce().catch((err: unknown) =>
        log.warn("webhook dispatch failed; retried", errorFields(err)),
      );
    },
    runOnce,
    skipped: () => skipped,
    async stop() {
      leader = false;
      clearTimeout(timer);
      await chain.catch(() => {});
    },
  };
}
