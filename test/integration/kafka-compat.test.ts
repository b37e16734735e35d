// kafkajs against the Kafka version we run (4.x, which removed old protocol versions): produce,
// consume in a group, commit, and rebalance, through the same wrapper the ingest uses.
import { startConsumer, type RunningConsumer, type SourceMessage } from "@floorwatch/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, eventually, type Harness } from "../support/harness";

describe("kafkajs against the project's Kafka broker", () => {
  let h: Harness;
  const topicOf = () => h.config.topics.calls;

  beforeAll(async () => {
    h = await createHarness("kafkacompat");
  });
  afterAll(async () => {
    await h?.cleanup();
  });

  async function produceNumbers(from: number, to: number) {
    const producer = h.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: topicOf(),
      acks: -1,
      messages: Array.from({ length: to - from }, (_, i) => ({
        key: `k${from + i}`,
        value: String(from + i),
      })),
    });
    await producer.disconnect();
  }

  /** A member that records what it read and commits after every batch, as the ingest does. */
  async function consumer(name: string, seen: Map<string, string[]>): Promise<RunningConsumer> {
    let self: RunningConsumer | undefined;
    self = await startConsumer(h.kafka, {
      groupId: h.config.kafka.groupId,
      topics: [topicOf()],
      log: h.log,
      handle: async (messages: SourceMessage[]) => {
        for (const m of messages)
          seen.set(m.value!.toString(), [...(seen.get(m.value!.toString()) ?? []), name]);
        const last = messages.at(-1)!;
        await self?.commit([
          {
            topic: last.topic,
            partition: last.partition,
            offset: (BigInt(last.offset) + 1n).toString(),
          },
        ]);
      },
    });
    return self;
  }

  it("consumes in a group, commits after each batch, and shares partitions after a rebalance", async () => {
    const seen = new Map<string, string[]>();
    await produceNumbers(0, 300);
    const a = await consumer("a", seen);
    await eventually(async () => expect(seen.size).toBe(300));

    // Commits reach the broker: the group's offsets equal the end of every partition.
    const admin = h.kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topicOf());
    await eventually(async () => {
      const [committed] = await admin.fetchOffsets({
        groupId: h.config.kafka.groupId,
        topics: [topicOf()],
      });
      const byPartition = new Map(committed!.partitions.map((p) => [p.partition, p.offset]));
      for (const end of ends) expect(byPartition.get(end.partition)).toBe(end.high);
    });

    // A second member joins: partitions are split and every new message is read exactly once.
    const b = await consumer("b", seen);
    await eventually(async () => {
      const { groups } = await admin.describeGroups([h.config.kafka.groupId]);
      expect(groups[0]?.members).toHaveLength(2);
      expect(groups[0]?.state).toBe("Stable");
    });
    await produceNumbers(300, 600);
    await eventually(async () => expect(seen.size).toBe(600));
    const readers = new Set(
      [...seen.entries()].filter(([v]) => Number(v) >= 300).flatMap(([, who]) => who),
    );
    expect(readers).toEqual(new Set(["a", "b"]));

    // The first member leaves: the survivor takes over its partitions from the committed offsets.
    await a.stop();
    await produceNumbers(600, 700);
    await eventually(async () => expect(seen.size).toBe(700));
    for (let i = 600; i < 700; i++) expect(seen.get(String(i))).toEqual(["b"]);
    // At least once: a batch in hand when a rebalance starts may be read again from the committed
    // offset (under load it happens); the ingest's tables make a second read change nothing.
    for (const who of seen.values()) expect(who.length).toBeLessThanOrEqual(2);

    await b.stop();
    await admin.disconnect();
  });
});
