import type { LiveSnapshot, TvFrame } from "@floorwatch/contracts";
import { createLogger, type ClickHouseClient } from "@floorwatch/sql";
import { afterEach, describe, expect, it } from "vitest";
import type { Principal } from "../auth/roles";
import { type BroadcastOptions, type Broadcaster, makeBroadcaster } from "./broadcast";

// The broadcaster's own logic (fan-out, slow listeners, revocation, outages) with a stub snapshot;
// the stream over real ClickHouse and HTTP is tested in test/integration/live-stream.*.
const principal: Principal = {
  id: "t1",
  name: "tv",
  role: "display",
  sites: ["s"],
  pii: false,
  layout: "",
  expiresMs: 0,
};
const noClickHouse = {} as ClickHouseClient; // the change probe fails quietly; ticks drive these tests
const log = createLogger("test", "error");
const snap = (n: number): LiveSnapshot => ({
  site: "s",
  tz: "UTC",
  as_of: new Date(1_800_000_000_000 + n * 1000).toISOString(),
  definition_set: "floorwatch-metrics-v1",
  queues: [],
  drill_filters: {},
});
const text = new TextDecoder();

/** A broadcaster over stub snapshots numbered by computation (the first is 1), its listeners'
 *  tokens valid while `valid` says so; the change probe is an hour apart, so ticks drive the test. */
function start(
  opts: BroadcastOptions,
  o: { snapshot?: () => Promise<LiveSnapshot>; valid?: () => boolean } = {},
): Broadcaster {
  let n = 0;
  const valid = o.valid ?? (() => true);
  return makeBroadcaster(
    noClickHouse,
    o.snapshot ?? (async () => snap(++n)),
    async () => valid(),
    log,
    { probeMs: 60_000, ...opts },
  );
}

/** A TV frame that names its layout and snapshot, enough to tell the listeners' frames apart. */
const tvFrame = (site: string, layout: string, s: LiveSnapshot) =>
  ({ layout: { id: layout }, as_of: s.as_of, site }) as unknown as TvFrame;

async function read(
  stream: ReadableStream<Uint8Array>,
  frames: number,
  timeoutMs = 2_000,
): Promise<string[]> {
  const reader = stream.getReader();
  const out: string[] = [];
  let buffer = "";
  const deadline = Date.now() + timeoutMs;
  while (out.length < frames && Date.now() < deadline) {
    const r = await Promise.race([
      reader.read(),
      new Promise<null>((res) => setTimeout(() => res(null), deadline - Date.now())),
    ]);
    if (!r || r.done) break;
    buffer += text.decode(r.value);
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      if (block.includes("event: ")) out.push(block);
    }
  }
  reader.releaseLock();
  return out;
}

describe("makeBroadcaster", () => {
  let b: Broadcaster | undefined;
  afterEach(() => b?.close());

  it("computes one snapshot per tick for all listeners of a site", async () => {
    let computed = 0;
    b = start({ tickMs: 50 }, { snapshot: async () => snap(++computed) });
    const streams = Array.from({ length: 20 }, () => b!.subscribe("s", { principal }));
    const got = await Promise.all(streams.map((s) => read(s, 3)));
    for (const frames of got) expect(frames).toHaveLength(3);
    // Every listener saw the same snapshots, and no more were computed than one listener needs.
    expect(new Set(got.map((f) => f.join("|"))).size).toBe(1);
    expect(computed).toBeLessThanOrEqual(5);
  });

  it("drops a listener that stops reading instead of queueing for it without bound", async () => {
    b = start({ tickMs: 5, maxQueued: 4 });
    const stalled = b.subscribe("s", { principal });
    const reading = b.subscribe("s", { principal });
    const frames = await read(reading, 20);
    expect(frames.length).toBe(20);
    // The stalled listener is gone; the other is still served.
    expect(b.listeners("s")).toBe(1);
    const reader = stalled.getReader();
    let queued = 0;
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      queued++;
    }
    expect(queued).toBeLessThanOrEqual(5); // retry line + at most maxQueued frames, then closed
  });

  it("tells listeners when snapshots cannot be computed, and carries on when they can again", async () => {
    let fail = true;
    let n = 0;
    b = start(
      { tickMs: 20 },
      {
        snapshot: async () => {
          if (fail) throw new Error("ClickHouse is down");
          return snap(++n);
        },
      },
    );
    const stream = b.subscribe("s", { principal });
    const reader = stream.getReader();
    const decode = async () => text.decode((await reader.read()).value);
    let seen = "";
    while (!seen.includes("event: unavailable")) seen += await decode();
    expect(seen).not.toContain("ClickHouse"); // nothing internal reaches a client
    fail = false;
    while (!seen.includes("event: snapshot")) seen += await decode();
    reader.releaseLock();
  });

  it("ends the stream of a listener whose token is no longer valid", async () => {
    let valid = true;
    b = start({ tickMs: 20 }, { valid: () => valid });
    const stream = b.subscribe("s", { principal });
    expect(await read(stream, 1)).toHaveLength(1);
    valid = false;
    const rest = await read(stream, 50, 1_000);
    expect(rest.at(-1)).toContain("event: revoked");
    expect(b.listeners("s")).toBe(0);
  });

  it("resumes a listener that already has the latest snapshot without sending it again", async () => {
    b = start({ tickMs: 60_000, now: () => 1_800_000_000_000 });
    const first = await read(b.subscribe("s", { principal }), 1);
    const id = /id: (\d+)/.exec(first[0]!)![1]!;
    expect(await read(b.subscribe("s", { principal, lastEventId: id }), 1, 200)).toHaveLength(0);
    const behind = await read(b.subscribe("s", { principal, lastEventId: "1" }), 1, 200);
    expect(behind[0]).toContain(`id: ${id}`);
  });

  it("projects and serialises once per layout and tick, the same bytes to every screen of a layout", async () => {
    const projected: string[] = [];
    b = start({
      tickMs: 50,
      tvFrame: async (site, layout, s) => {
        projected.push(`${layout}@${s.as_of}`);
        return tvFrame(site, layout, s);
      },
    });
    const east = Array.from({ length: 10 }, () => b!.subscribe("s", { principal, layout: "east" }));
    const west = Array.from({ length: 10 }, () => b!.subscribe("s", { principal, layout: "west" }));
    const whole = b.subscribe("s", { principal });
    const [eastFrames, westFrames, wholeFrames] = await Promise.all([
      Promise.all(east.map((s) => read(s, 3))),
      Promise.all(west.map((s) => read(s, 3))),
      read(whole, 3),
    ]);
    for (const frames of [...eastFrames, ...westFrames]) {
      expect(frames).toHaveLength(3);
      for (const f of frames) expect(f).toMatch(/^id: \d+\nevent: tv\n/);
    }
    expect(new Set(eastFrames.map((f) => f.join("|"))).size).toBe(1);
    expect(eastFrames[0]![0]).toContain('"id":"east"');
    expect(westFrames[0]![0]).toContain('"id":"west"');
    expect(wholeFrames[0]).toContain("event: snapshot");
    // One projection per layout and snapshot, whatever the number of screens.
    expect(projected.length).toBe(new Set(projected).size);
  });

  it("tells a layout's screens when their frame cannot be made, and serves the other layouts", async () => {
    b = start({
      tickMs: 30,
      tvFrame: async (site, layout, s) => {
        if (layout === "broken") throw new Error("layouts table unreadable");
        return tvFrame(site, layout, s);
      },
    });
    const [broken, fine] = await Promise.all([
      read(b.subscribe("s", { principal, layout: "broken" }), 1),
      read(b.subscribe("s", { principal, layout: "fine" }), 1),
    ]);
    expect(broken[0]).toContain("event: unavailable");
    expect(broken[0]).not.toContain("layouts table");
    expect(fine[0]).toContain("event: tv");
  });

  it("lists the tokens with a stream open", async () => {
    b = start({ tickMs: 60_000 });
    const stream = b.subscribe("s", { principal });
    b.subscribe("s", { principal: { ...principal, id: "t2" } });
    expect(b.openTokens().sort()).toEqual(["t1", "t2"]);
    await stream.cancel();
    expect(b.openTokens()).toEqual(["t2"]);
  });
});
