// Demo traffic generator for `npm start` (off with DEMO=false): sends the simulator's due events
// to the contact topics twice a second, keyed by contact as real producers do.
import { clickhouseConfig, createClickHouse, createLogger, errorFields } from "@floorwatch/sql";
import { createKafka, createPublisher, ensureTopics } from "../kafka";
import { env } from "./env";
import { configureDemoQueues } from "./queues";
import { DEMO_QUEUES, makeDemoSimulator } from "./simulator";

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
await ensureTopics(kafka, [env.TOPIC_CALLS, env.TOPIC_CHATS], 6);
const publisher = await createPublisher(kafka);
// A chat contact's events all travel on the chat topic, not only its contact.queued.
const topicOfQueue = new Map(
  DEMO_QUEUES.map((q) => [q.queue, q.channel === "voice" ? env.TOPIC_CALLS : env.TOPIC_CHATS]),
);
const sim = makeDemoSimulator({ site: env.DEMO_SITE, startMs: Date.now(), seed: env.DEMO_SEED });
let sent = 0;

async function tick() {
  const events = sim.due(Date.now());
  const byTopic = new Map<string, typeof events>();
  for (const e of events) {
    const topic = ("queue" in e && topicOfQueue.get(e.queue)) || env.TOPIC_CALLS;
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), e]);
  }
  for (const [topic, list] of byTopic) {
    await publisher.send(
      topic,
      list.map((e) => ({ key: "contact_id" in e ? e.contact_id : null, value: JSON.stringify(e) })),
    );
  }
  sent += events.length;
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
