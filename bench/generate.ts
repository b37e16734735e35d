// Synthetic facts for the read-side benchmarks (bench:metrics, bench:api), written straight into
// the fact tables as the deriver would (the materialized views fill the rollups as in
// production): deriving millions of events through Kafka would measure the ingest, which
// bench:ingest does. Deterministic: every run generates the same data.
import { wallClock } from "@floorwatch/contracts";
import {
  ident,
  insertRows,
  QUEUE_DEFINITIONS_TABLE,
  SITES_TABLE,
  sql,
  type ClickHouseClient,
} from "@floorwatch/sql";

const H = 3_600_000;

/**
 * A time zone where it is evening at `now`: a day's events generated "today" there span most of a
 * local day, whatever time the bench runs.
 */
export function eveningZone(now: number): string {
  const zones = [
    "Pacific/Kiritimati",
    "Pacific/Auckland",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Europe/Moscow",
    "Europe/Berlin",
    "Europe/London",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Pacific/Honolulu",
  ];
  return zones.reduce((best, tz) =>
    Math.abs(wallClock(tz, now).h - 20) < Math.abs(wallClock(best, now).h - 20) ? tz : best,
  );
}

/**
 * Merges the generated parts as merges would have over time, and waits until none is left running
 * to compete with the measurements.
 */
export async function settle(ch: ClickHouseClient, database: string): Promise<void> {
  for (const table of [
    "contact_facts",
    "survey_facts",
    "agent_intervals",
    "open_visits",
    "agent_current",
    "queue_quarter",
  ])
    await ch.command({ query: sql`OPTIMIZE TABLE ${ident(table)} FINAL`.text });
  for (let i = 0; i < 600; i++) {
    const running = Number(
      (
        await (
          await ch.query({
            query: sql`SELECT count() AS n FROM system.merges WHERE database = ${database}`.text,
            format: "JSONEachRow",
          })
        ).json<{ n: string }>()
      )[0]?.n,
    );
    if (running === 0) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

export function makeGenerator(ch: ClickHouseClient) {
  /** A deterministic pseudo-random stream, so every run generates the same data. */
  function rng(seed: number) {
    let s = seed >>> 0;
    return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  }

  const queueName = (i: number) => `q${String(i).padStart(3, "0")}`;

  async function defineSite(site: string, tz: string, queues: number) {
    await insertRows(ch, SITES_TABLE, [
      { site, tz, name: site, updated_ms: 1, updated_by: "bench" },
    ]);
    await insertRows(
      ch,
      QUEUE_DEFINITIONS_TABLE,
      Array.from({ length: queues }, (_, i) => ({
        site,
        queue: queueName(i),
        version: 1,
        valid_from_ms: 0,
        channel: "voice",
        sl_threshold_s: 20,
        short_abandon_s: 5,
        sl_target: 0.8,
        name_zh: "",
        name_en: "",
        created_ms: 0,
        created_by: "bench",
      })),
    );
  }

  /**
   * Contact and survey facts of `contacts` contacts spread over [fromMs, toMs), with `waiting`
   * open visits at the end.
   */
  async function generateContacts(
    site: string,
    queues: number,
    contacts: number,
    fromMs: number,
    toMs: number,
    seed: number,
    waiting = 200,
  ) {
    const rand = rng(seed);
    const CHUNK = 100_000;
    let facts: object[] = [];
    let surveys: object[] = [];
    const flush = async () => {
      await insertRows(ch, "contact_facts", facts);
      await insertRows(ch, "survey_facts", surveys);
      facts = [];
      surveys = [];
    };
    for (let i = 0; i < contacts; i++) {
      const contact = `${site}-c${i}`;
      const queue = queueName(Math.floor(rand() * queues));
      const start = fromMs + Math.floor(((toMs - fromMs - 20 * 60_000) * i) / contacts);
      const wait = Math.floor(rand() * 240_000);
      const roll = rand();
      const outcome = roll < 0.85 ? "answered" : roll < 0.95 ? "abandoned" : "callback";
      const end = start + wait;
      const base = {
        site,
        contact_id: contact,
        queue,
        channel: "voice",
        tier: "standard",
        detail: "",
        start_event_id: `${contact}-q`,
      };
      // Judged as the deriver judges (version 1 of a voice queue: T = 20 s, S = 5 s).
      const judged = {
        sl_version: 1,
        within_sl: outcome === "answered" && wait <= 20_000 ? 1 : 0,
        short_abandon: outcome === "abandoned" && wait < 5_000 ? 1 : 0,
      };
      facts.push({
        ...base,
        ...judged,
        kind: "visit",
        anchor_at: Math.floor(end / 1000),
        anchor_ms: end,
        start_ms: start,
        agent_id: "",
        outcome,
        duration_ms: wait,
        end_event_id: `${contact}-e`,
        fact_id: `${contact}-v`,
        sign: 1,
      });
      if (outcome === "answered") {
        const agent = `a${Math.floor(rand() * 2000)}`;
        const wrap = end + 120_000 + Math.floor(rand() * 400_000);
        facts.push({
          ...base,
          kind: "handled",
          anchor_at: Math.floor(wrap / 1000),
          anchor_ms: wrap,
          start_ms: end,
          agent_id: agent,
          outcome: rand() < 0.9 ? "resolved" : "unresolved",
          duration_ms: wrap - end,
          end_event_id: `${contact}-w`,
          fact_id: `${contact}-h`,
          sign: 1,
        });
        if (rand() < 0.05)
          facts.push({
            ...base,
            kind: "transfer",
            anchor_at: Math.floor((end + 60_000) / 1000),
            anchor_ms: end + 60_000,
            start_ms: end,
            agent_id: agent,
            outcome: queueName(0),
            duration_ms: -1,
            end_event_id: `${contact}-t`,
            fact_id: `${contact}-t`,
            sign: 1,
          });
        if (rand() < 0.2) {
          const at = wrap + 60_000;
          surveys.push({
            site,
            anchor_at: Math.floor(at / 1000),
            anchor_ms: at,
            survey_id: `${contact}-s`,
            contact_id: contact,
            queue,
            channel: "voice",
            agent_id: agent,
            csat: 1 + Math.floor(rand() * 5),
            nps: Math.floor(rand() * 11),
            resolved: rand() < 0.8 ? 1 : 0,
            event_id: `${contact}-s`,
            fact_id: `${contact}-s`,
            sign: 1,
          });
        }
      }
      if (facts.length >= CHUNK) await flush();
    }
    await flush();
    // Who waits now: open visits in the last five minutes (open_visits after merges have folded
    // every visit that ended).
    for (let i = 0; i < waiting; i++) {
      const start = toMs - Math.floor(rand() * 300_000);
      facts.push({
        site,
        contact_id: `${site}-w${i}`,
        queue: queueName(i % queues),
        channel: "voice",
        tier: "standard",
        detail: "",
        start_event_id: `${site}-w${i}`,
        kind: "open",
        anchor_at: Math.floor(start / 1000),
        anchor_ms: start,
        start_ms: start,
        agent_id: "",
        outcome: "",
        duration_ms: -1,
        end_event_id: "",
        fact_id: `${site}-w${i}`,
        sign: 1,
      });
    }
    await insertRows(ch, "open_visits", facts);
    facts = [];
  }

  /**
   * Agent state intervals: each agent changes state every few minutes during its shift (`shift`:
   * hours from each UTC midnight, or all day), logged out in between; the last interval is open.
   */
  async function generateAgents(
    site: string,
    queues: number,
    agents: number,
    fromMs: number,
    toMs: number,
    seed: number,
    shift: [number, number] = [0, 24],
  ) {
    const rand = rng(seed);
    const STATES = ["available", "on_contact", "wrap_up", "on_contact", "wrap_up", "not_ready"];
    let rows: object[] = [];
    const current: object[] = [];
    const push = (a: number, i: number, t: number, to: number, state: string, serves: string[]) =>
      rows.push({
        site,
        agent_id: `a${a}`,
        from_at: Math.floor(t / 1000),
        from_ms: t,
        to_ms: to,
        state,
        reason: "",
        queues: serves,
        team: "",
        name: "",
        event_id: `a${a}-${i}`,
        fact_id: `a${a}-${i}`,
        sign: 1,
      });
    for (let a = 0; a < agents; a++) {
      const serves = [queueName(a % queues), queueName((a * 7 + 3) % queues)];
      let t = fromMs + Math.floor(rand() * 600_000);
      let i = 0;
      while (t < toMs) {
        const day = Math.floor(t / (24 * H)) * 24 * H;
        const [on, off] = [day + shift[0] * H, day + shift[1] * H];
        let next = t + 60_000 + Math.floor(rand() * 600_000);
        let state = STATES[i % STATES.length]!;
        if (t < on || t >= off) {
          // Off shift: logged out until the next shift starts.
          state = "logged_out";
          next = t < on ? on : day + 24 * H + shift[0] * H;
        }
        push(a, i++, t, next < toMs ? next : 0, state, serves);
        if (next >= toMs)
          current.push({
            site,
            agent_id: `a${a}`,
            from_ms: t,
            state,
            reason: "",
            queues: serves,
            team: "",
            name: "",
          });
        t = next;
      }
      if (rows.length >= 100_000) {
        await insertRows(ch, "agent_intervals", rows);
        rows = [];
      }
    }
    await insertRows(ch, "agent_intervals", rows);
    await insertRows(ch, "agent_current", current);
  }

  return { defineSite, generateContacts, generateAgents };
}
