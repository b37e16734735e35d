import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { createApi, type AppOptions } from "./app";
import { startElection, type Election } from "./alerts/election";

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface ElectionConfig {
  brokers: string[];
  topic: string;
  groupId: string;
  sessionTimeoutMs?: number;
}

export async function startServer(
  opts: AppOptions & {
    port: number;
    host: string;
    /** Where the alert evaluator is elected; without it this process never evaluates. */
    election?: ElectionConfig;
  },
): Promise<RunningServer> {
  const { app, evaluator } = createApi(opts);
  const server = await listen(app, opts);
  let election: Election | undefined;
  if (opts.election) {
    // The server answers while the election connects: alerts are read from what is stored.
    election = await startElection({
      ...opts.election,
      log: opts.log,
      onChange: (leader) => evaluator.setLeader(leader),
    });
  }
  return {
    url: server.url,
    async close() {
      await election?.stop();
      await evaluator.stop();
      await server.close();
    },
  };
}

function listen(
  app: ReturnType<typeof createApi>["app"],
  opts: { port: number; host: string },
): Promise<RunningServer> {
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
