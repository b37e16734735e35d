// Producing a data set's events to Kafka: as fast as the broker takes them (a faithful historical
// replay, the default), or N× real time with every time moved so the first call is now (a live
// demo on the wallboard). Shared by `npm run replay` and the real-data test.
import { readFile } from "node:fs/promises";
import type { Event } from "@floorwatch/contracts";
import {
  insertRows,
  loadSites,
  migrate,
  runQuery,
  SITES_TABLE,
  createClickHouse,
  type ClickHouseConfig,
} from "@floorwatch/sql";
import type { Kafka } from "kafkajs";
import { ensureTopics } from "../kafka";
import {
  ANONYMOUS_BANK_SITE,
  ANONYMOUS_BANK_TZ,
  bankEvents,
  parseBankFile,
} from "./anonymous-bank";
import { orderEvents } from "../derive/contacts";

export interface ReplayOptions {
  files: string[];
  topic: string;
  partitions: number;
  /** null: as fast as possible, original times. N: N× real time, times moved to start now. */
  speed: number | null;
  onProgress?: (produced: number, total: number) => void;
  now?: () => number;
}

export interface ReplayResult {
  records: number;
  skipped: number;
  events: number;
  ms: number;
}

/** The site exists with the data set's time zone, so its days are Jerusalem days. */
export async function ensureBankSite(clickhouse: ClickHouseConfig): Promise<void> {
  await migrate(clickhouse);
  const ch = createClickHouse(clickhouse);
  try {
    const [site] = await runQuery(ch, loadSites, { sites: [ANONYMOUS_BANK_SITE] });
    if (site?.tz === ANONYMOUS_BANK_TZ) return;
    await insertRows(ch, SITES_TABLE, [
      {
        site: ANONYMOUS_BANK_SITE,
        tz: ANONYMOUS_BANK_TZ,
        name: "Anonymous Bank (1999)",
        updated_ms: Date.now(),
        updated_by: "replay",
      },
    ]);
  } finally {
    await ch.close();
  }
}

export async function loadBankEvents(
  files: readonly string[],
  shiftMs = 0,
): Promise<{ events: Event[]; records: number; skipped: number }> {
  let records = 0;
  let skipped = 0;
  const events: Event[] = [];
  for (const file of files) {
    for (const r of parseBankFile(await readFile(file, "utf8"))) {
      records++;
      const evs = bankEvents(r, shiftMs);
      if (evs.length === 0) skipped++;
      events.push(...evs);
    }
  }
  return { events, records, skipped };
}

const CHUNK = 10_000;

export async function replayBank(kafka: Kafka, opts: ReplayOptions): Promise<ReplayResult> {
  const now = opts.now ?? Date.now;
  const started = now();
  // In time order (ties in lifecycle order), as the telephony system would have sent them.
  const first = await loadBankEvents(opts.files);
  let { events } = first;
  if (opts.speed !== null && events.length > 0) {
    const firstMs = Math.min(...events.map((e) => Date.parse(e.occurred_at)));
    events = (await loadBankEvents(opts.files, started - firstMs)).events;
  }
  const ordered = orderEvents(
    events.map((e) => ({ ...e, occurred_ms: Date.parse(e.occurred_at) })),
  );

  await ensureTopics(kafka, [opts.topic], opts.partitions);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const send = (batch: typeof ordered) =>
      producer.send({
        topic: opts.topic,
        acks: -1,
        messages: batch.map(({ occurred_ms: _ms, ...e }) => ({
          key: "contact_id" in e ? e.contact_id : null,
          value: JSON.stringify(e),
        })),
      });
    if (opts.speed === null) {
      for (let i = 0; i < ordered.length; i += CHUNK) {
        await send(ordered.slice(i, i + CHUNK));
        opts.onProgress?.(Math.min(i + CHUNK, ordered.length), ordered.length);
      }
    } else {
      // Each event leaves when its (moved) time comes, at `speed` times real time.
      const t0 = ordered[0]?.occurred_ms ?? started;
      let i = 0;
      while (i < ordered.length) {
        const due = t0 + (now() - started) * opts.speed;
        let j = i;
        while (j < ordered.length && ordered[j]!.occurred_ms <= due) j++;
        if (j > i) {
          await send(ordered.slice(i, j));
          opts.onProgress?.(j, ordered.length);
          i = j;
        } else {
          await new Promise((r) =>
            setTimeout(
              r,
              Math.min(1_000, Math.max(10, (ordered[i]!.occurred_ms - due) / opts.speed!)),
            ),
          );
        }
      }
    }
  } finally {
    await producer.disconnect();
  }
  return {
    records: first.records,
    skipped: first.skipped,
    events: ordered.length,
    ms: now() - started,
  };
}
