// Demo traffic for `npm start`: a small contact centre whose queues behave like a bank's on a
// weekday, so the wallboard is alive without real telephony. Each queue has a team of named agents
// (a few of them also serve a second queue), logged in at start; contacts arrive at random, most
// are answered within the service-level threshold by a free agent of their queue, some abandon;
// the agent goes on contact, into wrap-up, back to available (now and then into a break, training
// or a meeting first); about three in ten handled contacts get a survey a few minutes later. Most
// queues meet 80 % within 20 s (voice) or 60 s (chat); loans and complaints are under pressure, so
// the floor shows warnings and breaches too. Pure and seeded: the runner in main.ts only asks it
// for the events that are due and sends them; the same seed gives the same events however often
// it is asked.
import type { AgentState, Channel, Disposition, Event } from "@floorwatch/contracts";

export interface DemoQueue {
  queue: string;
  channel: Channel;
  /** The names a screen shows in Chinese and in English (configured at demo start, queues.ts). */
  name_zh: string;
  name_en: string;
  /** Mean arrivals per minute. */
  arrivalsPerMin: number;
  /** Mean wait before an answer (or an abandon), seconds; exponentially distributed. */
  meanWaitS: number;
  /** Share of callers who abandon instead. */
  abandonShare: number;
  /** The queue's team: agents whose home queue this is. */
  agents: number;
  /** A second queue every third agent of the team also serves. */
  alsoServes?: string;
  /** Share of wrap-ups with disposition `resolved`. */
  resolvedShare: number;
  /** Share of survey answers scoring csat 4 or 5. */
  satisfiedShare: number;
}

// Sized so that a free agent is nearly always there when a contact's wait is over (occupancy about
// 60-70 % with breaks): the waits, and so the service levels, are the ones drawn here. Healthy
// voice queues: waits of ~8 s mean give ~85-90 % within 20 s; chat ~25 s gives ~90 % within 60 s.
export const DEMO_QUEUES: DemoQueue[] = [
  {
    queue: "credit_card",
    channel: "voice",
    name_zh: "信用卡",
    name_en: "Credit cards",
    arrivalsPerMin: 2,
    meanWaitS: 8,
    abandonShare: 0.03,
    agents: 16,
    alsoServes: "deposits",
    resolvedShare: 0.94,
    satisfiedShare: 0.92,
  },
  {
    queue: "loans",
    channel: "voice",
    name_zh: "个人贷款",
    name_en: "Personal loans",
    arrivalsPerMin: 1,
    meanWaitS: 13,
    abandonShare: 0.07,
    agents: 7,
    resolvedShare: 0.9,
    satisfiedShare: 0.87,
  },
  {
    queue: "wealth",
    channel: "voice",
    name_zh: "财富管理",
    name_en: "Wealth management",
    arrivalsPerMin: 0.6,
    meanWaitS: 7,
    abandonShare: 0.02,
    agents: 7,
    alsoServes: "loans",
    resolvedShare: 0.95,
    satisfiedShare: 0.94,
  },
  {
    queue: "deposits",
    channel: "voice",
    name_zh: "存款业务",
    name_en: "Deposits",
    arrivalsPerMin: 1.2,
    meanWaitS: 8,
    abandonShare: 0.03,
    agents: 11,
    alsoServes: "credit_card",
    resolvedShare: 0.95,
    satisfiedShare: 0.93,
  },
  {
    queue: "complaint",
    channel: "voice",
    name_zh: "投诉受理",
    name_en: "Complaints",
    arrivalsPerMin: 0.5,
    meanWaitS: 25,
    abandonShare: 0.12,
    agents: 5,
    resolvedShare: 0.8,
    satisfiedShare: 0.72,
  },
  {
    queue: "online_chat",
    channel: "chat",
    name_zh: "在线客服",
    name_en: "Online chat",
    arrivalsPerMin: 1.6,
    meanWaitS: 25,
    abandonShare: 0.04,
    agents: 14,
    resolvedShare: 0.93,
    satisfiedShare: 0.9,
  },
];

export interface DemoAgent {
  agent_id: string;
  /** Shown on agent views; the demo floor is in China. */
  name: string;
  team: string;
  /** Home queue first. */
  queues: string[];
}

// biome-ignore format: a table of names
const NAMES = [
  "王芳", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "周婷", "吴昊",
  "徐丽", "孙强", "胡雪", "朱琳", "高峰", "林晓", "何欣", "郭涛", "马丽", "罗勇",
  "梁爽", "宋佳", "郑凯", "谢婷", "韩冰", "唐军", "冯瑶", "于洋", "董洁", "萧然",
  "程亮", "曹颖", "袁野", "邓超", "许晴", "傅雷", "沈悦", "曾毅", "彭丹", "吕航",
  "苏琪", "卢峰", "蒋欣", "蔡明", "贾玲", "丁宁", "魏巍", "薛晨", "叶青", "阎冬",
  "余晖", "潘越", "杜鹃", "戴维", "夏雨", "钟睿", "汪洋", "田甜", "任静", "姜涛",
];

/** The demo floor's agents: each queue's team in DEMO_QUEUES order, ids a-01, a-02, … */
export function demoAgents(queues: readonly DemoQueue[] = DEMO_QUEUES): DemoAgent[] {
  const agents: DemoAgent[] = [];
  const served = new Set(queues.map((q) => q.queue));
  for (const q of queues)
    for (let i = 0; i < q.agents; i++) {
      const n = agents.length;
      const also = q.alsoServes && served.has(q.alsoServes) && i % 3 === 2 ? [q.alsoServes] : [];
      agents.push({
        agent_id: `a-${String(n + 1).padStart(2, "0")}`,
        name:
          NAMES[n % NAMES.length] + (n >= NAMES.length ? String(Math.floor(n / NAMES.length)) : ""),
        team: `t-${q.queue}`,
        queues: [q.queue, ...also],
      });
    }
  return agents;
}

export const DEMO_AGENTS: DemoAgent[] = demoAgents();

/** Share of handled contacts whose customer answers the survey. */
export const SURVEY_SHARE = 0.3;
/** Share of wrap-ups after which the agent goes not ready, and for what and how long (minutes). */
const BREAK_SHARE = 0.05;
const BREAKS = [
  { reason: "break", minMin: 5, maxMin: 15, weight: 0.6 },
  { reason: "meeting", minMin: 10, maxMin: 25, weight: 0.25 },
  { reason: "training", minMin: 20, maxMin: 40, weight: 0.15 },
] as const;
/** An agent is available at least this long before the next contact reaches them. */
const READY_GAP_MS = 1_000;

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
const iso = (ms: number) => new Date(Math.round(ms)).toISOString();

/** A survey answer for a contact of `q`: csat mostly 4-5, some 1-2; resolved mostly true. */
function surveyAnswer(
  rng: () => number,
  satisfiedShare: number,
  resolvedContact: boolean,
): { csat: number; resolved: boolean; nps?: number } {
  const r = rng();
  const csat =
    r < satisfiedShare
      ? rng() < 0.6
        ? 5
        : 4
      : r < satisfiedShare + (1 - satisfiedShare) * 0.35
        ? 3
        : rng() < 0.5
          ? 2
          : 1;
  const resolved = rng() < (resolvedContact ? (csat >= 3 ? 0.96 : 0.6) : 0.3);
  if (rng() >= 0.4) return { csat, resolved };
  const nps = Math.min(10, Math.max(0, Math.round(csat * 2.2 - 1 + (rng() - 0.5) * 3)));
  return { csat, resolved, nps };
}

interface Pending {
  at: number;
  /** Scheduling order: keeps events of one instant in the order they were made. */
  n: number;
  event: Event;
}

export interface DemoSimulator {
  /** Events whose time has come by `nowMs`, in time order; schedules the ones that follow. */
  due(nowMs: number): Event[];
  pendingCount(): number;
  readonly agents: readonly DemoAgent[];
}

export function makeDemoSimulator(opts: {
  site: string;
  startMs: number;
  seed?: number;
  queues?: DemoQueue[];
}): DemoSimulator {
  const rng = makeRng(opts.seed ?? 1);
  const queues = opts.queues ?? DEMO_QUEUES;
  const agents = demoAgents(queues);
  const byQueue = new Map(
    queues.map((q) => [q.queue, agents.filter((a) => a.queues.includes(q.queue))]),
  );
  /** When each agent is available with nothing booked from then on. */
  const freeAt = new Map(agents.map((a) => [a.agent_id, opts.startMs]));
  const pending: Pending[] = [];
  let scheduled = 0;
  const nextArrival = queues.map((q) => opts.startMs + exponential(rng, 60_000 / q.arrivalsPerMin));
  let seq = 0;
  const id = () => `demo-${opts.startMs.toString(36)}-${(seq++).toString(36)}`;
  const base = (ms: number) => ({
    v: 1 as const,
    event_id: id(),
    occurred_at: iso(ms),
    site: opts.site,
  });
  const push = (at: number, event: Event) => pending.push({ at, n: scheduled++, event });
  const agentState = (at: number, a: DemoAgent, state: AgentState, reason?: string) =>
    push(at, {
      ...base(at),
      type: "agent.state_changed",
      agent_id: a.agent_id,
      state,
      ...(reason ? { reason } : {}),
      // Every event carries who the agent is: a screen opened later needs no login event.
      queues: a.queues,
      team: a.team,
      name: a.name,
    });

  // Everyone logs in at the start.
  for (const a of agents) agentState(opts.startMs, a, "available");

  function arrive(q: DemoQueue, t: number) {
    const contact = `c-${id()}`;
    push(t, {
      ...base(t),
      type: "contact.queued",
      contact_id: contact,
      channel: q.channel,
      queue: q.queue,
      customer: {
        // A customer id, so a low score's follow-up can be tracked (metrics.md).
        id: `cu-${100_000 + Math.floor(rng() * 900_000)}`,
        tier: rng() < 0.1 ? "vip" : "standard",
      },
    });
    const wait = exponential(rng, q.meanWaitS * 1000);
    if (rng() < q.abandonShare) {
      push(t + wait, {
        ...base(t + wait),
        type: "contact.abandoned",
        contact_id: contact,
        queue: q.queue,
      });
      return;
    }
    // A free agent of the queue's own team (idle the longest), else a free one who also serves it;
    // when none is free when the wait is over, the contact waits on for the first one to become
    // free (so nobody is ever on two contacts at once).
    const pool = byQueue.get(q.queue) ?? [];
    let agent: DemoAgent | undefined;
    let agentFree = Number.POSITIVE_INFINITY;
    let rank = 3;
    for (const a of pool) {
      const f = freeAt.get(a.agent_id) ?? opts.startMs;
      const r = f + READY_GAP_MS > t + wait ? 2 : a.queues[0] === q.queue ? 0 : 1;
      if (r < rank || (r === rank && f < agentFree)) [agent, agentFree, rank] = [a, f, r];
    }
    if (!agent) return;
    const answeredAt = Math.max(t + wait, agentFree + READY_GAP_MS);
    const talk = (q.channel === "voice" ? 45_000 : 60_000) + exponential(rng, 150_000);
    const wrap = 5_000 + exponential(rng, 20_000);
    const endedAt = answeredAt + talk;
    const wrappedAt = endedAt + wrap;
    const disposition: Disposition = rng() < q.resolvedShare ? "resolved" : "unresolved";
    const onContact = { contact_id: contact, queue: q.queue, agent_id: agent.agent_id };
    push(answeredAt, { ...base(answeredAt), type: "contact.answered", ...onContact });
    agentState(answeredAt, agent, "on_contact");
    push(endedAt, { ...base(endedAt), type: "contact.ended", ...onContact });
    agentState(endedAt, agent, "wrap_up");
    push(wrappedAt, {
      ...base(wrappedAt),
      type: "contact.wrapped_up",
      ...onContact,
      disposition,
      category: q.queue,
    });
    let readyAt = wrappedAt;
    if (rng() < BREAK_SHARE) {
      let r = rng();
      const b = BREAKS.find((x) => (r -= x.weight) < 0) ?? BREAKS[0];
      agentState(wrappedAt, agent, "not_ready", b.reason);
      readyAt = wrappedAt + (b.minMin + rng() * (b.maxMin - b.minMin)) * 60_000;
    }
    agentState(readyAt, agent, "available");
    freeAt.set(agent.agent_id, readyAt);
    if (rng() < SURVEY_SHARE) {
      const at = wrappedAt + 60_000 + exponential(rng, 180_000);
      push(at, {
        ...base(at),
        type: "survey.completed",
        survey_id: `s-${id()}`,
        contact_id: contact,
        channel: q.channel,
        queue: q.queue,
        agent_id: agent.agent_id,
        ...surveyAnswer(rng, q.satisfiedShare, disposition === "resolved"),
      });
    }
  }

  return {
    due(nowMs) {
      // Arrivals in time order over all queues, so agents shared by two queues are booked in the
      // order their contacts came; the draws do not depend on how often `due` is asked.
      for (;;) {
        let i = -1;
        for (let k = 0; k < queues.length; k++)
          if ((nextArrival[k] ?? Infinity) <= nowMs && (i < 0 || nextArrival[k]! < nextArrival[i]!))
            i = k;
        const q = queues[i];
        if (!q) break;
        const t = nextArrival[i]!;
        arrive(q, t);
        nextArrival[i] = t + exponential(rng, 60_000 / q.arrivalsPerMin);
      }
      pending.sort((a, b) => a.at - b.at || a.n - b.n);
      const n = pending.findIndex((p) => p.at > nowMs);
      return pending.splice(0, n === -1 ? pending.length : n).map((p) => p.event);
    },
    pendingCount: () => pending.length,
    agents,
  };
}

const DAY_MS = 86_400_000;

/**
 * Survey history for demos and screenshots: `days` whole UTC days before the day of `untilMs`,
 * plus that day up to `untilMs`; per queue and day about ten per arrival per minute (a sample: the
 * 14-day trends show ratios), answered between 00:00 and 12:00 UTC (08:00-20:00 in Shanghai), each
 * day's quality a little above or below the queue's usual. Each UTC day's surveys depend only on
 * the seed and the day (times, ids and answers), so sending the history again at every demo start
 * repeats the same event ids, which the ingest keeps once.
 */
export function demoSurveyHistory(opts: {
  site: string;
  untilMs: number;
  days?: number;
  seed?: number;
  queues?: DemoQueue[];
}): Event[] {
  const queues = opts.queues ?? DEMO_QUEUES;
  const agents = demoAgents(queues);
  const seed = opts.seed ?? 1;
  const today = Math.floor(opts.untilMs / DAY_MS);
  const events: Event[] = [];
  for (let day = today - (opts.days ?? 14); day <= today; day++)
    queues.forEach((q, qi) => {
      const rng = makeRng(Math.imul(seed, 0x9e3779b1) ^ Math.imul(day, 0x85ebca6b) ^ (qi + 1));
      const pool = agents.filter((a) => a.queues.includes(q.queue));
      const satisfied = Math.min(1, q.satisfiedShare + (rng() - 0.5) * 0.1);
      const resolvedShare = Math.min(1, q.resolvedShare + (rng() - 0.5) * 0.08);
      const n = Math.round(q.arrivalsPerMin * 10 * (0.8 + rng() * 0.4));
      for (let i = 0; i < n; i++) {
        const at = day * DAY_MS + Math.floor(rng() * DAY_MS * 0.5);
        const agent = pool[Math.floor(rng() * pool.length)];
        const answer = surveyAnswer(rng, satisfied, rng() < resolvedShare);
        if (at >= opts.untilMs) continue;
        const ref = `${opts.site}-${q.queue}-${day}-${i}`;
        events.push({
          v: 1,
          event_id: `demo-hist-${seed}-${ref}`,
          type: "survey.completed",
          occurred_at: iso(at),
          site: opts.site,
          survey_id: `s-hist-${seed}-${ref}`,
          contact_id: `c-hist-${seed}-${ref}`,
          channel: q.channel,
          queue: q.queue,
          ...(agent ? { agent_id: agent.agent_id } : {}),
          ...answer,
        });
      }
    });
  return events.sort((a, b) => a.occurred_at.localeCompare(b.occurred_at));
}
