// The live stream (GET /api/v1/live/stream?view=tv: `event: tv` frames) as the TV reads it: fetch with the screen's bearer
// token (EventSource cannot send one), Server-Sent Events parsed here, reconnection with
// Last-Event-ID, and a watchdog for connections that die silently. When streaming keeps failing
// without ever delivering (a proxy that buffers event streams), the screen falls back to polling
// GET /api/v1/live for a while, then tries the stream again. Plain functions; `createLive` wraps them.
import { makeLivePoller, parseFrame, tvUrl, UNAUTHORIZED_RETRY_MS, type LiveResult } from "./live";

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** Complete events of `buffer` and what is left of it (an event ends at a blank line). */
export function parseSse(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const text = buffer.replace(/\r\n?/g, "\n");
  let start = 0;
  let cut: number;
  while ((cut = text.indexOf("\n\n", start)) >= 0) {
    const e: SseEvent = { event: "message", data: "" };
    let fields = 0;
    for (const line of text.slice(start, cut).split("\n")) {
      if (line === "" || line.startsWith(":")) continue; // comments: heartbeats
      const colon = line.indexOf(":");
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (name === "id") e.id = value;
      else if (name === "event") e.event = value;
      else if (name === "data") e.data = e.data ? `${e.data}\n${value}` : value;
      else continue;
      fields++;
    }
    if (fields > 0 && (e.data !== "" || e.event !== "message")) events.push(e);
    start = cut + 2;
  }
  return { events, rest: text.slice(start) };
}

export interface LiveFeedOptions {
  site: string;
  token?: string | null;
  /** `?layout=` (admin and supervisor tokens only). */
  layout?: string | null;
  onResult: (result: LiveResult, atMs: number) => void;
  fetch?: typeof fetch;
  now?: () => number;
  /** No snapshot for this long: the connection is presumed dead and opened again. */
  watchdogMs?: number;
  /** Stream attempts in a row without a snapshot before polling instead. */
  failuresBeforePolling?: number;
  /** How long to poll before trying the stream again. */
  pollingMs?: number;
}

export interface LiveFeed {
  start(): void;
  stop(): void;
}

/** Snapshots from the stream, else from polling; every outcome reaches `onResult`. */
export function makeLiveFeed(opts: LiveFeedOptions): LiveFeed {
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const watchdogMs = opts.watchdogMs ?? 10_000;
  const failuresBeforePolling = opts.failuresBeforePolling ?? 3;
  const pollingMs = opts.pollingMs ?? 60_000;
  let generation = 0;
  let lastEventId: string | undefined;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let abort: AbortController | undefined;
  let poller: ReturnType<typeof makeLivePoller> | undefined;

  const report = (gen: number, result: LiveResult) => {
    if (gen === generation) opts.onResult(result, now());
  };

  async function stream(gen: number) {
    abort = new AbortController();
    const controller = abort;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let silent = false;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        silent = true;
        controller.abort();
        void reader?.cancel().catch(() => {});
      }, watchdogMs);
    };
    let delivered = false;
    let retryMs = 1_000;
    try {
      arm();
      const res = await doFetch(tvUrl("live/stream", opts.site, opts.layout), {
        signal: controller.signal,
        cache: "no-store",
        headers: {
          accept: "text/event-stream",
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(lastEventId ? { "last-event-id": lastEventId } : {}),
        },
      });
      if (res.status === 401 || res.status === 403) {
        report(gen, { ok: false, error: { kind: "unauthorized" } });
        retryMs = UNAUTHORIZED_RETRY_MS;
        return;
      }
      if (!res.ok || !res.body) {
        report(gen, { ok: false, error: { kind: "http", status: res.status } });
        return;
      }
      reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done || gen !== generation) break;
        arm(); // bytes arrive (heartbeats included): the connection lives
        const parsed = parseSse(buffer + decoder.decode(value, { stream: true }));
        buffer = parsed.rest;
        for (const e of parsed.events) {
          if (e.event === "tv") {
            const result = parseFrame(safeJson(e.data), opts.site);
            if (result.ok) {
              lastEventId = e.id;
              delivered = true;
              failures = 0;
            }
            report(gen, result);
          } else if (e.event === "unavailable")
            report(gen, { ok: false, error: { kind: "http", status: 503 } });
          else if (e.event === "revoked") {
            report(gen, { ok: false, error: { kind: "unauthorized" } });
            retryMs = UNAUTHORIZED_RETRY_MS;
          }
        }
      }
      // The server ended the stream (a restart, a dropped slow listener) or it went silent: the
      // figures stop here.
      if (gen === generation && retryMs !== UNAUTHORIZED_RETRY_MS)
        report(gen, { ok: false, error: { kind: silent ? "timeout" : "network" } });
    } catch {
      report(gen, { ok: false, error: { kind: silent ? "timeout" : "network" } });
    } finally {
      clearTimeout(watchdog);
      controller.abort();
      if (gen === generation) {
        if (!delivered && retryMs !== UNAUTHORIZED_RETRY_MS) failures++;
        if (failures >= failuresBeforePolling) poll(gen);
        else timer = setTimeout(() => void stream(gen), retryMs);
      }
    }
  }

  /** Streaming does not get through: poll for a while, then try the stream again. */
  function poll(gen: number) {
    failures = 0;
    poller = makeLivePoller({
      site: opts.site,
      token: opts.token,
      layout: opts.layout,
      intervalMs: 1_000,
      timeoutMs: 2_500,
      fetch: doFetch,
      now,
      onResult: (r, at) => gen === generation && opts.onResult(r, at),
    });
    poller.start();
    timer = setTimeout(() => {
      poller?.stop();
      poller = undefined;
      if (gen === generation) void stream(gen);
    }, pollingMs);
  }

  return {
    start() {
      const gen = ++generation;
      clearTimeout(timer);
      void stream(gen);
    },
    stop() {
      generation++;
      clearTimeout(timer);
      abort?.abort();
      poller?.stop();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
