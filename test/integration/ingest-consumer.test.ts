// The ingest's consumer group against the real Kafka, as its /metrics and /readyz show it: joins and
// rebalances counted, and /readyz turning 503 with a reason when the consumer stops reading while
// the process lives on.
import type { Server } from "node:http";
import {
  createKafka,
  startHealthServer,
  startIngest,
  type RunningIngest,
} from "@floorwatch/ingest";
import type { Consumer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, eventually, type Harness } from "../support/harness";

const metric = (text: string, series: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

/** An ingest of the harness's group, its /readyz and /metrics, and the kafkajs consumer inside it. */
async function startObserved(h: Harness) {
  const kafka = createKafka({ ...h.config.kafka, log: h.log });
  let consumer: Consumer | undefined;
  const make = kafka.consumer.bind(kafka);
  kafka.consumer = (config) => {
    consumer = make(config);
    return consumer;
  };
  const ingest = await startIngest(h.config, h.log, { kafka });
  const health = await startHealthServer(ingest.metrics.registry, 0, "127.0.0.1", ingest.readiness);
  const get = async (path: string) => {
    const res = await fetch(`${health.url}${path}`);
    return { status: res.status, text: await res.text() };
  };
  return {
    ingest,
    server: health.server,
    consumer: () => consumer!,
    readyz: async () => {
      const r = await get("/readyz");
      return { status: r.status, body: JSON.parse(r.text) as { status: string; reason?: string } };
    },
    metrics: async (series: string) => metric((await get("/metrics")).text, series),
  };
}

describe("the ingest's consumer group on /metrics and /readyz", () => {
  let h: Harness;
  const started: { ingest: RunningIngest; server: Server }[] = [];

  beforeAll(async () => {
    h = await createHarness("consumer");
  });
  afterAll(async () => {
    for (const s of started) {
      await s.ingest.stop().catch(() => {});
      s.server.close();
    }
    await h?.cleanup();
  });

  it("counts joins and rebalances, and says not ready once its consumer is stopped from inside", async () => {
    const first = await startObserved(h);
    started.push(first);
    const joins = 'floorwatch_ingest_consumer_events_total{event="group_join"}';
    await eventually(async () => {
      expect(await first.metrics(joins)).toBe(1);
      expect(await first.metrics("floorwatch_ingest_consumer_running")).toBe(1);
      expect(await first.readyz()).toEqual({ status: 200, body: { status: "ready" } });
    });

    // A second member joins the group: the first rebalances and joins again. The join is what
    // always shows: kafkajs says "rebalancing" only when its fetch loop meets the broker's
    // REBALANCE_IN_PROGRESS, and on a loaded machine the first member may learn of the new
    // generation another way (an expired session, UNKNOWN_MEMBER_ID) and simply join again.
    const second = await startObserved(h);
    started.push(second);
    await eventually(async () => {
      expect(await first.metrics(joins)).toBeGreaterThanOrEqual(2);
      expect(
        await first.metrics('floorwatch_ingest_consumer_events_total{event="rebalancing"}'),
      ).toBeGreaterThanOrEqual(0);
      expect((await second.readyz()).status).toBe(200);
    }, 60_000);
    expect((await first.readyz()).status).toBe(200);

    // Something other than the ingest's shutdown stops the consumer; the process lives on.
    await first.consumer().stop();
    expect(await first.readyz()).toEqual({
      status: 503,
      body: { status: "unavailable", reason: "the consumer was stopped" },
    });
    expect(await first.metrics('floorwatch_ingest_consumer_events_total{event="stop"}')).toBe(1);
    expect(await first.metrics("floorwatch_ingest_consumer_running")).toBe(0);
    // Its shutdown still completes (flush, commit, close) with no consumer left to pause.
    started.splice(started.indexOf(first), 1);
    await first.ingest.stop();
    first.server.close();

    // The ingest's own shutdown is said as such.
    await second.ingest.stop();
    expect((await second.readyz()).body.reason).toBe("the ingest is shutting down");
    expect(await second.metrics("floorwatch_ingest_clickhouse_read_retries_total")).toBe(0);
  });
});
