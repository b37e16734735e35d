import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { createApp, type AppOptions } from "./app";

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export function startServer(
  opts: AppOptions & { port: number; host: string },
): Promise<RunningServer> {
  const app = createApp(opts);
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port: opts.port, hostname: opts.host },
      (info: AddressInfo) => {
        resolve({
          url: `http://${opts.host}:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              // Open keep-alive connections (wallboards polling) must not hold shutdown forever.
              (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            }),
        });
      },
    );
    server.once("error", reject);
  });
}
