// Runs the ingest as a separate OS process (tsx ingest/src/main.ts), so tests can SIGKILL it
// mid-batch or SIGTERM it, exactly as an orchestrator would.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { IngestConfig } from "@floorwatch/ingest";
import { childEnv } from "./env";

const root = join(import.meta.dirname, "../..");

export interface IngestProcess {
  child: ChildProcess;
  /** Base URL of its /healthz and /metrics. */
  url: Promise<string>;
  exited: Promise<number | null>;
  output(): string;
}

export function spawnIngest(
  config: IngestConfig,
  extraEnv: Record<string, string> = {},
): IngestProcess {
  // node with tsx's loader, not the tsx command: that one runs the script in a child process and
  // relays SIGTERM but cannot relay SIGKILL, so "killing" it left the real ingest running on.
  const child = spawn(process.execPath, ["--import", "tsx", "ingest/src/main.ts"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: childEnv({
      KAFKA_BROKERS: config.kafka.brokers.join(","),
      KAFKA_GROUP_ID: config.kafka.groupId,
      KAFKA_CLIENT_ID: config.kafka.clientId,
      KAFKA_TOPIC_PARTITIONS: String(config.kafka.partitions),
      TOPIC_CALLS: config.topics.calls,
      TOPIC_CHATS: config.topics.chats,
      TOPIC_AGENTS: config.topics.agents,
      TOPIC_SURVEYS: config.topics.surveys,
      TOPIC_DLQ: config.topics.dlq,
      CLICKHOUSE_URL: config.clickhouse.url,
      CLICKHOUSE_USER: config.clickhouse.user,
      CLICKHOUSE_PASSWORD: config.clickhouse.password,
      CLICKHOUSE_DATABASE: config.clickhouse.database,
      BATCH_MAX_ROWS: String(config.batch.maxRows),
      BATCH_MAX_MS: String(config.batch.maxMs),
      INGEST_PORT: "0",
      LOG_LEVEL: "info",
      ...extraEnv,
    }),
  });
  let out = "";
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /"msg":"ingest health and metrics","url":"([^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    child.once("exit", (code) =>
      reject(new Error(`ingest exited (${code}) before it was ready:\n${out.slice(-2000)}`)),
    );
  });
  url.catch(() => {});
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  return { child, url, exited, output: () => out };
}
