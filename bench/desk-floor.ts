// The desk screens' data (issue #14: "supervisor with 100 queues and 2,000 agents, a month report
// of 50 queues"), as contract events to produce through Kafka, so the screens read what the ingest
// derived, not rows written past it. Pure and seeded: the same arguments give the same events.
//
//   floorEvents   today on one site: every agent logs in on two queues and changes state every
//                 few minutes until now; every queue gets contacts over the last hours (most
//                 answered by one of its agents and wrapped up, some abandoned, a few still
//                 waiting) and surveys after some of them, so every queue and agent has figures.
//   monthEvents   a whole month on another site: a few contacts per queue per local day in
//                 business hours (answered or abandoned, wrapped up, some surveyed), enough for a
//                 daily report of every queue and day.
import {
  instantOf,
  wallClock,
  type AgentState,
  type Channel,
  type Disposition,
  type Event,
} from "@floorwatch/contracts";

const M = 60_000;
const H = 60 * M;

/** Deterministic pseudo-random numbers in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const PRODUCTS: [string, string][] = [
  ["信用卡", "Credit cards"],
  ["个人贷款", "Personal loans"],
  ["存款业务", "Deposits"],
  ["财富管理", "Wealth management"],
  ["车险理赔", "Motor claims"],
  ["寿险保全", "Life policy service"],
  ["健康险", "Health insurance"],
  ["投诉处理", "Complaints"],
  ["企业网银", "Business banking"],
  ["在线客服", "Online chat"],
];
const CITIES: [string, string][] = [
  ["北京", "Beijing"],
  ["上海", "Shanghai"],
  ["广州", "Guangzhou"],
  ["深圳", "Shenzhen"],
  ["成都", "Chengdu"],
  ["杭州", "Hangzhou"],
  ["武汉", "Wuhan"],
  ["南京", "Nanjing"],
  ["西安", "Xi'an"],
  ["重庆", "Chongqing"],
];
const SURNAMES = [
  "王",
  "李",
  "张",
  "刘",
  "陈",
  "杨",
  "黄",
  "赵",
  "周",
  "吴",
  "徐",
  "孙",
  "马",
  "朱",
];
const GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明"];

export interface FloorQueue {
  queue: string;
  channel: Channel;
  name_zh: string;
  name_en: string;
}

/** `n` queues named as a bank's regional lines are (上海·信用卡 / Shanghai · Credit cards). */
export function floorQueues(n: number, prefix = "q"): FloorQueue[] {
  return Array.from({ length: n }, (_, i) => {
    const [pz, pe] = PRODUCTS[i % PRODUCTS.length]!;
    const [cz, ce] = CITIES[Math.floor(i / PRODUCTS.length) % CITIES.length]!;
    return {
      queue: `${prefix}${String(i).padStart(3, "0")}`,
      channel: pe === "Online chat" ? "chat" : "voice",
      name_zh: `${cz}·${pz}`,
      name_en: `${ce} · ${pe}`,
    };
  });
}

export interface FloorAgent {
  agent: string;
  name: string;
  team: string;
  queues: string[];
}

/** `n` agents in teams of 20, each on its home queue and a second one. */
export function floorAgents(n: number, queues: readonly FloorQueue[]): FloorAgent[] {
  return Array.from({ length: n }, (_, a) => ({
    agent: `a${String(a).padStart(4, "0")}`,
    name: `${SURNAMES[a % SURNAMES.length]}${GIVEN[Math.floor(a / SURNAMES.length) % GIVEN.length]}${a >= SURNAMES.length * GIVEN.length ? Math.floor(a / (SURNAMES.length * GIVEN.length)) : ""}`,
    team: `team-${String(Math.floor(a / 20)).padStart(2, "0")}`,
    queues: [
      ...new Set([queues[a % queues.length]!.queue, queues[(a * 7 + 3) % queues.length]!.queue]),
    ],
  }));
}

const iso = (ms: number) => new Date(ms).toISOString();

interface ContactPlan {
  site: string;
  contact: string;
  queue: FloorQueue;
  at: number;
  /** Not past this instant: what is later stays unsent (a contact still waiting, a wrap-up due). */
  until: number;
  agents: readonly string[];
  rand: () => number;
  /** Customer id for follow-ups; none when empty. */
  customer?: string;
}

/** One contact's events up to `until`: queued, then answered and wrapped up (or abandoned), maybe surveyed. */
function contactEvents(p: ContactPlan): Event[] {
  const { site, contact, queue, rand } = p;
  const base = { v: 1 as const, site, contact_id: contact, queue: queue.queue };
  const out: Event[] = [
    {
      ...base,
      event_id: `${contact}-q`,
      type: "contact.queued",
      occurred_at: iso(p.at),
      channel: queue.channel,
      ...(p.customer ? { customer: { id: p.customer } } : {}),
    },
  ];
  const wait = Math.floor(-Math.log(1 - rand()) * (queue.channel === "chat" ? 25_000 : 12_000));
  const answeredAt = p.at + wait;
  if (answeredAt > p.until) return out;
  if (rand() < 0.08) {
    out.push({
      ...base,
      event_id: `${contact}-x`,
      type: "contact.abandoned",
      occurred_at: iso(answeredAt),
    });
    return out;
  }
  const agent = p.agents[Math.floor(rand() * p.agents.length)] ?? "a-unassigned";
  out.push({
    ...base,
    event_id: `${contact}-a`,
    type: "contact.answered",
    occurred_at: iso(answeredAt),
    agent_id: agent,
  });
  const wrapAt = answeredAt + 2 * M + Math.floor(rand() * 6 * M);
  if (wrapAt > p.until) return out;
  const dispositions: Disposition[] = [
    "resolved",
    "resolved",
    "resolved",
    "resolved",
    "unresolved",
    "escalated",
  ];
  out.push({
    ...base,
    event_id: `${contact}-w`,
    type: "contact.wrapped_up",
    occurred_at: iso(wrapAt),
    agent_id: agent,
    disposition: dispositions[Math.floor(rand() * dispositions.length)]!,
  });
  const surveyAt = wrapAt + 3 * M;
  if (rand() < 0.3 && surveyAt <= p.until)
    out.push({
      v: 1,
      site,
      event_id: `${contact}-s`,
      type: "survey.completed",
      occurred_at: iso(surveyAt),
      survey_id: `${contact}-s`,
      contact_id: contact,
      channel: queue.channel,
      queue: queue.queue,
      agent_id: agent,
      csat: rand() < 0.85 ? 4 + Math.floor(rand() * 2) : 1 + Math.floor(rand() * 3),
      nps: Math.floor(rand() * 11),
      resolved: rand() < 0.8,
    });
  return out;
}

export interface FloorOptions {
  site: string;
  queues: readonly FloorQueue[];
  agents: readonly FloorAgent[];
  nowMs: number;
  /** Contacts per queue, spread over the `hours` before now. */
  contactsPerQueue: number;
  hours: number;
  seed?: number;
}

/** Today's floor: every agent's states (logged in `hours` ago) and every queue's contacts. */
export function floorEvents(o: FloorOptions): Event[] {
  const rand = rng(o.seed ?? 14);
  const from = o.nowMs - o.hours * H;
  const events: Event[] = [];
  const cycle: AgentState[] = [
    "available",
    "on_contact",
    "wrap_up",
    "available",
    "on_contact",
    "wrap_up",
    "not_ready",
  ];
  for (const a of o.agents) {
    let t = from + Math.floor(rand() * 20 * M);
    for (let i = 0; t < o.nowMs; i++) {
      const state = cycle[i % cycle.length]!;
      events.push({
        v: 1,
        site: o.site,
        event_id: `${o.site}-${a.agent}-${i}`,
        type: "agent.state_changed",
        occurred_at: iso(t),
        agent_id: a.agent,
        state,
        ...(state === "not_ready" ? { reason: "break" } : {}),
        queues: a.queues,
        team: a.team,
        name: a.name,
      });
      t += 4 * M + Math.floor(rand() * 30 * M);
    }
  }
  const serving = new Map<string, string[]>();
  for (const a of o.agents)
    for (const q of a.queues) serving.set(q, [...(serving.get(q) ?? []), a.agent]);
  for (const q of o.queues)
    for (let c = 0; c < o.contactsPerQueue; c++) {
      // The last two of each queue arrive in the last minute: still waiting now.
      const at =
        c >= o.contactsPerQueue - 2
          ? o.nowMs - Math.floor(rand() * M)
          : from + Math.floor(((o.nowMs - 20 * M - from) * c) / o.contactsPerQueue);
      events.push(
        ...contactEvents({
          site: o.site,
          contact: `${o.site}-${q.queue}-${c}`,
          queue: q,
          at,
          until: c >= o.contactsPerQueue - 2 ? at : o.nowMs,
          agents: serving.get(q.queue) ?? [],
          rand,
        }),
      );
    }
  return events;
}

export interface MonthOptions {
  site: string;
  tz: string;
  queues: readonly FloorQueue[];
  /** The month: its year and 1-based month number, in the site's calendar. */
  year: number;
  month: number;
  contactsPerQueuePerDay: number;
  /** Contacts of a queue on a day of the month (1-based); default contactsPerQueuePerDay. */
  contactsOn?: (queue: FloorQueue, day: number) => number;
  /** Agents who answer (ids); default 40 of the site's own. */
  agents?: readonly string[];
  seed?: number;
  /** Nothing later than this is produced (the ingest refuses the future). */
  nowMs: number;
}

/** A month of contacts on every queue, in business hours (09:00–18:00 local) of every day. */
export function monthEvents(o: MonthOptions): Event[] {
  const rand = rng(o.seed ?? 31);
  const agents = o.agents ?? Array.from({ length: 40 }, (_, i) => `m${String(i).padStart(3, "0")}`);
  const days = new Date(Date.UTC(o.year, o.month, 0)).getUTCDate();
  const events: Event[] = [];
  for (let d = 1; d <= days; d++) {
    const open = instantOf(o.tz, o.year, o.month, d, 9);
    for (const q of o.queues)
      for (let c = 0; c < (o.contactsOn?.(q, d) ?? o.contactsPerQueuePerDay); c++) {
        const at = open + Math.floor(rand() * 9 * H);
        if (at > o.nowMs) continue;
        events.push(
          ...contactEvents({
            site: o.site,
            contact: `${o.site}-${q.queue}-${d}-${c}`,
            queue: q,
            at,
            until: o.nowMs,
            agents,
            rand,
          }),
        );
      }
  }
  return events;
}

/** The month before the one containing `ms` in the site's calendar: its year, month, first instant and end. */
export function previousMonth(
  tz: string,
  ms: number,
): { year: number; month: number; from: number; to: number } {
  const { y, mo } = wallClock(tz, ms);
  const year = mo === 1 ? y - 1 : y;
  const month = mo === 1 ? 12 : mo - 1;
  return { year, month, from: instantOf(tz, year, month, 1), to: instantOf(tz, y, mo, 1) };
}
