// What the TV tests (issue #12) share: an API served over real HTTP with its evaluator in reach
// (the stream is read as a screen reads it, and an alert fired when the test says), layout writes
// that must succeed, and `tv` frames read off a stream.
import type { AddressInfo } from "node:net";
import { createApi, type AppOptions } from "@floorwatch/api";
import { Layout, TvFrame, type LayoutDraftInput } from "@floorwatch/contracts";
import { serve } from "@hono/node-server";
import { expect } from "vitest";
import { asAdmin, TEST_ADMIN_TOKEN } from "./api";
import type { SseStream } from "./sse";

export interface ServedApi {
  url: string;
  app: ReturnType<typeof createApi>["app"];
  evaluator: ReturnType<typeof createApi>["evaluator"];
  close(): Promise<void>;
}

/** createApi on a port of its own, TEST_ADMIN_TOKEN as its ADMIN_TOKEN; its evaluator idle. */
export async function serveApi(opts: Omit<AppOptions, "adminToken">): Promise<ServedApi> {
  const { app, evaluator } = createApi({ ...opts, adminToken: TEST_ADMIN_TOKEN });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
      resolve({
        url: `http://127.0.0.1:${(info as AddressInfo).port}`,
        app,
        evaluator,
        close: async () => {
          await evaluator.stop();
          await new Promise<void>((done) => {
            server.close(() => done());
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          });
        },
      });
    });
  });
}

/** PUT /layouts/:id as the admin; must succeed. */
export async function putLayout(
  app: { request: ServedApi["app"]["request"] },
  site: string,
  id: string,
  draft: LayoutDraftInput,
): Promise<Layout> {
  const res = await app.request(`/api/v1/layouts/${id}?site=${site}`, {
    method: "PUT",
    body: JSON.stringify(draft),
    headers: { ...asAdmin.headers, "content-type": "application/json" },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return Layout.parse(await res.json());
}

/** The next `tv` frame of a stream (anything else fails the test). */
export async function nextFrame(stream: SseStream, timeoutMs = 5_000): Promise<TvFrame> {
  const e = await stream.next(timeoutMs);
  expect(e.event, e.data).toBe("tv");
  const frame = TvFrame.parse(JSON.parse(e.data));
  expect(e.id).toBe(String(Date.parse(frame.as_of)));
  return frame;
}

/** Frames off the stream until one satisfies `ok` (or fails after `timeoutMs`). */
export async function frameWhere(
  stream: SseStream,
  ok: (f: TvFrame) => boolean,
  timeoutMs = 8_000,
): Promise<TvFrame> {
  const deadline = Date.now() + timeoutMs;
  let last: TvFrame | undefined;
  while (Date.now() < deadline) {
    last = await nextFrame(stream, Math.max(100, deadline - Date.now()));
    if (ok(last)) return last;
  }
  throw new Error(`no frame as expected within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

/** A tile's figures by name: { waiting: [value, state] … }. */
export function tileFigures(frame: TvFrame, key: string) {
  const tile = frame.tiles.find((t) => t.key === key);
  if (!tile) throw new Error(`no tile ${key} in ${frame.tiles.map((t) => t.key).join(", ")}`);
  const figures = frame.layout.figures;
  return Object.fromEntries(figures.map((f, i) => [f, [tile.v[i], tile.s[i]] as const]));
}
