import { describe, expect, it } from "vitest";
import { makeConsumerHealth, type ConsumerEvent } from "./consumer-health";

const join: ConsumerEvent = {
  type: "group_join",
  groupId: "g",
  memberId: "m",
  isLeader: true,
  assigned: { "cc.calls": [0, 1] },
  durationMs: 12,
};
const crash = (restart: boolean): ConsumerEvent => ({
  type: "crash",
  groupId: "g",
  error: "Connection error: ECONNREFUSED",
  restart,
});

describe("consumer readiness", () => {
  it("is not ready before the first join, and ready after it", () => {
    const h = makeConsumerHealth();
    expect(h.readiness()).toMatchObject({ ready: false, reason: expect.stringMatching(/joined/) });
    h.record(join);
    expect(h.readiness()).toEqual({ ready: true });
  });

  it("stays ready through a rebalance", () => {
    const h = makeConsumerHealth();
    h.record(join);
    h.record({ type: "rebalancing", groupId: "g", memberId: "m" });
    expect(h.readiness()).toEqual({ ready: true });
  });

  it("says a crash without restart is final, keeping its reason over the stop and disconnect kafkajs sends first", () => {
    const h = makeConsumerHealth();
    h.record(join);
    // kafkajs' order on a crash: stop, disconnect, then the crash with its restart flag.
    h.record({ type: "stop" });
    expect(h.readiness()).toEqual({ ready: false, reason: "the consumer was stopped" });
    h.record({ type: "disconnect" });
    h.record(crash(false));
    h.record({ type: "disconnect" });
    expect(h.readiness()).toEqual({
      ready: false,
      reason: "the consumer crashed (Connection error: ECONNREFUSED) and will not restart",
    });
  });

  it("is not ready while a crashed consumer restarts, and ready again once it has rejoined", () => {
    const h = makeConsumerHealth();
    h.record(join);
    h.record(crash(true));
    expect(h.readiness()).toMatchObject({
      ready: false,
      reason: expect.stringMatching(/restarting/),
    });
    h.record(join);
    expect(h.readiness()).toEqual({ ready: true });
  });

  it("tells a stop of the ingest's own shutdown from one that was not", () => {
    const other = makeConsumerHealth();
    other.record(join);
    other.record({ type: "stop" });
    expect(other.stoppedByUs()).toBe(false);

    const own = makeConsumerHealth();
    own.record(join);
    own.stopping();
    own.record({ type: "stop" });
    expect(own.stoppedByUs()).toBe(true);
    expect(own.readiness()).toEqual({ ready: false, reason: "the ingest is shutting down" });
  });
});
