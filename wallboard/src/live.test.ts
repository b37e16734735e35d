import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fetchLive, liveStatus, makeLivePoller, type LiveResult } from "./live";

// A contract-valid snapshot: one queue, its windows all quiet.
const quiet = {
  offered: 0,
  answered: 0,
  abandoned: 0,
  short_abandoned: 0,
  answered_within_sl: 0,
  service_level: null,
  abandon_rate: null,
  asa_s: null,
  max_wait_s: null,
  callbacks: 0,
  flowed_out: 0,
  handled: 0,
  aht_s: null,
  resolution_rate: null,
  transfer_rate: null,
  first_response_s: null,
  csat: null,
  nps: null,
  fcr_survey: null,
  low_csat: 0,
  csat_responses: 0,
  nps_responses: 0,
  fcr_responses: 0,
  occupancy: null,
  orphaned: 0,
};
const loans = {
  queue: "loans",
  channel: "voice",
  name_zh: "贷款",
  name_en: "Loans",
  waiting: 2,
  longest_waiting_s: 61.5,
  breaching_soon: 2,
  definition: { version: 1, sl_threshold_s: 20, short_abandon_s: 5, sl_target: 0.8 },
  agents: { available: 1, on_contact: 3, wrap_up: 0, not_ready: 1, logged_in: 5 },
  windows: { "15m": quiet, "60m": quiet, today: quiet },
  drill: {
    "15m": "/api/v1/contacts?site=demo&queue=loans",
    "60m": "/api/v1/contacts?site=demo&queue=loans",
    today: "/api/v1/contacts?site=demo&queue=loans",
  },
};
const good = {
  site: "demo",
  tz: "Asia/Shanghai",
  as_of: "2026-11-22T10:00:00Z",
  definition_set: "floorwatch-metrics-v1",
  queues: [loans],
  drill_filters: { answered: "outcome=answered" },
};
const json = (body: unknown, status = 200) =>
  vi.fn(
    async (_url: RequestInfo | URL, _init?: RequestInit) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { "content-type": "application/json" },
      }),
  );

describe("fetchLive", () => {
  it("asks for the site's live snapshot and returns it when it matches the contract", async () => {
    const f = json(good);
    const r = await fetchLive("demo", { timeoutMs: 1000, fetch: f });
    expect(r).toEqual({ ok: true, snapshot: good });
    expect(f).toHaveBeenCalledWith(
      "/api/v1/live?site=demo",
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
    expect(f.mock.calls[0]?.[0]).toBe("/api/v1/live?site=a%26b");
  });

  it("reports the status of an http error", async () => {
    const r = await fetchLive("demo", { timeoutMs: 1000, fetch: json({ error: {} }, 503) });
    expect(r).toEqual({ ok: false, error: { kind: "http", status: 503 } });
  });

  it("rejects a body that breaks the contract instead of showing it", async () => {
    const r = await fetchLive("demo", {
      timeoutMs: 1000,
      fetch: json({ ...good, queues: [{ ...loans, waiting: -1 }] }),
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

  it("rejects a snapshot of another site", async () => {
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
