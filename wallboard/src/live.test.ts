import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fetchLive, liveStatus, makeLivePoller, tvUrl, type LiveResult } from "./live";
import { frame } from "./test-frames";

const good = frame(0);
const loans = good.tiles[0]!;
const json = (body: unknown, status = 200) =>
  vi.fn(
    async (_url: RequestInfo | URL, _init?: RequestInit) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { "content-type": "application/json" },
      }),
  );

describe("fetchLive", () => {
  it("asks for the site's TV frame and returns it when it matches the contract", async () => {
    const f = json(good);
    const r = await fetchLive("demo", { timeoutMs: 1000, fetch: f });
    expect(r).toEqual({ ok: true, frame: good });
    expect(f).toHaveBeenCalledWith(
      "/api/v1/live?site=demo&view=tv",
      expect.objectContaining({ signal: expect.any(AbortSignal) }),
    );
  });

  it("sends the screen's token as a bearer token, and no header without one", async () => {
    const f = json(good);
    await fetchLive("demo", { timeoutMs: 1000, fetch: f, token: "fw_abc" });
    expect(new Headers(f.mock.calls[0]?.[1]?.headers).get("authorization")).toBe("Bearer fw_abc");
    await fetchLive("demo", { timeoutMs: 1000, fetch: f, token: null });
    expect(new Headers(f.mock.calls[1]?.[1]?.headers).get("authorization")).toBeNull();
  });

  it("tells a refused token (401, 403) from other http errors", async () => {
    expect(await fetchLive("demo", { timeoutMs: 1000, fetch: json({ error: {} }, 401) })).toEqual({
      ok: false,
      error: { kind: "unauthorized" },
    });
    expect(await fetchLive("demo", { timeoutMs: 1000, fetch: json({ error: {} }, 403) })).toEqual({
      ok: false,
      error: { kind: "unauthorized" },
    });
  });

  it("escapes the site in the query string", async () => {
    const f = json({ ...good, site: "a&b" });
    await fetchLive("a&b", { timeoutMs: 1000, fetch: f });
    expect(f.mock.calls[0]?.[0]).toBe("/api/v1/live?site=a%26b&view=tv");
  });

  it("reports the status of an http error", async () => {
    const r = await fetchLive("demo", { timeoutMs: 1000, fetch: json({ error: {} }, 503) });
    expect(r).toEqual({ ok: false, error: { kind: "http", status: 503 } });
  });

  it("rejects a body that breaks the contract instead of showing it", async () => {
    const r = await fetchLive("demo", {
      timeoutMs: 1000,
      fetch: json({ ...good, tiles: [{ ...loans, s: "oxo" }] }),
    });
    expect(r).toEqual({ ok: false, error: { kind: "invalid" } });
  });

  it("rejects a body that is not JSON", async () => {
    const f = vi.fn(async () => new Response("<html>proxy login</html>", { status: 200 }));
    expect(await fetchLive("demo", { timeoutMs: 1000, fetch: f })).toEqual({
      ok: false,
      error: { kind: "invalid" },
    });
  });

  it("asks for the layout named in the address, for admin and supervisor tokens", async () => {
    const f = json(good);
    await fetchLive("demo", { timeoutMs: 1000, fetch: f, layout: "floor-2" });
    expect(f.mock.calls[0]?.[0]).toBe("/api/v1/live?site=demo&view=tv&layout=floor-2");
    expect(tvUrl("live/trends", "demo")).toBe("/api/v1/live/trends?site=demo");
  });

  it("rejects a frame of another site", async () => {
    const r = await fetchLive("other", { timeoutMs: 1000, fetch: json(good) });
    expect(r).toEqual({ ok: false, error: { kind: "wrong_site" } });
  });

  it("reports a network failure", async () => {
    const f = vi.fn(async () => {
      throw new TypeError("Failed to fetch");
    });
    expect(await fetchLive("demo", { timeoutMs: 1000, fetch: f })).toEqual({
      ok: false,
      error: { kind: "network" },
    });
  });

  it("gives up on a server that never answers and reports a timeout", async () => {
    const hang: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
      );
    expect(await fetchLive("demo", { timeoutMs: 20, fetch: hang })).toEqual({
      ok: false,
      error: { kind: "timeout" },
    });
  });
});

describe("makeLivePoller", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("polls once per interval and hands every result over", async () => {
    const results: LiveResult[] = [];
    const f = json(good);
    const p = makeLivePoller({
      site: "demo",
      intervalMs: 1000,
      timeoutMs: 500,
      fetch: f,
      onResult: (r) => results.push(r),
    });
    p.start();
    await vi.advanceTimersByTimeAsync(3500);
    p.stop();
    expect(f).toHaveBeenCalledTimes(4); // at 0, 1000, 2000, 3000
    expect(results).toHaveLength(4);
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it("asks only every 15 s while the token is refused, and at full pace again once it is accepted", async () => {
    let refuse = true;
    const f = vi.fn(async () =>
      refuse
        ? new Response("{}", { status: 401 })
        : new Response(JSON.stringify(good), { status: 200 }),
    );
    const p = makeLivePoller({
      site: "demo",
      intervalMs: 1000,
      timeoutMs: 500,
      fetch: f,
      onResult: () => {},
    });
    p.start();
    await vi.advanceTimersByTimeAsync(14_000);
    expect(f).toHaveBeenCalledTimes(1);
    refuse = false;
    await vi.advanceTimersByTimeAsync(1_500); // the 15 s retry, accepted
    await vi.advanceTimersByTimeAsync(3_000);
    p.stop();
    expect(f.mock.calls.length).toBeGreaterThanOrEqual(4);
  });

  it("never has two requests in flight when the server is slower than the interval", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const slow: typeof fetch = async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 2500));
      inFlight--;
      return new Response(JSON.stringify(good));
    };
    const p = makeLivePoller({
      site: "demo",
      intervalMs: 1000,
      timeoutMs: 10_000,
      fetch: slow,
      onResult: () => {},
    });
    p.start();
    await vi.advanceTimersByTimeAsync(10_000);
    p.stop();
    expect(maxInFlight).toBe(1);
  });

  it("keeps polling after a failed request", async () => {
    const results: LiveResult[] = [];
    let n = 0;
    const flaky: typeof fetch = async () => {
      if (n++ === 0) throw new TypeError("Failed to fetch");
      return new Response(JSON.stringify(good));
    };
    const p = makeLivePoller({
      site: "demo",
      intervalMs: 1000,
      timeoutMs: 500,
      fetch: flaky,
      onResult: (r) => results.push(r),
    });
    p.start();
    await vi.advanceTimersByTimeAsync(1500);
    p.stop();
    expect(results.map((r) => r.ok)).toEqual([false, true]);
  });

  it("delivers nothing after stop, even for a request already in flight", async () => {
    const results: LiveResult[] = [];
    const slow: typeof fetch = async () => {
      await new Promise((r) => setTimeout(r, 300));
      return new Response(JSON.stringify(good));
    };
    const p = makeLivePoller({
      site: "demo",
      intervalMs: 1000,
      timeoutMs: 5000,
      fetch: slow,
      onResult: (r) => results.push(r),
    });
    p.start();
    await vi.advanceTimersByTimeAsync(100);
    p.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(results).toHaveLength(0);
  });
});

describe("liveStatus", () => {
  const t0 = 1_000_000;

  it("is connecting before the first answer, for up to five seconds", () => {
    expect(liveStatus({ startedAt: t0, lastOkAt: null, lastError: null }, t0 + 4_000)).toBe(
      "connecting",
    );
  });

  it("is stale when nothing arrived within five seconds of starting", () => {
    expect(liveStatus({ startedAt: t0, lastOkAt: null, lastError: null }, t0 + 5_001)).toBe(
      "stale",
    );
  });

  it("is live while the last good snapshot is at most five seconds old", () => {
    expect(liveStatus({ startedAt: t0, lastOkAt: t0 + 1_000, lastError: null }, t0 + 6_000)).toBe(
      "live",
    );
  });

  it("is stale once the last good snapshot is older than five seconds", () => {
    expect(liveStatus({ startedAt: t0, lastOkAt: t0 + 1_000, lastError: null }, t0 + 6_001)).toBe(
      "stale",
    );
  });

  it("is stale at once when the last request failed, however recent the last good one", () => {
    expect(
      liveStatus(
        { startedAt: t0, lastOkAt: t0, lastError: { kind: "http", status: 500 } },
        t0 + 10,
      ),
    ).toBe("stale");
  });
});
