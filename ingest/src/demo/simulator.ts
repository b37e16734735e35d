// Demo traffic for `npm start`: a small contact centre whose queues behave like a bank's on a
// weekday (arrivals at random, most answered within a minute, some abandoning, a few waiting long
// enough to breach), so the wallboard is alive without real telephony. Pure and seeded: the
// runner in main.ts only asks it for the events that are due and sends them.
import type { Channel, Event } from "@floorwatch/contracts";

export interface DemoQueue {
  queue: string;
  channel: Channel;
  /** The names a screen shows in Chinese and in English (configured at demo start, queues.ts). */
  name_zh: string;
  name_en: string;
  /** Mean arrivals per minute. */
  arrivalsPerMin: number;
  /** Mean wait before an answer, seconds. */
  meanWaitS: number;
  /** Share of callers who abandon instead. */
  abandonShare: number;
}

export const DEMO_QUEUES: DemoQueue[] = [
  {
    queue: "credit_card",
    channel: "voice",
    name_zh: "信用卡",
    name_en: "Credit cards",
    arrivalsPerMin: 9,
    meanWaitS: 35,
    abandonShare: 0.08,
  },
  {
    queue: "loans",
    channel: "voice",
    name_zh: "个人贷款",
    name_en: "Personal loans",
    arrivalsPerMin: 4,
    meanWaitS: 60,
    abandonShare: 0.1,
  },
  {
    queue: "wealth",
    channel: "voice",
    name_zh: "财富管理",
    name_en: "Wealth management",
    arrivalsPerMin: 2,
    meanWaitS: 25,
    abandonShare: 0.04,
  },
  {
    queue: "deposits",
    channel: "voice",
    name_zh: "存款业务",
    name_en: "Deposits",
    arrivalsPerMin: 5,
    meanWaitS: 45,
    abandonShare: 0.07,
  },
  {
    queue: "complaint",
    channel: "voice",
    name_zh: "投诉受理",
    name_en: "Complaints",
    arrivalsPerMin: 2,
    meanWaitS: 150,
    abandonShare: 0.15,
  },
  {
    queue: "online_chat",
    channel: "chat",
    name_zh: "在线客服",
    name_en: "Online chat",
    arrivalsPerMin: 6,
    meanWaitS: 50,
    abandonShare: 0.05,
  },
];

/** mulberry32: small, fast, seedable; quality is ample for demo traffic. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const exponential = (rng: () => number, mean: number) => -Math.log(1 - rng()) * mean;

interface Pending {
  at: number;
  event: Event;
}

export interface DemoSimulator {
  /** Events whose time has come by `nowMs`, in time order; schedules the ones that follow. */
  due(nowMs: number): Event[];
  pendingCount(): number;
}

export function makeDemoSimulator(opts: {
  site: string;
  startMs: number;
  seed?: number;
  queues?: DemoQueue[];
}): DemoSimulator {
  const rng = makeRng(opts.seed ?? 1);
  const queues = opts.queues ?? DEMO_QUEUES;
  const pending: Pending[] = [];
  const nextArrival = new Map(
    queues.map((q) => [q.queue, opts.startMs + exponential(rng, 60_000 / q.arrivalsPerMin)]),
  );
  let seq = 0;
  const id = () => `demo-${opts.startMs.toString(36)}-${(seq++).toString(36)}`;
  const at = (ms: number) => new Date(Math.round(ms)).toISOString();
  const base = (ms: number) => ({
    v: 1 as const,
    event_id: id(),
    occurred_at: at(ms),
    site: opts.site,
  });

  function arrive(q: DemoQueue, t: number) {
    const contact = `c-${id()}`;
    const agent = `a-${String(1 + Math.floor(rng() * 40)).padStart(2, "0")}`;
    pending.push({
      at: t,
      event: {
        ...base(t),
        type: "contact.queued",
        contact_id: contact,
        channel: q.channel,
        queue: q.queue,
        customer: { tier: rng() < 0.1 ? "vip" : "standard" },
      },
    });
    const wait = exponential(rng, q.meanWaitS * 1000);
    if (rng() < q.abandonShare) {
      pending.push({
        at: t + wait,
        event: {
          ...base(t + wait),
          type: "contact.abandoned",
          contact_id: contact,
          queue: q.queue,
        },
      });
      return;
    }
    const answeredAt = t + wait;
    const talk = 60_000 + exponential(rng, 180_000);
    const wrap = 10_000 + exponential(rng, 30_000);
    pending.push(
      {
        at: answeredAt,
        event: {
          ...base(answeredAt),
          type: "contact.answered",
          contact_id: contact,
          queue: q.queue,
          agent_id: agent,
        },
      },
      {
        at: answeredAt + talk,
        event: {
          ...base(answeredAt + talk),
          type: "contact.ended",
          contact_id: contact,
          queue: q.queue,
          agent_id: agent,
        },
      },
      {
        at: answeredAt + talk + wrap,
        event: {
          ...base(answeredAt + talk + wrap),
          type: "contact.wrapped_up",
          contact_id: contact,
          queue: q.queue,
          agent_id: agent,
          disposition: rng() < 0.9 ? "resolved" : "unresolved",
        },
      },
    );
  }

  return {
    due(nowMs) {
      for (const q of queues) {
        let t = nextArrival.get(q.queue) ?? nowMs;
        while (t <= nowMs) {
          arrive(q, t);
          t += exponential(rng, 60_000 / q.arrivalsPerMin);
        }
        nextArrival.set(q.queue, t);
      }
      pending.sort((a, b) => a.at - b.at);
      const n = pending.findIndex((p) => p.at > nowMs);
      return pending.splice(0, n === -1 ? pending.length : n).map((p) => p.event);
    },
    pendingCount: () => pending.length,
  };
}
