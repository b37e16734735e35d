// The Anonymous Bank call records (../shared/data/anonymous-bank/, Technion SEE laboratory, 1999)
// as contract events, exactly as metrics.md "Reference data: the Anonymous Bank replay mapping"
// says. Pure: a record in, its events out; a replay run twice yields the same event ids.
import { instantOf, type Event } from "@floorwatch/contracts";

export const ANONYMOUS_BANK_SITE = "anonymous-bank";
export const ANONYMOUS_BANK_TZ = "Asia/Jerusalem";

export interface BankRecord {
  vruLine: string;
  callId: string;
  customerId: string;
  priority: string;
  type: string;
  /** yymmdd */
  date: string;
  vruEntry: string;
  vruExit: string;
  qStart: string;
  qTime: number;
  outcome: string;
  serTime: number;
  server: string;
}

const FIELDS = [
  "vru+line",
  "call_id",
  "customer_id",
  "priority",
  "type",
  "date",
  "vru_entry",
  "vru_exit",
  "vru_time",
  "q_start",
  "q_exit",
  "q_time",
  "outcome",
  "ser_start",
  "ser_exit",
  "ser_time",
  "server",
];

export class BankFormatError extends Error {}

/** Records of one monthly file (tab-separated, header line, LF or CRLF line ends). */
export function parseBankFile(text: string): BankRecord[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines
    .shift()
    ?.split("\t")
    .map((h) => h.trim());
  if (!header || FIELDS.some((f, i) => header[i] !== f))
    throw new BankFormatError(`not an Anonymous Bank file: header is ${JSON.stringify(header)}`);
  return lines.map((line, i) => {
    const c = line.split("\t");
    if (c.length < 17) throw new BankFormatError(`line ${i + 2}: ${c.length} fields, expected 17`);
    const int = (s: string | undefined, name: string) => {
      const n = Number(s?.trim());
      if (!Number.isInteger(n))
        throw new BankFormatError(
          `line ${i + 2}: ${name} is not a whole number: ${JSON.stringify(s)}`,
        );
      return n;
    };
    return {
      vruLine: c[0]!.trim(),
      callId: c[1]!.trim(),
      customerId: c[2]!.trim(),
      priority: c[3]!.trim(),
      type: c[4]!.trim(), // six records say " TT": the same queue as "TT"
      date: c[5]!.trim(),
      vruEntry: c[6]!.trim(),
      vruExit: c[7]!.trim(),
      qStart: c[9]!.trim(),
      qTime: int(c[11], "q_time"),
      outcome: c[12]!.trim(),
      serTime: int(c[15], "ser_time"),
      server: c[16]!.trim(),
    };
  });
}

/** Seconds since midnight of "h:mm:ss". */
export function secondsOfDay(t: string): number {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(t);
  if (!m) throw new BankFormatError(`not a time of day: ${JSON.stringify(t)}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/**
 * The instant a call entered its queue, or null for records the mapping skips (PHANTOM; HANG
 * that never reached a queue). Start = date + q_start, or date + vru_exit when q_start is 0:00:00;
 * a start more than an hour before vru_entry is on the next day (the call crossed midnight).
 */
export function queueStart(r: BankRecord): number | null {
  if (r.outcome === "PHANTOM") return null;
  const noQueue = r.qStart === "0:00:00";
  if (r.outcome === "HANG" && noQueue) return null;
  const start = secondsOfDay(noQueue ? r.vruExit : r.qStart);
  const entry = secondsOfDay(r.vruEntry);
  const nextDay = start < entry - 3600 ? 1 : 0;
  const y = 1900 + Number(r.date.slice(0, 2)) + (Number(r.date.slice(0, 2)) < 50 ? 100 : 0);
  const mo = Number(r.date.slice(2, 4));
  const d = Number(r.date.slice(4, 6));
  // The recorded times are Jerusalem wall-clock readings.
  return (
    instantOf(
      ANONYMOUS_BANK_TZ,
      y,
      mo,
      d + nextDay,
      Math.floor(start / 3600),
      Math.floor(start / 60) % 60,
    ) +
    (start % 60) * 1000
  );
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A record's events (empty when skipped), `shiftMs` added to every time (0 for a faithful replay). */
export function bankEvents(r: BankRecord, shiftMs = 0): Event[] {
  const startMs = queueStart(r);
  if (startMs === null) return [];
  const contact = `${r.vruLine}-${r.callId}-${r.date}`;
  const id = (type: string) => `ab-${contact}-${type}${shiftMs ? `-${shiftMs}` : ""}`;
  const at = (ms: number) => iso(ms + shiftMs);
  const base = { v: 1 as const, site: ANONYMOUS_BANK_SITE, contact_id: contact, queue: r.type };
  const customer = {
    tier: r.priority === "2" ? ("priority" as const) : ("standard" as const),
    ...(r.customerId && r.customerId !== "0" ? { id: r.customerId } : {}),
  };
  const events: Event[] = [
    {
      ...base,
      event_id: id("queued"),
      type: "contact.queued",
      occurred_at: at(startMs),
      channel: "voice",
      customer,
    },
  ];
  const endMs = startMs + r.qTime * 1000;
  if (r.outcome === "AGENT") {
    const agent = r.server || "NO_SERVER";
    const doneMs = endMs + r.serTime * 1000;
    events.push(
      {
        ...base,
        event_id: id("answered"),
        type: "contact.answered",
        occurred_at: at(endMs),
        agent_id: agent,
      },
      {
        ...base,
        event_id: id("ended"),
        type: "contact.ended",
        occurred_at: at(doneMs),
        agent_id: agent,
      },
      {
        ...base,
        event_id: id("wrapped_up"),
        type: "contact.wrapped_up",
        occurred_at: at(doneMs),
        agent_id: agent,
        disposition: "resolved",
      },
    );
  } else if (r.outcome === "HANG") {
    events.push({
      ...base,
      event_id: id("abandoned"),
      type: "contact.abandoned",
      occurred_at: at(endMs),
    });
  } else {
    return []; // an outcome the mapping does not name
  }
  return events;
}
