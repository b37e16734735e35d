import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { createApi, type AppOptions } from "./app";
import { errorFields } from "@floorwatch/sql";
import { startElection, type Election } from "./alerts/election";
import { hasSubscriptions } from "./webhooks/store";

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
  const { app, evaluator, seen, webhooks, exports } = createApi(opts);
  // Subscriptions exist but nothing could open their URLs and secrets: sending nothing while
  // looking healthy would be worse than not starting.
  if (!webhooks.sealer.available && (await hasSubscriptions(opts.ch)))
    throw new Error(
      "webhook subscriptions exist but WEBHOOK_SECRET_KEY is not set: set it to the key they were sealed with (32 bytes, base64), or delete them",
    );
  // The same with a key that opens none of them (a changed key without the old one in
  // WEBHOOK_SECRET_KEY_PREVIOUS): every notification would wait for a key this process lacks.
  if (webhooks.sealer.available) {
    // The sender's own read: it opens every subscription and notes those it cannot.
    await webhooks.store.current(0);
    const unopenable = [...webhooks.store.unopened()];
    if (unopenable.length)
      throw new Error(
        `webhook subscriptions ${unopenable.join(", ")} cannot be opened with WEBHOOK_SECRET_KEY or WEBHOOK_SECRET_KEY_PREVIOUS: set the key they were sealed with (a changed key: the old one in WEBHOOK_SECRET_KEY_PREVIOUS)`,
      );
  }
  const server = await listen(app, opts);
  let election: Election | undefined;
  let closing = false;
  // The API serves whether or not Kafka answers: alerts are read from what is stored, and the
  // election is joined in the background, retried until it succeeds or the server closes.
  const joining = (async () => {
    for (let attempt = 0; opts.election && !closing; attempt++) {
      try {
        election = await startElection({
          ...opts.election,
          log: opts.log,
          // The elected process evaluates, sends notifications and makes the scheduled packs:
          // one of each per deployment.
          onChange: (leader) => {
            evaluator.setLeader(leader);
            webhooks.setLeader(leader);
            exports.setLeader(leader);
          },
        });
        if (closing) await election.stop();
        return;
      } catch (err) {
        opts.log.warn("alert election cannot start; retrying", {
          attempt,
          ...errorFields(err),
        });
        await new Promise((r) => setTimeout(r, Math.min(30_000, 1_000 * 2 ** attempt)).unref());
      }
    }
  })();
  return {
    url: server.url,
    async close() {
      closing = true;
      await Promise.race([joining, new Promise((r) => setTimeout(r, 2_000).unref())]);
      await election?.stop();
      await evaluator.stop();
      await webhooks.stop();
      await exports.stop();
      await server.close();
      // After the server: the last requests' heartbeats are in memory until then.
      await seen.close();
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
