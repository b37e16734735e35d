import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { LiveResult } from "./live";
import { makeLiveFeed, parseSse } from "./stream";
import { frame } from "./test-frames";

const line = (n: number) =>
  `id: ${1_800_000_000_000 + n * 1000}\nevent: tv\ndata: ${JSON.stringify(frame(n))}\n\n`;

/** A response whose body is fed by the test, chunk by chunk. */
function streamed(status = 200) {
  let push!: (text: string) => void;
  let end!: () => void;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      push = (t) => c.enqueue(new TextEncoder().encode(t));
      end = () => c.close();
    },
  });
  return {
    response: new Response(body, { status, headers: { "content-type": "text/event-stream" } }),
    push: (t: string) => push(t),
    end: () => end(),
  };
}

describe("parseSse", () => {
  it("splits complete events, keeps the unfinished rest, skips comments", () => {
    const { events, rest } = parseSse(
      ': heartbeat\n\nid: 7\nevent: snapshot\ndata: {"a":1}\n\nevent: revo',
    );
    expect(events).toEqual([{ id: "7", event: "snapshot", data: '{"a":1}' }]);
    expect(rest).toBe("event: revo");
  });

  it("joins multi-line data, accepts CRLF and a missing space after the colon", () => {
    expect(parseSse("data:a\r\ndata: b\r\n\r\n").events).toEqual([
      { event: "message", data: "a\nb" },
    ]);
  });

  it("ignores the retry field and empty events", () => {
    expect(parseSse("retry: 2000\n\n\n\n").events).toEqual([]);
  });
});

describe("makeLiveFeed", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("hands every snapshot of the stream over, sent with the screen's token", async () => {
    const s = streamed();
    const f = vi.fn(async () => s.response);
    const results: LiveResult[] = [];
    const feed = makeLiveFeed({
      site: "demo",
      token: "fw_t",
      fetch: f,
      onResult: (r) => results.push(r),
    });
    feed.start();
    await vi.advanceTimersByTimeAsync(0);
    s.push(line(1).slice(0, 50));
    s.push(`${line(1).slice(50)}: heartbeat\n\n${line(2)}`);
    await vi.advanceTimersByTimeAsync(0);
    feed.stop();
    expect(results.map((r) => (r.ok ? r.frame.tiles[0]!.v[0] : r.error.kind))).toEqual([1, 2]);
    expect((f.mock.calls[0] as unknown as [string])[0]).toBe(
      "/api/v1/live/stream?site=demo&view=tv",
    );
    expect(
      new Headers((f.mock.calls[0] as unknown as [string, RequestInit])[1].headers).get(
        "authorization",
      ),
    ).toBe("Bearer fw_t");
  });

  it("reconnects after a dropped stream with the id of the last snapshot it had", async () => {
    const first = streamed();
    const second = streamed();
    const f = vi.fn().mockResolvedValueOnce(first.response).mockResolvedValueOnce(second.response);
    const results: LiveResult[] = [];
    const feed = makeLiveFeed({ site: "demo", fetch: f, onResult: (r) => results.push(r) });
    feed.start();
    await vi.advanceTimersByTimeAsync(0);
    first.push(line(1));
    first.end();
    await vi.advanceTimersByTimeAsync(1_100);
    second.push(line(2));
    await vi.advanceTimersByTimeAsync(0);
    feed.stop();
    expect(results.map((r) => (r.ok ? "snapshot" : r.error.kind))).toEqual([
      "snapshot",
      "network",
      "snapshot",
    ]);
    expect(
      new Headers((f.mock.calls[1] as [string, RequestInit])[1].headers).get("last-event-id"),
    ).toBe(String(1_800_000_001_000));
  });

  it("gives up on a connection that goes silent, and says so", async () => {
    const s = streamed();
    const results: LiveResult[] = [];
    const f = vi.fn().mockResolvedValueOnce(s.response).mockResolvedValue(streamed().response);
    const feed = makeLiveFeed({
      site: "demo",
      fetch: f,
      watchdogMs: 3_000,
      onResult: (r) => results.push(r),
    });
    feed.start();
    await vi.advanceTimersByTimeAsync(0);
    s.push(line(1));
    await vi.advanceTimersByTimeAsync(4_500); // silent 3 s: given up; 1 s later: a new connection
    feed.stop();
    expect(results.map((r) => (r.ok ? "snapshot" : r.error.kind))).toEqual(["snapshot", "timeout"]);
    expect(f).toHaveBeenCalledTimes(2);
  });

  it("names a revoked token and asks again only every 15 s", async () => {
    const f = vi.fn(async () => new Response("{}", { status: 401 }));
    const results: LiveResult[] = [];
    const feed = makeLiveFeed({ site: "demo", fetch: f, onResult: (r) => results.push(r) });
    feed.start();
    await vi.advanceTimersByTimeAsync(14_000);
    expect(f).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2_000);
    feed.stop();
    expect(f).toHaveBeenCalledTimes(2);
    expect(results.every((r) => !r.ok && r.error.kind === "unauthorized")).toBe(true);
  });

  it("polls GET /live when the stream never gets through (a buffering proxy), then tries the stream again", async () => {
    const f = vi.fn(async (url: string) =>
      url.includes("/stream")
        ? new Response("nope", { status: 502 })
        : new Response(JSON.stringify(frame(5)), { status: 200 }),
    );
    const results: LiveResult[] = [];
    const feed = makeLiveFeed({
      site: "demo",
      fetch: f as unknown as typeof fetch,
      failuresBeforePolling: 2,
      pollingMs: 5_000,
      onResult: (r) => results.push(r),
    });
    feed.start();
    await vi.advanceTimersByTimeAsync(1_100); // two stream attempts fail
    await vi.advanceTimersByTimeAsync(3_000); // polling
    const urls = f.mock.calls.map((c) => c[0] as string);
    expect(urls.filter((u) => u.includes("/stream"))).toHaveLength(2);
    expect(urls.filter((u) => !u.includes("/stream")).length).toBeGreaterThanOrEqual(3);
    expect(results.some((r) => r.ok)).toBe(true);
    await vi.advanceTimersByTimeAsync(2_500); // polling time over: the stream again
    feed.stop();
    expect(
      f.mock.calls.map((c) => c[0] as string).filter((u) => u.includes("/stream")).length,
    ).toBe(3);
  });
});
