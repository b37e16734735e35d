import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiFailure } from "../api";
import { isRefusal, makePoller, type PollResult } from "./poll";

/** A load whose answers the test releases one by one. */
function pending<T>() {
  const calls: { resolve: (v: T) => void; reject: (e: unknown) => void; signal: AbortSignal }[] =
    [];
  const load = (signal: AbortSignal) =>
    new Promise<T>((resolve, reject) => {
      calls.push({ resolve, reject, signal });
      signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
    });
  return { calls, load };
}

describe("makePoller", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("keeps one request in flight and asks again an interval after the last one started", async () => {
    const { calls, load } = pending<number>();
    const results: PollResult<number>[] = [];
    const p = makePoller({
      load,
      intervalMs: 2_000,
      timeoutMs: 10_000,
      onResult: (r) => results.push(r),
    });
    p.start();
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toHaveLength(1); // slow: no second request piled on
    calls[0]!.resolve(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual([{ ok: true, value: 1 }]);
    expect(calls).toHaveLength(2); // already past the interval: at once
    calls[1]!.resolve(2);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3);
    p.stop();
  });

  it("gives a request up after its timeout, as a timeout, and carries on", async () => {
    const { calls, load } = pending<number>();
    const results: PollResult<number>[] = [];
    const p = makePoller({
      load,
      intervalMs: 1_000,
      timeoutMs: 3_000,
      onResult: (r) => results.push(r),
    });
    p.start();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(!r.ok && r.error instanceof ApiFailure && r.error.code).toBe("timeout");
    await vi.advanceTimersByTimeAsync(1); // a timer of 0 ms fires after 1 with fake timers
    expect(calls).toHaveLength(2);
    p.stop();
  });

  it("never reports an answer that arrives after it was stopped or restarted", async () => {
    const { calls, load } = pending<number>();
    const results: PollResult<number>[] = [];
    const p = makePoller({
      load,
      intervalMs: 1_000,
      timeoutMs: 10_000,
      onResult: (r) => results.push(r),
    });
    p.start();
    p.start(); // a new site: the first request is abandoned
    expect(calls[0]!.signal.aborted).toBe(true);
    calls[1]!.resolve(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(results).toEqual([{ ok: true, value: 2 }]);
    p.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(2);
  });

  it("stops asking after a refusal until refreshed", async () => {
    const { calls, load } = pending<number>();
    const results: PollResult<number>[] = [];
    const p = makePoller({
      load,
      intervalMs: 1_000,
      timeoutMs: 10_000,
      onResult: (r) => results.push(r),
      stopOn: isRefusal,
    });
    p.start();
    calls[0]!.reject(new ApiFailure(403, "forbidden", "no"));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    p.refresh();
    expect(calls).toHaveLength(2);
    p.stop();
  });

  it("refreshes at once when idle, and right after the answer when a request is in flight", async () => {
    const { calls, load } = pending<number>();
    const p = makePoller({ load, intervalMs: 10_000, timeoutMs: 20_000, onResult: () => {} });
    p.start();
    p.refresh();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(2);
    calls[1]!.resolve(2);
    await vi.advanceTimersByTimeAsync(100);
    p.refresh();
    expect(calls).toHaveLength(3);
    p.stop();
  });

  it("tells refusals from failures worth retrying", () => {
    expect(isRefusal(new ApiFailure(403, "forbidden", ""))).toBe(true);
    expect(isRefusal(new ApiFailure(503, "unavailable", ""))).toBe(false);
    expect(isRefusal(new ApiFailure(0, "network", ""))).toBe(false);
  });
});
