// Demo traffic generator for `npm start` (off with DEMO=false): sends the simulator's due events
// twice a second, each to its topic and keyed as events.md says (contacts by channel and contact,
// agent states by agent, surveys by contact), after the last 14 days of surveys once (the same
// events at every start, so a restart adds nothing the ingest does not already hold).
import { clickhouseConfig, createClickHouse, createLogger, errorFields } from "@floorwatch/sql";
import { createKafka, createPublisher, ensureTopics } from "../kafka";
import { env } from "./env";
import { configureDemoQueues } from "./queues";
import type { Event } from "@floorwatch/contracts";
import { DEMO_QUEUES, demoSurveyHistory, makeDemoSimulator } from "./simulator";

const log = createLogger("demo", env.LOG_LEVEL);

// The demo queues' names in both languages, where queue configuration lives, before their first
// event: a screen in zh-CN shows 信用卡, not a title made from `credit_card`. The names are for
// show: ClickHouse not answering is logged and the traffic starts anyway.
{
  const ch = createClickHouse(clickhouseConfig(env));
  try {
    const rows = await configureDemoQueues(ch, env.DEMO_SITE, DEMO_QUEUES, Date.now());
    log.info("demo queues named", { site: env.DEMO_SITE, written: rows.length });
  } catch (err) {
    log.warn("demo queues left unnamed", { site: env.DEMO_SITE, ...errorFields(err) });
  } finally {
    await ch.close();
  }
}
const kafka = createKafka({
  brokers: env.KAFKA_BROKERS.split(","),
  clientId: "floorwatch-demo",
  log,
});
// The ingest creates the topics too; whichever process starts first must not fail on their absence.
await ensureTopics(
  kafka,
  [env.TOPIC_CALLS, env.TOPIC_CHATS, env.TOPIC_AGENTS, env.TOPIC_SURVEYS],
  6,
);
const publisher = await createPublisher(kafka);
// A chat contact's events all travel on the chat topic, not only its contact.queued.
const topicOfQueue = new Map(
  DEMO_QUEUES.map((q) => [q.queue, q.channel === "voice" ? env.TOPIC_CALLS : env.TOPIC_CHATS]),
);
const route = (e: Event): { topic: string; key: string } =>
  e.type === "agent.state_changed"
    ? { topic: env.TOPIC_AGENTS, key: e.agent_id }
    : e.type === "survey.completed"
      ? { topic: env.TOPIC_SURVEYS, key: e.contact_id }
      : { topic: topicOfQueue.get(e.queue) ?? env.TOPIC_CALLS, key: e.contact_id };

let sent = 0;
async function send(events: Event[]) {
  const byTopic = new Map<string, Array<{ key: string; value: string }>>();
  for (const e of events) {
    const { topic, key } = route(e);
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), { key, value: JSON.stringify(e) }]);
  }
  // In slices: one send of a large history may be larger than a Kafka request may be.
  for (const [topic, list] of byTopic)
    for (let i = 0; i < list.length; i += 500) await publisher.send(topic, list.slice(i, i + 500));
  sent += events.length;
}

const startMs = Date.now();
const sim = makeDemoSimulator({ site: env.DEMO_SITE, startMs, seed: env.DEMO_SEED });

// The TV's 14-day CSAT and resolution trends have days to show from the first frame. Seeded
// apart from DEMO_SEED: each day's surveys are the same at every start, so the ingest keeps them once.
try {
  await send(demoSurveyHistory({ site: env.DEMO_SITE, untilMs: startMs }));
  log.info("demo survey history sent", { site: env.DEMO_SITE });
} catch (err) {
  log.warn("demo survey history not sent", errorFields(err));
}

async function tick() {
  await send(sim.due(Date.now()));
}

log.info("demo traffic started", { site: env.DEMO_SITE });
const timer = setInterval(
  () => void tick().catch((err: unknown) => log.warn("demo send failed", errorFields(err))),
  500,
);
const shutdown = async () => {
  clearInterval(timer);
  await publisher.close().catch(() => {});
  log.info("demo traffic stopped", { sent });
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
