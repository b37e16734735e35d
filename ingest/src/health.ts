// The ingest process's own HTTP port: /healthz for orchestrators, /metrics in Prometheus text.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { IngestCounters } from "./service";

export function prometheusText(c: IngestCounters): string {
  const lines = [
    "# HELP floorwatch_ingest_messages_consumed_total Messages read and committed.",
    "# TYPE floorwatch_ingest_messages_consumed_total counter",
    `floorwatch_ingest_messages_consumed_total ${c.consumed}`,
    "# HELP floorwatch_ingest_rows_inserted_total Rows written to ClickHouse.",
    "# TYPE floorwatch_ingest_rows_inserted_total counter",
    `floorwatch_ingest_rows_inserted_total ${c.inserted}`,
    "# HELP floorwatch_ingest_messages_rejected_total Messages sent to the DLQ, by reason.",
    "# TYPE floorwatch_ingest_messages_rejected_total counter",
    ...Object.entries(c.rejected).map(([reason, n]) => `floorwatch_ingest_messages_rejected_total{reason="${reason}"} ${n}`),
    "# HELP floorwatch_ingest_batches_total Batches written and committed.",
    "# TYPE floorwatch_ingest_batches_total counter",
    `floorwatch_ingest_batches_total ${c.batches}`,
    "# HELP floorwatch_ingest_last_commit_timestamp_seconds When offsets were last committed.",
    "# TYPE floorwatch_ingest_last_commit_timestamp_seconds gauge",
    `floorwatch_ingest_last_commit_timestamp_seconds ${c.lastCommitAt === null ? 0 : c.lastCommitAt / 1000}`,
  ];
  return `${lines.join("\n")}\n`;
}

export function startHealthServer(counters: IngestCounters, port: number, host: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    } else if (req.method === "GET" && req.url === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(prometheusText(counters));
    } else {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found","message":"not found","requestId":""}}');
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve({ server, url: `http://${host}:${(server.address() as AddressInfo).port}` }));
  });
}
