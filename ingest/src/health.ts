// The ingest process's own HTTP port: /healthz (the process answers) and /readyz (its consumer is
// in its group and reading) for orchestrators, /metrics in Prometheus text.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Readiness } from "./consumer-health";
import type { Registry } from "./metrics";

export function startHealthServer(
  registry: Registry,
  port: number,
  host: string,
  readiness: () => Readiness = () => ({ ready: true }),
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    } else if (req.method === "GET" && req.url === "/readyz") {
      // A consumer that crashed for good or was stopped leaves the process alive and /healthz
      // green while nothing is read: /readyz is where that shows, with the reason.
      const r = readiness();
      if (r.ready)
        res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ready"}');
      else
        res
          .writeHead(503, { "content-type": "application/json" })
          .end(JSON.stringify({ status: "unavailable", reason: r.reason }));
    } else if (req.method === "GET" && req.url === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(registry.expose());
    } else {
      res
        .writeHead(404, { "content-type": "application/json" })
        .end('{"error":{"code":"not_found","message":"not found","requestId":""}}');
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () =>
      resolve({ server, url: `http://${host}:${(server.address() as AddressInfo).port}` }),
    );
  });
}
