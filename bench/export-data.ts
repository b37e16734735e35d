// The month bench:export exports: contact and survey events as the ingest stores them, and the facts
// the ingest's deriver makes of them, written straight into ClickHouse. The rows are the ingest's
// own (rowFor: the mapping of a validated event to its table row; deriveContactFacts, judge,
// factId, deriveSurveyFact: the deriver's pure steps), so the tables are those the ingest would
// leave after deriving these events, without paying Kafka and the per-flush re-derivation for 10
// million events (bench:ingest measures that path). Agents' state intervals come from
// bench/generate.ts, as bench:metrics makes them. Deterministic: every run stores the same rows.
import { channelDefaults, type Event, type ParamVersion } from "@floorwatch/contracts";
import { deriveContactFacts, deriveSurveyFact, factId, judge, rowFor } from "@floorwatch/ingest";
import {
  insertRows,
  loadDefinitions,
  QUEUE_DEFINITIONS_TABLE,
  SITES_TABLE,
  type ClickHouseClient,
  type ContactEventRow,
  type SurveyEventRow,
} from "@floorwatch/sql";
import { makeGenerator } from "./generate";

export const QUEUES = 50;
/** q000…q039 take calls, q040…q049 chats (the names bench/generate.ts's agents serve). */
const CHAT_FROM = 40;
const queueName = (i: number) => `q${String(i).padStart(3, "0")}`;

/** Events per contact on average with the mix below (measured: 4.39). */
export const EVENTS_PER_CONTACT = 4.39;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const COMMENTS = [
  "等了很久, 但问题解决了",
  'agent said "call back later"',
  "fine",
  "信用卡额度, 还是没有提高\n下次再说",
];
const CATEGORIES = ["credit_card", "loans", "wealth", "deposits", "complaint"];
const DISPOSITIONS = ["resolved", "resolved", "resolved", "unresolved", "escalated"] as const;

/** Scores as banks' surveys see them: most 4 and 5, about one in eight low (1 or 2). */
const csatOf = (r: number) => (r < 0.06 ? 1 : r < 0.13 ? 2 : r < 0.25 ? 3 : r < 0.55 ? 4 : 5);

/** One contact's events, its start spread evenly over the month (a few spill into the next). */
function contactEvents(site: string, i: number, start: number, rand: () => number): Event[] {
  const contact = `c${i}`;
  const chat = rand() < 0.3;
  const channel = chat ? ("chat" as const) : ("voice" as const);
  const q = (n: number) => queueName(chat ? CHAT_FROM + (n % 10) : n % CHAT_FROM);
  const queue = q(Math.floor(rand() * 40));
  const agent = `a${Math.floor(rand() * 500)}`;
  const base = { v: 1 as const, site, contact_id: contact };
  const at = (ms: number) => new Date(ms).toISOString();
  let n = 0;
  const id = () => `${contact}-${n++}`;
  const out: Event[] = [
    {
      ...base,
      event_id: id(),
      type: "contact.queued",
      occurred_at: at(start),
      channel,
      queue,
      ...(rand() < 0.05 ? { direction: "outbound" as const } : {}),
      customer: {
        id: `cu${Math.floor(rand() * 400_000)}`,
        tier: rand() < 0.9 ? "standard" : rand() < 0.8 ? "priority" : "vip",
        phone: `13${String(Math.floor(rand() * 1e9)).padStart(9, "0")}`,
      },
    },
  ];
  let t = start + Math.floor(rand() * 240_000);
  const roll = rand();
  if (roll < 0.1) {
    out.push({ ...base, event_id: id(), type: "contact.abandoned", occurred_at: at(t), queue });
    return out;
  }
  if (roll < 0.14) {
    out.push({
      ...base,
      event_id: id(),
      type: "contact.callback_requested",
      occurred_at: at(t),
      queue,
    });
    return out;
  }
  let served = queue;
  if (roll < 0.2) {
    // Flowed out to an overflow queue, answered there.
    served = q(Math.floor(rand() * 40));
    if (served === queue) served = q(Math.floor(rand() * 40) + 1);
    out.push({
      ...base,
      event_id: id(),
      type: "contact.queued",
      occurred_at: at(t),
      channel,
      queue: served,
    });
    t += Math.floor(rand() * 60_000);
  }
  const handle = (q1: string, who: string) => {
    out.push({
      ...base,
      event_id: id(),
      type: "contact.answered",
      occurred_at: at(t),
      queue: q1,
      agent_id: who,
    });
    if (chat) {
      t += 5_000 + Math.floor(rand() * 30_000);
      out.push({
        ...base,
        event_id: id(),
        type: "contact.first_response",
        occurred_at: at(t),
        queue: q1,
        agent_id: who,
      });
    }
    t += 60_000 + Math.floor(rand() * 400_000);
  };
  const finish = (q1: string, who: string) => {
    out.push({
      ...base,
      event_id: id(),
      type: "contact.ended",
      occurred_at: at(t),
      queue: q1,
      agent_id: who,
    });
    t += 10_000 + Math.floor(rand() * 120_000);
    out.push({
      ...base,
      event_id: id(),
      type: "contact.wrapped_up",
      occurred_at: at(t),
      queue: q1,
      agent_id: who,
      disposition: DISPOSITIONS[Math.floor(rand() * DISPOSITIONS.length)]!,
      category: CATEGORIES[Math.floor(rand() * CATEGORIES.length)]!,
    });
  };
  handle(served, agent);
  if (rand() < 0.05) {
    // Transferred to another queue, answered and wrapped up there.
    const to = q(Math.floor(rand() * 40) + 7);
    const other = `a${Math.floor(rand() * 500)}`;
    out.push({
      ...base,
      event_id: id(),
      type: "contact.transferred",
      occurred_at: at(t),
      queue: served,
      agent_id: agent,
      to_queue: to,
    });
    out.push({
      ...base,
      event_id: id(),
      type: "contact.queued",
      occurred_at: at(t),
      channel,
      queue: to,
    });
    t += Math.floor(rand() * 90_000);
    handle(to, other);
    finish(to, other);
    served = to;
  } else finish(served, agent);
  if (rand() < 0.25) {
    t += 60_000 + Math.floor(rand() * 3_600_000);
    const comment = rand() < 0.3 ? COMMENTS[Math.floor(rand() * COMMENTS.length)] : undefined;
    out.push({
      v: 1,
      site,
      event_id: id(),
      type: "survey.completed",
      occurred_at: at(t),
      survey_id: `s-${contact}`,
      contact_id: contact,
      channel,
      queue: served,
      agent_id: agent,
      csat: csatOf(rand()),
      ...(rand() < 0.8 ? { nps: Math.floor(rand() * 11) } : {}),
      ...(rand() < 0.9 ? { resolved: rand() < 0.8 } : {}),
      ...(comment ? { comment } : {}),
    });
  }
  return out;
}

export interface Loaded {
  contacts: number;
  events: number;
  contactFacts: number;
  surveyFacts: number;
}

/**
 * Stores `events` (about) events of `site` in [fromMs, toMs): the site and its 50 queues, the
 * contacts' raw events and their derived facts, and 500 agents' state intervals.
 */
export async function loadMonth(
  ch: ClickHouseClient,
  site: string,
  tz: string,
  fromMs: number,
  toMs: number,
  events: number,
  progress: (msg: string) => void = () => {},
): Promise<Loaded> {
  await insertRows(ch, SITES_TABLE, [{ site, tz, name: site, updated_ms: 1, updated_by: "bench" }]);
  await insertRows(
    ch,
    QUEUE_DEFINITIONS_TABLE,
    Array.from({ length: QUEUES }, (_, i) => {
      const channel = i >= CHAT_FROM ? "chat" : "voice";
      return {
        site,
        queue: queueName(i),
        version: 1,
        valid_from_ms: 0,
        channel,
        ...channelDefaults(channel),
        name_zh: "",
        name_en: "",
        created_ms: 0,
        created_by: "bench",
      };
    }),
  );
  const versions = new Map<string, ParamVersion[]>();
  for (const [queue, q] of await loadDefinitions(ch, site)) versions.set(queue, q.versions);

  const contacts = Math.round(events / EVENTS_PER_CONTACT);
  const rand = rng(7);
  const ingestedMs = toMs + 86_400_000;
  const CHUNK = 25_000; // contacts per insert round
  const totals: Loaded = { contacts, events: 0, contactFacts: 0, surveyFacts: 0 };
  let inFlight: Promise<unknown> = Promise.resolve();
  for (let first = 0; first < contacts; first += CHUNK) {
    const contactRows: ContactEventRow[] = [];
    const surveyRows: SurveyEventRow[] = [];
    const factRows: object[] = [];
    const surveyFactRows: object[] = [];
    for (let i = first; i < Math.min(contacts, first + CHUNK); i++) {
      const start = fromMs + Math.floor(((toMs - fromMs) * i) / contacts);
      const mine: ContactEventRow[] = [];
      for (const e of contactEvents(site, i, start, rand)) {
        const r = rowFor(e, ingestedMs);
        if (r.table === "survey_events") {
          surveyRows.push(r.row);
          const fact = deriveSurveyFact(site, [r.row])!;
          surveyFactRows.push({
            ...fact,
            anchor_at: Math.floor(fact.anchor_ms / 1000),
            fact_id: factId(fact),
            sign: 1,
          });
        } else if (r.table === "contact_events") mine.push(r.row);
      }
      contactRows.push(...mine);
      for (const f of deriveContactFacts(site, `c${i}`, mine)) {
        // Every visit of this mix ends, so no fact belongs in open_visits.
        if (f.kind === "open") throw new Error(`contact c${i} left a visit open`);
        const judged = judge(f, versions.get(f.queue));
        factRows.push({
          ...judged,
          anchor_at: Math.floor(judged.anchor_ms / 1000),
          fact_id: factId(judged),
          sign: 1,
        });
      }
    }
    totals.events += contactRows.length + surveyRows.length;
    totals.contactFacts += factRows.length;
    totals.surveyFacts += surveyFactRows.length;
    // One round in flight while the next is generated.
    await inFlight;
    inFlight = Promise.all([
      insertRows(ch, "contact_events", contactRows),
      insertRows(ch, "survey_events", surveyRows),
      insertRows(ch, "contact_facts", factRows),
      insertRows(ch, "survey_facts", surveyFactRows),
    ]);
    if ((first / CHUNK) % 10 === 0) progress(`${first} of ${contacts} contacts`);
  }
  await inFlight;
  const { generateAgents } = makeGenerator(ch);
  await generateAgents(site, QUEUES, 500, fromMs, toMs, 4, [1, 10]); // 09:00–18:00 in Shanghai
  return totals;
}
