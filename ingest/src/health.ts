// The ingest process's own HTTP port: /healthz for orchestrators, /metrics in Prometheus text.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "./metrics";

export function startHealthServer(
  registry: Registry,
  port: number,
  host: string,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
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
