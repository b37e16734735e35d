// decode() decides, per Kafka message, between a row in ClickHouse and the DLQ. A wrong `ok` puts
// bad data into the figures; a wrong rejection dead-letters a producer's good traffic; a wrong
// reason sends the producer team chasing the wrong fault. So each reason is pinned at its exact
// boundary (64 KiB, 5 minutes), and every event type is shown to pass.
import { MAX_EVENT_BYTES, MAX_FUTURE_SKEW_MS } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import {
  checkNotFuture,
  checkSize,
  checkTopic,
  decode,
  familyOf,
  parseJson,
  REJECT_REASONS,
  validateSchema,
  type EventFamily,
  type StepResult,
} from "./pipeline";

/** 2026-11-22T09:30:00+08:00, a few minutes after the events.md examples. */
const NOW = Date.UTC(2026, 10, 22, 1, 30, 0);

const TOPIC: Record<EventFamily, string> = {
  contact: "cc.calls",
  agent: "cc.agents",
  survey: "cc.surveys",
};

type Json = Record<string, unknown>;

const ENVELOPE = { v: 1, occurred_at: "2026-11-22T09:15:00+08:00", site: "sh-pudong" };

/** One event of every type; the first six are the examples of events.md. */
const EVENTS: Json[] = [
  {
    ...ENVELOPE,
    event_id: "e-1",
    type: "contact.queued",
    contact_id: "c-881",
    channel: "voice",
    queue: "credit_card",
    customer: { tier: "vip", phone: "13812345678" },
  },
  {
    ...ENVELOPE,
    event_id: "e-2",
    type: "contact.answered",
    occurred_at: "2026-11-22T09:15:17.400+08:00",
    contact_id: "c-881",
    queue: "credit_card",
    agent_id: "a-07",
  },
  {
    ...ENVELOPE,
    event_id: "e-3",
    type: "contact.ended",
    occurred_at: "2026-11-22T09:19:02+08:00",
    contact_id: "c-881",
    queue: "credit_card",
    agent_id: "a-07",
  },
  {
    ...ENVELOPE,
    event_id: "e-4",
    type: "contact.wrapped_up",
    occurred_at: "2026-11-22T09:19:40+08:00",
    contact_id: "c-881",
    queue: "credit_card",
    agent_id: "a-07",
    disposition: "resolved",
    category: "credit_card",
  },
  {
    ...ENVELOPE,
    event_id: "e-5",
    type: "survey.completed",
    occurred_at: "2026-11-22T09:21:00+08:00",
    survey_id: "s-31",
    contact_id: "c-881",
    channel: "voice",
    queue: "credit_card",
    agent_id: "a-07",
    csat: 5,
    resolved: true,
  },
  {
    ...ENVELOPE,
    event_id: "e-6",
    type: "agent.state_changed",
    occurred_at: "2026-11-22T09:19:40+08:00",
    agent_id: "a-07",
    state: "available",
    queues: ["credit_card", "loans"],
    team: "t-1",
    name: "王芳",
  },
  { ...ENVELOPE, event_id: "e-7", type: "contact.abandoned", contact_id: "c-882", queue: "loans" },
  {
    ...ENVELOPE,
    event_id: "e-8",
    type: "contact.callback_requested",
    contact_id: "c-883",
    queue: "loans",
  },
  {
    ...ENVELOPE,
    event_id: "e-9",
    type: "contact.first_response",
    contact_id: "c-884",
    queue: "chat_support",
    agent_id: "a-08",
  },
  {
    ...ENVELOPE,
    event_id: "e-10",
    type: "contact.transferred",
    contact_id: "c-885",
    queue: "credit_card",
    agent_id: "a-07",
    to_queue: "complaint",
    to_agent_id: "a-09",
  },
];

const FAMILY_OF_TYPE: Record<string, EventFamily> = {
  "contact.queued": "contact",
  "contact.answered": "contact",
  "contact.abandoned": "contact",
  "contact.callback_requested": "contact",
  "contact.first_response": "contact",
  "contact.transferred": "contact",
  "contact.ended": "contact",
  "contact.wrapped_up": "contact",
  "agent.state_changed": "agent",
  "survey.completed": "survey",
};

function eventOfType(type: string): Json {
  const e = EVENTS.find((x) => x.type === type);
  if (!e) throw new Error(`no test event of type ${type}`);
  return e;
}

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8");

function run(value: Buffer | null, family: EventFamily = "contact", nowMs = NOW) {
  return decode(value, { family, topic: TOPIC[family], nowMs });
}

function expectReject<T>(result: StepResult<T>, reason: string): string {
  expect(result).toMatchObject({ ok: false, reason });
  return result.ok ? "" : result.detail;
}

/** A valid event of exactly `size` bytes of UTF-8 JSON, padded with an unknown field of `unit`s (topped up with "x"). */
function eventOfSize(size: number, unit = "x"): Buffer {
  const base = { ...eventOfType("contact.queued"), pad: "" };
  const fill = size - Buffer.byteLength(JSON.stringify(base));
  const unitBytes = Buffer.byteLength(unit);
  if (fill < 0) throw new Error(`an event cannot be as small as ${size} bytes`);
  const buf = bytes({
    ...base,
    pad: unit.repeat(Math.floor(fill / unitBytes)) + "x".repeat(fill % unitBytes),
  });
  expect(buf.length).toBe(size);
  return buf;
}

/** RFC 3339 text of `ms` in a fixed offset of `offsetMinutes`, with milliseconds. */
function rfc3339(ms: number, offsetMinutes = 0): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, -1);
  if (offsetMinutes === 0) return `${local}Z`;
  const abs = Math.abs(offsetMinutes);
  const sign = offsetMinutes < 0 ? "-" : "+";
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

describe("decode", () => {
  it("accepts one event of every type from its own topic and returns it as parsed", () => {
    expect(new Set(EVENTS.map((e) => e.type)).size).toBe(10);
    for (const event of EVENTS) {
      const family = FAMILY_OF_TYPE[event.type as string]!;
      expect(run(bytes(event), family), event.type as string).toEqual({ ok: true, value: event });
    }
  });

  it("accepts an event with unknown extra fields and drops them from the value", () => {
    const event = eventOfType("contact.answered");
    expect(run(bytes({ ...event, producer: "acd-7", trace: { id: 1 } }))).toEqual({
      ok: true,
      value: event,
    });
  });

  it("accepts an event whose JSON has whitespace around and inside it", () => {
    const text = `\n  ${JSON.stringify(eventOfType("contact.ended"), null, 2)}  \r\n`;
    expect(run(Buffer.from(text))).toEqual({ ok: true, value: eventOfType("contact.ended") });
  });

  it("accepts a message of exactly 64 KiB", () => {
    expect(MAX_EVENT_BYTES).toBe(65_536);
    const result = run(eventOfSize(MAX_EVENT_BYTES));
    expect(result.ok).toBe(true);
  });

  it("rejects a message of 64 KiB + 1 byte as too_large, naming both sizes", () => {
    const detail = expectReject(run(eventOfSize(MAX_EVENT_BYTES + 1)), "too_large");
    expect(detail).toBe("65537 bytes, limit 65536");
  });

  it("measures the limit in UTF-8 bytes, not characters", () => {
    // About 22,000 characters of CJK: a third of the limit in characters, just over it in bytes.
    const over = eventOfSize(MAX_EVENT_BYTES + 1, "王");
    expect(over.toString("utf8").length).toBeLessThan(MAX_EVENT_BYTES / 2);
    expectReject(run(over), "too_large");
    expect(run(eventOfSize(MAX_EVENT_BYTES, "王")).ok).toBe(true);
  });

  it("checks the size before anything else: a huge message of garbage is too_large, not invalid_json", () => {
    expectReject(run(Buffer.alloc(MAX_EVENT_BYTES + 1, 0xff)), "too_large");
    expectReject(run(Buffer.alloc(1024 * 1024, "{")), "too_large");
  });

  it("rejects a null value (a tombstone) and an empty value as invalid_json", () => {
    expect(expectReject(run(null), "invalid_json")).toBe("empty message value");
    expect(expectReject(run(Buffer.alloc(0)), "invalid_json")).toBe("empty message value");
  });

  it("rejects invalid UTF-8 as invalid_json instead of decoding it with replacement characters", () => {
    const valid = JSON.stringify(eventOfType("contact.abandoned"));
    const [head, tail] = [
      valid.slice(0, valid.indexOf("c-882")),
      valid.slice(valid.indexOf("c-882")),
    ];
    const cases: Array<[string, Buffer]> = [
      ["a lone 0xff", Buffer.from([0xff])],
      [
        "0xff inside a string",
        Buffer.concat([Buffer.from(head), Buffer.from([0xff]), Buffer.from(tail)]),
      ],
      [
        "a bad continuation byte",
        Buffer.concat([Buffer.from(head), Buffer.from([0xc3, 0x28]), Buffer.from(tail)]),
      ],
      [
        "an overlong '/'",
        Buffer.concat([Buffer.from(head), Buffer.from([0xc0, 0xaf]), Buffer.from(tail)]),
      ],
      [
        "an encoded surrogate",
        Buffer.concat([Buffer.from(head), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(tail)]),
      ],
      [
        "a code point above U+10FFFF",
        Buffer.concat([
          Buffer.from(head),
          Buffer.from([0xf4, 0x90, 0x80, 0x80]),
          Buffer.from(tail),
        ]),
      ],
      [
        "a truncated 3-byte sequence at the end",
        Buffer.concat([Buffer.from(valid), Buffer.from([0xe7, 0x8e])]),
      ],
      ["Latin-1 text", Buffer.from(valid.replace("loans", "pr\u00eat"), "latin1")],
    ];
    for (const [name, buf] of cases)
      expect(expectReject(run(buf), "invalid_json"), name).toBe("value is not valid UTF-8");
  });

  it("rejects text that is not JSON, truncated JSON included, as invalid_json with the parser's message", () => {
    const valid = JSON.stringify(eventOfType("contact.abandoned"));
    for (const text of [
      valid.slice(0, -1),
      valid.slice(0, Math.floor(valid.length / 2)),
      '{"v":1,',
      "{",
      "[",
      '"abc',
      " ",
      "\n",
      "hello",
      "{v:1}",
      "{'v':1}",
      '{"v":1,}',
      "NaN",
      "undefined",
      `${valid}}`,
      `${valid}${valid}`,
    ]) {
      const detail = expectReject(run(Buffer.from(text)), "invalid_json");
      expect(detail, text).not.toBe("");
      expect(detail).not.toBe("value is not valid UTF-8");
    }
  });

  it("rejects JSON that is not an object (null, an array, a number, a string) as schema, at the root", () => {
    for (const text of [
      "null",
      "[]",
      "42",
      '"contact.queued"',
      "true",
      JSON.stringify([eventOfType("contact.abandoned")]),
    ]) {
      expect(expectReject(run(Buffer.from(text)), "schema"), text).toMatch(/^\(root\): /);
    }
  });

  it("rejects a missing field as schema, naming its path", () => {
    const { queue: _queue, ...event } = eventOfType("contact.answered");
    expect(expectReject(run(bytes(event)), "schema")).toMatch(/^queue: /);
  });

  it("names nested paths and array indexes in the schema detail", () => {
    expect(
      expectReject(
        run(bytes({ ...eventOfType("contact.queued"), customer: { tier: "gold" } })),
        "schema",
      ),
    ).toMatch(/^customer\.tier: /);
    expect(
      expectReject(
        run(bytes({ ...eventOfType("agent.state_changed"), queues: ["ok", "bad\u0000"] }), "agent"),
        "schema",
      ),
    ).toMatch(/^queues\.1: /);
    expect(
      expectReject(
        run(bytes({ ...eventOfType("contact.abandoned"), type: "contact.unknown" })),
        "schema",
      ),
    ).toMatch(/^type: /);
    expect(
      expectReject(run(bytes({ ...eventOfType("contact.abandoned"), v: 2 })), "schema"),
    ).toMatch(/^v: /);
    expect(
      expectReject(
        run(bytes({ ...eventOfType("contact.abandoned"), occurred_at: "2026-02-30T00:00:00Z" })),
        "schema",
      ),
    ).toMatch(/^occurred_at: /);
    const { csat: _c, resolved: _r, ...survey } = eventOfType("survey.completed");
    expect(expectReject(run(bytes(survey), "survey"), "schema")).toBe(
      "csat: at least one of csat, nps, resolved is required",
    );
  });

  it("keeps the schema detail short: at most five issues", () => {
    const bad = {
      ...eventOfType("contact.wrapped_up"),
      event_id: "",
      site: "A",
      contact_id: "",
      queue: "",
      agent_id: "",
      disposition: "closed",
    };
    const detail = expectReject(run(bytes(bad)), "schema");
    expect(detail.split("; ")).toHaveLength(5);
  });

  it("accepts an event exactly 5 minutes ahead of the ingest clock", () => {
    expect(MAX_FUTURE_SKEW_MS).toBe(300_000);
    const event = {
      ...eventOfType("contact.abandoned"),
      occurred_at: rfc3339(NOW + MAX_FUTURE_SKEW_MS),
    };
    expect(run(bytes(event))).toEqual({ ok: true, value: event });
  });

  it("accepts an event exactly 5 minutes ahead when its time is written in an offset", () => {
    for (const offset of [480, -300, 330]) {
      const event = {
        ...eventOfType("contact.abandoned"),
        occurred_at: rfc3339(NOW + MAX_FUTURE_SKEW_MS, offset),
      };
      expect(run(bytes(event)).ok, event.occurred_at).toBe(true);
    }
  });

  it("rejects an event 5 minutes and 1 ms ahead as future_timestamp, naming its occurred_at", () => {
    const occurredAt = rfc3339(NOW + MAX_FUTURE_SKEW_MS + 1, 480);
    const detail = expectReject(
      run(bytes({ ...eventOfType("contact.abandoned"), occurred_at: occurredAt })),
      "future_timestamp",
    );
    expect(detail).toContain(occurredAt);
    expect(detail).toMatch(/ahead of the ingest clock/);
  });

  it("rejects an event a day ahead, and the rejection follows the clock it is given", () => {
    const event = { ...eventOfType("contact.abandoned"), occurred_at: rfc3339(NOW + 86_400_000) };
    expect(expectReject(run(bytes(event)), "future_timestamp")).toMatch(/86400 s ahead/);
    expect(run(bytes(event), "contact", NOW + 86_400_000).ok).toBe(true);
  });

  it("accepts old events: late data is normal", () => {
    for (const occurred_at of [
      "2001-01-01T00:00:00Z",
      rfc3339(NOW - 30 * 86_400_000),
      rfc3339(NOW),
    ]) {
      expect(run(bytes({ ...eventOfType("contact.abandoned"), occurred_at })).ok, occurred_at).toBe(
        true,
      );
    }
  });

  it("rejects an event of another family as wrong_topic, for every type on every other topic", () => {
    const families: EventFamily[] = ["contact", "agent", "survey"];
    for (const event of EVENTS) {
      for (const family of families) {
        if (family === FAMILY_OF_TYPE[event.type as string]) continue;
        const detail = expectReject(run(bytes(event), family), "wrong_topic");
        expect(detail).toBe(`${event.type} does not belong on ${TOPIC[family]}`);
      }
    }
  });

  it("runs the steps in order: size, then UTF-8 and JSON, then schema, then the clock, then the topic", () => {
    const future = rfc3339(NOW + 3_600_000);
    // A future agent event on a contact topic: the clock is checked first.
    expectReject(
      run(bytes({ ...eventOfType("agent.state_changed"), occurred_at: future }), "contact"),
      "future_timestamp",
    );
    // An invalid future event: the schema is checked first.
    expectReject(
      run(bytes({ ...eventOfType("contact.abandoned"), occurred_at: future, queue: "" })),
      "schema",
    );
  });

  it("has exactly the five reject reasons the DLQ headers carry", () => {
    expect([...REJECT_REASONS].sort()).toEqual([
      "future_timestamp",
      "invalid_json",
      "schema",
      "too_large",
      "wrong_topic",
    ]);
  });
});

describe("the steps of decode on their own", () => {
  it("familyOf maps every event type to its topic family", () => {
    for (const [type, family] of Object.entries(FAMILY_OF_TYPE))
      expect(familyOf(type as Parameters<typeof familyOf>[0]), type).toBe(family);
  });

  it("checkSize passes the same buffer through up to the limit", () => {
    const buf = Buffer.alloc(MAX_EVENT_BYTES, "x");
    const result = checkSize(buf);
    expect(result.ok && result.value).toBe(buf);
    expectReject(checkSize(Buffer.alloc(MAX_EVENT_BYTES + 1)), "too_large");
    expectReject(checkSize(null), "invalid_json");
  });

  it("parseJson accepts any JSON value and leaves shape checks to the schema step", () => {
    expect(parseJson(Buffer.from("null"))).toEqual({ ok: true, value: null });
    expect(parseJson(Buffer.from('{"a":"王"}'))).toEqual({ ok: true, value: { a: "王" } });
    expectReject(parseJson(Buffer.from("{")), "invalid_json");
    expectReject(parseJson(Buffer.from([0x22, 0xff, 0x22])), "invalid_json");
  });

  it("validateSchema returns the parsed event or a schema rejection", () => {
    expect(validateSchema(eventOfType("contact.ended"))).toEqual({
      ok: true,
      value: eventOfType("contact.ended"),
    });
    expectReject(validateSchema({}), "schema");
  });

  it("checkNotFuture compares occurred_at with the clock it is given, inclusive at 5 minutes", () => {
    const event = validateSchema({
      ...eventOfType("contact.abandoned"),
      occurred_at: rfc3339(NOW + MAX_FUTURE_SKEW_MS),
    });
    if (!event.ok) throw new Error(event.detail);
    expect(checkNotFuture(event.value, NOW).ok).toBe(true);
    expectReject(checkNotFuture(event.value, NOW - 1), "future_timestamp");
  });

  it("checkTopic passes an event of the expected family and rejects others, naming the topic", () => {
    const event = validateSchema(eventOfType("survey.completed"));
    if (!event.ok) throw new Error(event.detail);
    expect(checkTopic(event.value, "survey", "cc.surveys")).toEqual({
      ok: true,
      value: event.value,
    });
    expect(checkTopic(event.value, "agent", "custom.agents")).toEqual({
      ok: false,
      reason: "wrong_topic",
      detail: "survey.completed does not belong on custom.agents",
    });
  });
});
