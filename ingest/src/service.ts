// The ingest process: consumes the four event topics in one consumer group, decodes every message
// (pipeline.ts), buffers rows across partitions (batcher.ts), writes them to ClickHouse and the
// rejects to the DLQ, and only then commits. One instance or several sharing the partitions.
import {
  clickhouseReadRetries,
  createClickHouse,
  errorFields,
  insertRows,
  type ClickHouseClient,
  type Logger,
} from "@floorwatch/sql";
import type { Kafka } from "kafkajs";
import { makeBatcher, type FlushReport } from "./batcher";
import { DEFAULT_ROLLUP_AUDIT_HOURS, type IngestConfig } from "./config";
import { makeConsumerHealth, type ConsumerEvent, type Readiness } from "./consumer-health";
import { makeIngestMetrics, type IngestMetrics } from "./ingest-metrics";
import {
  createKafka,
  createPublisher,
  ensureTopics,
  startConsumer,
  type BatchContext,
  type OutgoingMessage,
  type SourceMessage,
} from "./kafka";
import { makeDeriver } from "./derive/deriver";
import { decode, type EventFamily, type RejectReason } from "./pipeline";
import { Abandoned, retryUntilDone } from "./retry";
import { rowFor, type TableRow } from "./rows";

export interface RunningIngest {
  metrics: IngestMetrics;
  /** Whether the consumer is in its group and reading, and if not why (GET /readyz). */
  readiness(): Readiness;
  stop(): Promise<void>;
}

/** DLQ entry: the original key and bytes untouched, the reason and the source in headers. */
export function dlqMessage(
  m: SourceMessage,
  reason: RejectReason,
  detail: string,
  nowMs = Date.now(),
): OutgoingMessage {
  return {
    key: m.key,
    value: m.value,
    headers: {
      ...m.headers,
      "x-floorwatch-reason": reason,
      "x-floorwatch-detail": detail.slice(0, 1000),
      "x-floorwatch-source-topic": m.topic,
      "x-floorwatch-source-partition": String(m.partition),
      "x-floorwatch-source-offset": m.offset,
      "x-floorwatch-rejected-at": new Date(nowMs).toISOString(),
    },
  };
}

export function topicFamilies(config: IngestConfig): Map<string, EventFamily> {
  return new Map<string, EventFamily>([
    [config.topics.calls, "contact"],
    [config.topics.chats, "contact"],
    [config.topics.agents, "agent"],
    [config.topics.surveys, "survey"],
  ]);
}

export async function startIngest(
  config: IngestConfig,
  log: Logger,
  deps: { kafka?: Kafka; ch?: ClickHouseClient } = {},
): Promise<RunningIngest> {
  const kafka = deps.kafka ?? createKafka({ ...config.kafka, log });
  const ch = deps.ch ?? createClickHouse(config.clickhouse);
  const metrics = makeIngestMetrics({ clickhouseReadRetries: () => clickhouseReadRetries(ch) });
  const health = makeConsumerHealth();
  metrics.consumerRunning.set(0);
  const families = topicFamilies(config);
  const deriver = makeDeriver(ch, {
    auditHours: config.rollupAuditHours ?? DEFAULT_ROLLUP_AUDIT_HOURS,
  });
  let stopping = false;
  // The latest heartbeat of the consumer loop: flushes started by the timer heartbeat through it.
  let heartbeat: () => Promise<void> = async () => {};

  await ensureTopics(kafka, [...families.keys(), config.topics.dlq], config.kafka.partitions);
  const dlq = await createPublisher(kafka);

  const retrying = <T>(what: string, fn: () => Promise<T>) =>
    retryUntilDone(fn, {
      isRunning: () => !stopping,
      heartbeat: () => heartbeat(),
      onRetry: (attempt, delayMs, err) => {
        metrics.retries.inc({ operation: what });
        // The first failures are routine (a restart); say it loudly once it lasts.
        (attempt >= 3 ? log.warn : log.info)(`${what} failed; retrying`, {
          attempt,
          delayMs,
          ...errorFields(err),
        });
      },
    });

  // Filled in once the consumer exists; flushes before that have nothing to commit.
  let commit: (offsets: { topic: string; partition: number; offset: string }[]) => Promise<void> =
    async () => {};

  const batcher = makeBatcher(
    {
      insert: (table, rows) =>
        retrying(`insert ${table}`, async () => {
          const started = performance.now();
          await insertRows(ch, table, rows);
          metrics.insertSeconds.observe((performance.now() - started) / 1000);
        }),
      derive: (rowsByTable) =>
        retrying("derive", async () => {
          const started = performance.now();
          const report = await deriver.derive(rowsByTable);
          metrics.deriveSeconds.observe((performance.now() - started) / 1000);
          metrics.factsWritten.inc({ table: "contact_facts" }, report.contactFacts);
          metrics.factsWritten.inc({ table: "agent_intervals" }, report.agentIntervals);
          metrics.factsWritten.inc({ table: "survey_facts" }, report.surveyFacts);
          metrics.factsRetracted.inc({}, report.retracted);
          if (report.repairedCells > 0) {
            metrics.rollupRepaired.inc({}, report.repairedCells);
            log.warn("rollup cells repaired: a failed insert of facts had left them short", {
              cells: report.repairedCells,
            });
          }
        }),
      dlq: (messages) => retrying("dlq write", () => dlq.send(config.topics.dlq, messages)),
      // Commits are cumulative: if one fails (broker away, rebalance), the next flush's commit
      // covers its offsets, and until then a restart only re-reads rows the tables fold together.
      commit: async (offsets) => {
        if (offsets.length === 0) return;
        try {
          await commit(offsets);
          metrics.lastCommit.set(Date.now() / 1000);
        } catch (err) {
          metrics.retries.inc({ operation: "commit" });
          log.warn("offset commit failed; the next flush commits again", errorFields(err));
        }
      },
    },
    { maxRows: config.batch.maxRows, maxMs: config.batch.maxMs },
  );

  const recordFlush = (report: FlushReport | null) => {
    if (!report) return;
    metrics.batchRows.observe(report.rows + report.rejects);
    for (const [table, n] of Object.entries(report.rowsByTable)) metrics.inserted.inc({ table }, n);
    log.debug("flushed", { rows: report.rows, rejects: report.rejects, insertMs: report.insertMs });
  };

  const flush = async () => {
    try {
      recordFlush(await batcher.flush());
    } catch (err) {
      if (!(err instanceof Abandoned)) throw err;
    } finally {
      metrics.buffered.set(batcher.buffered());
    }
  };

  /** Waits for a flush while keeping the group membership alive. */
  const awaitWithHeartbeat = async (p: Promise<unknown>, ctx: BatchContext) => {
    let done = false;
    void p.finally(() => (done = true)).catch(() => {});
    while (!done) {
      await Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, 2_000))]);
      if (!done) await ctx.heartbeat().catch(() => {});
    }
  };

  const handle = async (
    messages: SourceMessage[],
    ctx: BatchContext & { highWatermark: string },
  ) => {
    heartbeat = ctx.heartbeat;
    // Backpressure: while a flush is stuck (ClickHouse down), do not take more from Kafka.
    const previous = batcher.inFlight();
    if (previous !== null) await awaitWithHeartbeat(previous, ctx);
    if (stopping) return false;

    const nowMs = Date.now();
    const rows: TableRow[] = [];
    const rejects: OutgoingMessage[] = [];
    const first = messages[0]!;
    const last = messages.at(-1)!;
    const family = families.get(first.topic) ?? "contact";
    for (const m of messages) {
      const result = decode(m.value, { family, topic: m.topic, nowMs });
      if (result.ok) rows.push(rowFor(result.value, nowMs));
      else {
        metrics.rejected.inc({ reason: result.reason });
        rejects.push(dlqMessage(m, result.reason, result.detail, nowMs));
      }
    }
    metrics.consumed.inc({ topic: first.topic }, messages.length);
    if (rejects.length > 0)
      log.info("messages rejected to the DLQ", {
        count: rejects.length,
        topic: first.topic,
        partition: first.partition,
        reasons: [...new Set(rejects.map((r) => r.headers?.["x-floorwatch-reason"]))],
      });
    const nextOffset = (BigInt(last.offset) + 1n).toString();
    batcher.add({ topic: first.topic, partition: first.partition, nextOffset, rows, rejects });
    metrics.lag.set(Math.max(0, Number(BigInt(ctx.highWatermark) - BigInt(nextOffset))), {
      topic: first.topic,
      partition: String(first.partition),
    });
    metrics.buffered.set(batcher.buffered());

    if (batcher.due(Date.now())) {
      const p = flush();
      await awaitWithHeartbeat(p, ctx);
      await p;
    }
    return true; // taken: kafka.ts moves past these messages (they are buffered, not committed)
  };

  // Every join, rebalance, crash and stop is logged and counted: a consumer that crashed for good
  // or was stopped by something else otherwise left a live process that read nothing, silently.
  const onConsumerEvent = (ev: ConsumerEvent) => {
    health.record(ev);
    metrics.consumerEvents.inc({ event: ev.type });
    metrics.consumerRunning.set(health.readiness().ready ? 1 : 0);
    switch (ev.type) {
      case "group_join":
        log.info("consumer joined its group", {
          groupId: ev.groupId,
          memberId: ev.memberId,
          isLeader: ev.isLeader,
          partitions: ev.assigned,
          durationMs: ev.durationMs,
        });
        return;
      case "rebalancing":
        log.info("consumer group rebalancing", { groupId: ev.groupId, memberId: ev.memberId });
        return;
      case "crash":
        (ev.restart ? log.warn : log.error)(
          ev.restart
            ? "consumer crashed; kafkajs restarts it"
            : "consumer crashed and will not restart; this ingest reads nothing until it is restarted",
          { groupId: ev.groupId, err: ev.error, restart: ev.restart },
        );
        return;
      case "stop":
      case "disconnect":
        if (health.stoppedByUs())
          log.info(`consumer ${ev.type === "stop" ? "stopped" : "disconnected"}`);
        else
          log.warn(
            `consumer ${ev.type === "stop" ? "stopped" : "disconnected"}, not by the ingest's shutdown`,
          );
        return;
    }
  };

  const consumer = await startConsumer(kafka, {
    groupId: config.kafka.groupId,
    topics: [...families.keys()],
    handle,
    log,
    onEvent: onConsumerEvent,
  });
  commit = consumer.commit;

  // The T-ms half of "N rows or T ms": flush a quiet buffer even when no new message arrives.
  const timer = setInterval(
    () => {
      if (!stopping && !batcher.inFlight() && batcher.due(Date.now()))
        void flush().catch((err: unknown) => log.error("flush failed", errorFields(err)));
    },
    Math.max(10, Math.floor(config.batch.maxMs / 4)),
  );

  log.info("ingest started", {
    topics: [...families.keys()],
    groupId: config.kafka.groupId,
    maxRows: config.batch.maxRows,
    maxMs: config.batch.maxMs,
  });

  return {
    metrics,
    readiness: () => health.readiness(),
    stop: async () => {
      // Graceful: stop taking messages, write and commit what is buffered (bounded wait), leave
      // the group. What cannot be written in time is not committed and will be read again.
      health.stopping();
      clearInterval(timer);
      await consumer.pause();
      const final = batcher.flush().then(recordFlush);
      const gaveUp = await Promise.race([
        final.then(
          () => false,
          () => true,
        ),
        new Promise<boolean>((r) => setTimeout(() => r(true), config.batch.shutdownGraceMs)),
      ]);
      stopping = true;
      if (gaveUp)
        log.warn("stopped with an unwritten batch; it was not committed and will be read again", {
          buffered: batcher.buffered(),
        });
      await final.catch(() => {});
      // Quarters still to compare are lost with this process: say which, for `npm run repair`.
      for (const [site, quarters] of deriver.pendingRepairs()) {
        log.error(
          "stopped before the rollup could be compared with the facts; run npm run repair for these quarters",
          {
            site,
            from: new Date(quarters[0]! * 1000).toISOString(),
            to: new Date((quarters.at(-1)! + 900) * 1000).toISOString(),
            quarters: quarters.length,
          },
        );
      }
      await consumer.stop();
      await dlq.close();
      if (!deps.ch) await ch.close();
      log.info("ingest stopped", {
        consumed: metrics.consumed.total(),
        inserted: metrics.inserted.total(),
      });
    },
  };
}
