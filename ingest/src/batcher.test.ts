import { describe, expect, it } from "vitest";
import { makeBatcher, type PartitionOffset } from "./batcher";
import type { TableRow } from "./rows";

const row = (table: string, id: string) => ({ table, row: { id } }) as unknown as TableRow;

function fakeSinks() {
  const log: string[] = [];
  const inserts: Array<{ table: string; rows: object[] }> = [];
  const commits: PartitionOffset[][] = [];
  let gate: Promise<void> = Promise.resolve();
  return {
    log,
    inserts,
    commits,
    hold() {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return release;
    },
    sinks: {
      insert: async (table: string, rows: object[]) => {
        await gate;
        log.push(`insert ${table} ${rows.length}`);
        inserts.push({ table, rows });
      },
      dlq: async (messages: unknown[]) => {
        log.push(`dlq ${messages.length}`);
      },
      commit: async (offsets: PartitionOffset[]) => {
        log.push(`commit ${offsets.map((o) => `${o.topic}/${o.partition}@${o.offset}`).join(",")}`);
        commits.push(offsets);
      },
    },
  };
}

describe("the ingest batcher", () => {
  it("writes one insert per table, then the DLQ, then commits the next offset of every partition", async () => {
    const f = fakeSinks();
    const b = makeBatcher(f.sinks, { maxRows: 100, maxMs: 1000 });
    b.add({
      topic: "calls",
      partition: 0,
      nextOffset: "3",
      rows: [row("contact_events", "a"), row("contact_events", "b")],
      rejects: [{ key: null, value: "x" }],
    });
    b.add({
      topic: "agents",
      partition: 1,
      nextOffset: "8",
      rows: [row("agent_events", "c")],
      rejects: [],
    });
    b.add({
      topic: "calls",
      partition: 0,
      nextOffset: "5",
      rows: [row("contact_events", "d"), row("contact_events", "e")],
      rejects: [],
    });
    const report = await b.flush();
    expect(f.log).toEqual([
      "insert contact_events 4",
      "insert agent_events 1",
      "dlq 1",
      "commit calls/0@5,agents/1@8",
    ]);
    expect(report).toMatchObject({
      rows: 5,
      rejects: 1,
      rowsByTable: { contact_events: 4, agent_events: 1 },
    });
    expect(b.buffered()).toBe(0);
  });

  it("is due at maxRows messages or when the oldest message is maxMs old, never when empty", () => {
    const t = 0;
    const b = makeBatcher(fakeSinks().sinks, { maxRows: 3, maxMs: 500, now: () => t });
    expect(b.due(10_000)).toBe(false);
    b.add({
      topic: "calls",
      partition: 0,
      nextOffset: "1",
      rows: [row("contact_events", "a")],
      rejects: [],
    });
    expect(b.due(499)).toBe(false);
    expect(b.due(500)).toBe(true);
    b.add({
      topic: "calls",
      partition: 0,
      nextOffset: "3",
      rows: [row("contact_events", "b")],
      rejects: [{ key: null, value: "bad" }],
    });
    expect(b.due(1)).toBe(true);
  });

  it("keeps messages added during a flush for the next flush, and commits them only after it", async () => {
    const f = fakeSinks();
    const b = makeBatcher(f.sinks, { maxRows: 100, maxMs: 1000 });
    b.add({
      topic: "calls",
      partition: 0,
      nextOffset: "10",
      rows: [row("contact_events", "a")],
      rejects: [],
    });
    const release = f.hold();
    const first = b.flush();
    await new Promise((r) => setTimeout(r, 0)); // the first flush has taken its snapshot and waits in insert
    expect(b.inFlight()).not.toBeNull();
    b.add({
      topic: "calls",
      partition: 0,
      nextOffset: "20",
      rows: [row("contact_events", "b")],
      rejects: [],
    });
    const second = b.flush();
    release();
    await Promise.all([first, second]);
    expect(f.commits.map((c) => c.map((o) => o.offset))).toEqual([["10"], ["20"]]);
    expect(f.inserts.map((i) => i.rows)).toEqual([[{ id: "a" }], [{ id: "b" }]]);
    expect(b.inFlight()).toBeNull();
  });

  it("commits nothing when a write fails, and lets the next flush go ahead", async () => {
    const f = fakeSinks();
    let fail = true;
    const b = makeBatcher(
      {
        ...f.sinks,
        insert: async (table, rows) => {
          if (fail) throw new Error("ClickHouse is down");
          await f.sinks.insert(table, rows);
        },
      },
      { maxRows: 100, maxMs: 1000 },
    );
    b.add({
      topic: "calls",
      partition: 0,
      nextOffset: "1",
      rows: [row("contact_events", "a")],
      rejects: [],
    });
    await expect(b.flush()).rejects.toThrow("ClickHouse is down");
    expect(f.commits).toEqual([]);
    fail = false;
    b.add({
      topic: "calls",
      partition: 0,
      nextOffset: "2",
      rows: [row("contact_events", "b")],
      rejects: [],
    });
    await b.flush();
    expect(f.commits.map((c) => c.map((o) => o.offset))).toEqual([["2"]]);
  });

  it("commits rejected-only batches too, so a partition of bad messages keeps moving", async () => {
    const f = fakeSinks();
    const b = makeBatcher(f.sinks, { maxRows: 100, maxMs: 1000 });
    b.add({
      topic: "calls",
      partition: 2,
      nextOffset: "7",
      rows: [],
      rejects: [{ key: null, value: "x" }],
    });
    await b.flush();
    expect(f.log).toEqual(["dlq 1", "commit calls/2@7"]);
  });
});
