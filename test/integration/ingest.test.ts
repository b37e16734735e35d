// The whole event contract through the real Kafka into the real ClickHouse: every event type
// stored field for field, every rejection reason dead-lettered with its reason and the original
// bytes while the messages behind it are stored, redelivery changing nothing, graceful shutdown.
import type { Event } from "@floorwatch/contracts";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { sql, type ClickHouseClient } from "@floorwatch/sql";
import type { KafkaMessage } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCorpus } from "../support/corpus";
import { produce } from "../support/events";
import { createHarness, eventually, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { produceEvents } from "../support/produce";
import { countStored, expectStoredExactly } from "../support/verify";

async function rows(ch: ClickHouseClient, query: string): Promise<Record<string, unknown>[]> {
  const rs = await ch.query({ query, format: "JSONEachRow" });
  return rs.json();
}

describe("ingest of the whole event contract", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let site: string;

  beforeAll(async () => {
    h = await createHarness("ingest");
    site = `site-${h.id}`.replaceAll("_", "-");
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
  });
  afterAll(async () => {
    await ingest?.stop();
    await h?.cleanup();
  });

  it("stores every event type of events.md with every field it carries", async () => {
    const at = "2026-11-22T09:15:00.250+08:00";
    const ev = (type: string, extra: Record<string, unknown>) =>
      ({ v: 1, event_id: `rt-${type}`, type, occurred_at: at, site, ...extra }) as Event;
    const c = { contact_id: "rt-c1", queue: "credit_card" };
    const all: Event[] = [
      ev("contact.queued", {
        ...c,
        channel: "voice",
        direction: "outbound",
        customer: { id: "cust-9", tier: "vip", phone: "13812345678" },
        ignored_extra: "x",
      }),
      ev("contact.answered", { ...c, agent_id: "a-07" }),
      ev("contact.abandoned", c),
      ev("contact.callback_requested", c),
      ev("contact.first_response", { ...c, agent_id: "a-07" }),
      ev("contact.transferred", { ...c, agent_id: "a-07", to_queue: "loans", to_agent_id: "a-09" }),
      ev("contact.ended", { ...c, agent_id: "a-07" }),
      ev("contact.wrapped_up", {
        ...c,
        agent_id: "a-07",
        disposition: "escalated",
        category: "complaint",
      }),
    ];
    const agent = ev("agent.state_changed", {
      agent_id: "a-07",
      state: "not_ready",
      reason: "training",
      queues: ["credit_card", "loans"],
      team: "t-1",
      name: "王芳",
    });
    const agentNoQueues = {
      ...ev("agent.state_changed", { agent_id: "a-08", state: "available" }),
      event_id: "rt-agent-2",
    } as Event;
    const survey = ev("survey.completed", {
      survey_id: "s-31",
      contact_id: "rt-c1",
      channel: "chat",
      queue: "credit_card",
      agent_id: "a-07",
      csat: 2,
      resolved: false,
      comment: "等了太久 waited too long",
    });
    const surveyNpsOnly = {
      ...ev("survey.completed", {
        survey_id: "s-32",
        contact_id: "rt-c2",
        channel: "voice",
        queue: "loans",
        nps: 10,
      }),
      event_id: "rt-survey-2",
    } as Event;
    await produce(h.kafka, h.config.topics.calls, all);
    await produce(h.kafka, h.config.topics.agents, [agent, agentNoQueues]);
    await produce(h.kafka, h.config.topics.surveys, [survey, surveyNpsOnly]);
    await waitForIngested(h);

    const ms = Date.parse(at);
    // FINAL, as every reader of the raw tables (sql/README.md, rule 3): a redelivery after a
    // rebalance stores a copy until the next merge folds it.
    const contacts = await rows(
      h.ch,
      sql`SELECT type, occurred_at, occurred_ms, contact_id, queue, channel, direction, agent_id, customer_id, customer_tier, customer_phone, to_queue, to_agent_id, disposition, category FROM contact_events FINAL WHERE site = ${site} ORDER BY event_id`
        .text,
    );
    expect(contacts).toHaveLength(all.length);
    const byType = Object.fromEntries(contacts.map((r) => [r.type as string, r]));
    expect(byType["contact.queued"]).toMatchObject({
      channel: "voice",
      direction: "outbound",
      customer_id: "cust-9",
      customer_tier: "vip",
      customer_phone: "13812345678",
      occurred_ms: String(ms),
      occurred_at: "2026-11-22 01:15:00",
    });
    expect(byType["contact.transferred"]).toMatchObject({
      agent_id: "a-07",
      to_queue: "loans",
      to_agent_id: "a-09",
    });
    expect(byType["contact.wrapped_up"]).toMatchObject({
      agent_id: "a-07",
      disposition: "escalated",
      category: "complaint",
    });
    expect(byType["contact.abandoned"]).toMatchObject({
      agent_id: "",
      channel: "",
      contact_id: "rt-c1",
      queue: "credit_card",
    });

    const agents = await rows(
      h.ch,
      sql`SELECT event_id, agent_id, state, reason, queues, queues_set, team, name, occurred_ms FROM agent_events FINAL WHERE site = ${site} ORDER BY event_id`
        .text,
    );
    expect(agents).toHaveLength(2);
    expect(agents[0]).toEqual({
      event_id: "rt-agent-2",
      agent_id: "a-08",
      state: "available",
      reason: "",
      queues: [],
      queues_set: 0,
      team: "",
      name: "",
      occurred_ms: String(ms),
    });
    expect(agents[1]).toEqual({
      event_id: "rt-agent.state_changed",
      agent_id: "a-07",
      state: "not_ready",
      reason: "training",
      queues: ["credit_card", "loans"],
      queues_set: 1,
      team: "t-1",
      name: "王芳",
      occurred_ms: String(ms),
    });

    const surveys = await rows(
      h.ch,
      sql`SELECT event_id, survey_id, contact_id, channel, queue, agent_id, csat, nps, resolved, comment FROM survey_events FINAL WHERE site = ${site} ORDER BY event_id`
        .text,
    );
    expect(surveys).toHaveLength(2);
    expect(surveys).toEqual([
      {
        event_id: "rt-survey-2",
        survey_id: "s-32",
        contact_id: "rt-c2",
        channel: "voice",
        queue: "loans",
        agent_id: "",
        csat: null,
        nps: 10,
        resolved: null,
        comment: "",
      },
      {
        event_id: "rt-survey.completed",
        survey_id: "s-31",
        contact_id: "rt-c1",
        channel: "chat",
        queue: "credit_card",
        agent_id: "a-07",
        csat: 2,
        nps: null,
        resolved: 0,
        comment: "等了太久 waited too long",
      },
    ]);
  });

  it("dead-letters every kind of bad message with its reason and original bytes, and stores the good ones behind it", async () => {
    const good = (n: number) => ({
      v: 1,
      event_id: `dlq-good-${n}`,
      type: "contact.queued",
      occurred_at: new Date().toISOString(),
      site,
      contact_id: `dlq-c${n}`,
      channel: "voice",
      queue: "loans",
    });
    const bad: Array<{ reason: string; value: Buffer }> = [
      { reason: "invalid_json", value: Buffer.from("{not json") },
      { reason: "invalid_json", value: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) },
      { reason: "schema", value: Buffer.from(JSON.stringify({ ...good(0), channel: "fax" })) },
      { reason: "schema", value: Buffer.from(JSON.stringify({ ...good(0), v: 2 })) },
      {
        reason: "future_timestamp",
        value: Buffer.from(
          JSON.stringify({
            ...good(0),
            event_id: "dlq-future",
            occurred_at: new Date(Date.now() + 10 * 60_000).toISOString(),
          }),
        ),
      },
      {
        reason: "too_large",
        value: Buffer.from(JSON.stringify({ ...good(0), padding: "x".repeat(70_000) })),
      },
      {
        reason: "wrong_topic",
        value: Buffer.from(
          JSON.stringify({
            v: 1,
            event_id: "dlq-agent",
            type: "agent.state_changed",
            occurred_at: new Date().toISOString(),
            site,
            agent_id: "a-1",
            state: "available",
          }),
        ),
      },
    ];
    // All on one partition (same key), interleaved with good messages.
    const producer = h.kafka.producer();
    await producer.connect();
    const messages = bad.flatMap((b, i) => [
      { key: "same-key", value: b.value, headers: { "x-producer": "test" } },
      { key: "same-key", value: JSON.stringify(good(i + 1)) },
    ]);
    await producer.send({ topic: h.config.topics.calls, acks: -1, messages });
    await producer.disconnect();
    // Committed, so the DLQ entries were sent: what the reader below finds is all there will be.
    await waitForIngested(h);

    const dead: KafkaMessage[] = [];
    const consumer = h.kafka.consumer({ groupId: `${h.config.kafka.groupId}-dlq-reader` });
    await consumer.connect();
    await consumer.subscribe({ topic: h.config.topics.dlq, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void dead.push(message) });
    await eventually(async () => expect(dead).toHaveLength(bad.length));
    await consumer.disconnect();

    const header = (m: KafkaMessage, name: string) => m.headers?.[name]?.toString();
    expect(dead.map((m) => header(m, "x-floorwatch-reason"))).toEqual(bad.map((b) => b.reason));
    dead.forEach((m, i) => {
      expect(m.value?.equals(bad[i]!.value), `original bytes of #${i}`).toBe(true);
      expect(m.key?.toString()).toBe("same-key");
      expect(header(m, "x-producer")).toBe("test");
      expect(header(m, "x-floorwatch-source-topic")).toBe(h.config.topics.calls);
      // Bad and good alternate on one partition: the bad ones sit two offsets apart.
      expect(Number(header(m, "x-floorwatch-source-offset"))).toBe(
        Number(header(dead[0]!, "x-floorwatch-source-offset")) + 2 * i,
      );
      expect(header(m, "x-floorwatch-detail")?.length).toBeGreaterThan(0);
    });
    expect(header(dead[2]!, "x-floorwatch-detail")).toContain("channel");

    const stored = await rows(
      h.ch,
      sql`SELECT count() AS n FROM contact_events FINAL WHERE site = ${site} AND event_id LIKE 'dlq-good-%'`
        .text,
    );
    expect(stored[0]?.n).toBe(String(bad.length));
    for (const reason of [
      "invalid_json",
      "schema",
      "future_timestamp",
      "too_large",
      "wrong_topic",
    ]) {
      expect(ingest.metrics.rejected.get({ reason }), reason).toBeGreaterThan(0);
    }
  });

  it("changes nothing when the same 10,000 events are produced twice", async () => {
    const corpusSite = `${site}-twice`;
    const events = makeCorpus({
      site: corpusSite,
      contacts: 2_400,
      endMs: Date.now(),
      seed: "twice",
    });
    expect(events.length).toBeGreaterThanOrEqual(10_000);
    await waitForIngested(h, await produceEvents(h.kafka, h.config.topics, events));
    expect(await countStored(h.ch, corpusSite)).toBe(events.length);

    // The second copy consumed, written and derived, not merely counts that agree.
    await waitForIngested(h, await produceEvents(h.kafka, h.config.topics, events));
    await expectStoredExactly(h.ch, h.clickhouse, events, corpusSite);
  });
});
