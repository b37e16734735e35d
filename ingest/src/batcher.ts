// Accumulates decoded messages of every assigned partition and writes them as one insert per
// table, at N rows or T ms, whichever comes first; then derives the facts the rows touched; then
// sends the rejects to the DLQ; then commits,
// per partition, the offset after the last message written. A flush works on a snapshot of the
// buffer, flushes run one at a time in order, so commits of a partition only ever move forward
// over written messages.
//
// Memory stays bounded: the consumer awaits a flush in progress before it adds more, so at most
// one buffer is filling while one is being written (about 2 × N rows plus one fetch).
import type { OutgoingMessage } from "./kafka";
import type { TableRow } from "./rows";

export interface PartitionOffset {
  topic: string;
  partition: number;
  /** The offset to commit: one after the last message taken. */
  offset: string;
}

export interface BatcherSinks {
  insert(table: string, rows: object[]): Promise<void>;
  /** After every insert of a flush, before its commit: re-derive what the rows touched. */
  derive?(rowsByTable: ReadonlyMap<string, readonly object[]>): Promise<void>;
  dlq(messages: OutgoingMessage[]): Promise<void>;
  commit(offsets: PartitionOffset[]): Promise<void>;
}

export interface FlushReport {
  rows: number;
  rowsByTable: Record<string, number>;
  rejects: number;
  offsets: PartitionOffset[];
  insertMs: number;
}

interface Buffer {
  rows: Map<string, object[]>;
  rejects: OutgoingMessage[];
  offsets: Map<string, PartitionOffset>;
  messages: number;
  since: number;
}

const emptyBuffer = (now: number): Buffer => ({
  rows: new Map(),
  rejects: [],
  offsets: new Map(),
  messages: 0,
  since: now,
});

export interface Batcher {
  /** Adds the decoded messages of one fetched batch of one partition. */
  add(batch: {
    topic: string;
    partition: number;
    nextOffset: string;
    rows: TableRow[];
    rejects: OutgoingMessage[];
  }): void;
  /** True when the buffer has reached maxRows messages, or holds any for maxMs. */
  due(now: number): boolean;
  /** Writes the current buffer (or joins the flush already running, then writes what remains). */
  flush(): Promise<FlushReport | null>;
  /** The flush in progress, if any. */
  inFlight(): Promise<unknown> | null;
  buffered(): number;
}

export function makeBatcher(
  sinks: BatcherSinks,
  opts: { maxRows: number; maxMs: number; now?: () => number },
): Batcher {
  const now = opts.now ?? Date.now;
  let buffer = emptyBuffer(now());
  let chain: Promise<unknown> = Promise.resolve();
  let running: Promise<unknown> | null = null;

  async function write(snapshot: Buffer): Promise<FlushReport> {
    const started = now();
    const rowsByTable: Record<string, number> = {};
    // One insert per table per flush (conventions.md habit 6).
    for (const [table, rows] of snapshot.rows) {
      await sinks.insert(table, rows);
      rowsByTable[table] = rows.length;
    }
    const insertMs = now() - started;
    if (sinks.derive && snapshot.rows.size > 0) await sinks.derive(snapshot.rows);
    await sinks.dlq(snapshot.rejects);
    const offsets = [...snapshot.offsets.values()];
    await sinks.commit(offsets);
    return {
      rows: snapshot.messages - snapshot.rejects.length,
      rowsByTable,
      rejects: snapshot.rejects.length,
      offsets,
      insertMs,
    };
  }

  return {
    add(batch) {
      if (buffer.messages === 0) buffer.since = now();
      for (const { table, row } of batch.rows) {
        const list = buffer.rows.get(table);
        if (list) list.push(row);
        else buffer.rows.set(table, [row]);
      }
      buffer.rejects.push(...batch.rejects);
      buffer.offsets.set(`${batch.topic}\u0000${batch.partition}`, {
        topic: batch.topic,
        partition: batch.partition,
        offset: batch.nextOffset,
      });
      buffer.messages += batch.rows.length + batch.rejects.length;
    },
    due(t) {
      return (
        buffer.messages >= opts.maxRows || (buffer.messages > 0 && t - buffer.since >= opts.maxMs)
      );
    },
    flush() {
      // Chained: a second flush waits for the first, then takes whatever has been added since.
      const next = chain.then(async () => {
        if (buffer.offsets.size === 0) return null;
        const snapshot = buffer;
        buffer = emptyBuffer(now());
        return write(snapshot);
      });
      // A failed flush must not poison the chain; its caller sees the error.
      chain = next.catch(() => {});
      running = next;
      void next
        .finally(() => {
          if (running === next) running = null;
        })
        .catch(() => {});
      return next;
    },
    inFlight: () => running,
    buffered: () => buffer.messages,
  };
}
