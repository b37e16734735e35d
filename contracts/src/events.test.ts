// The event schemas are the executable form of shared/spec/events.md, which producer teams code
// against: a schema that is stricter than the page dead-letters good traffic, a looser one lets
// bad rows into ClickHouse. The required fields and rules below are written from the page, not
// derived from the schemas, so a drift in either direction fails here.
import { describe, expect, it } from "vitest";
import { AgentStateChanged, ContactQueued, Event, SurveyCompleted } from "./events";
import { parseRfc3339Ms } from "./primitives";

/** The examples at the bottom of events.md, verbatim. */
const SPEC_EXAMPLES = [
  `{"v":1,"event_id":"e-1","type":"contact.queued","occurred_at":"2026-11-22T09:15:00+08:00","site":"sh-pudong","contact_id":"c-881","channel":"voice","queue":"credit_card","customer":{"tier":"vip","phone":"13812345678"}}`,
  `{"v":1,"event_id":"e-2","type":"contact.answered","occurred_at":"2026-11-22T09:15:17.400+08:00","site":"sh-pudong","contact_id":"c-881","queue":"credit_card","agent_id":"a-07"}`,
  `{"v":1,"event_id":"e-3","type":"contact.ended","occurred_at":"2026-11-22T09:19:02+08:00","site":"sh-pudong","contact_id":"c-881","queue":"credit_card","agent_id":"a-07"}`,
  `{"v":1,"event_id":"e-4","type":"contact.wrapped_up","occurred_at":"2026-11-22T09:19:40+08:00","site":"sh-pudong","contact_id":"c-881","queue":"credit_card","agent_id":"a-07","disposition":"resolved","category":"credit_card"}`,
  `{"v":1,"event_id":"e-5","type":"survey.completed","occurred_at":"2026-11-22T09:21:00+08:00","site":"sh-pudong","survey_id":"s-31","contact_id":"c-881","channel":"voice","queue":"credit_card","agent_id":"a-07","csat":5,"resolved":true}`,
  `{"v":1,"event_id":"e-6","type":"agent.state_changed","occurred_at":"2026-11-22T09:19:40+08:00","site":"sh-pudong","agent_id":"a-07","state":"available","queues":["credit_card","loans"],"team":"t-1","name":"王芳"}`,
];

type Json = Record<string, unknown>;

const ENVELOPE = {
  v: 1,
  event_id: "e-1",
  occurred_at: "2026-11-22T09:15:00+08:00",
  site: "sh-pudong",
};

/** Every event type with only the fields events.md requires (a survey also needs one answer). */
const MINIMAL: Record<string, Json> = {
  "contact.queued": {
    ...ENVELOPE,
    type: "contact.queued",
    contact_id: "c-1",
    channel: "voice",
    queue: "q",
  },
  "contact.answered": {
    ...ENVELOPE,
    type: "contact.answered",
    contact_id: "c-1",
    queue: "q",
    agent_id: "a-1",
  },
  "contact.abandoned": { ...ENVELOPE, type: "contact.abandoned", contact_id: "c-1", queue: "q" },
  "contact.callback_requested": {
    ...ENVELOPE,
    type: "contact.callback_requested",
    contact_id: "c-1",
    queue: "q",
  },
  "contact.first_response": {
    ...ENVELOPE,
    type: "contact.first_response",
    contact_id: "c-1",
    queue: "q",
    agent_id: "a-1",
  },
  "contact.transferred": {
    ...ENVELOPE,
    type: "contact.transferred",
    contact_id: "c-1",
    queue: "q",
    agent_id: "a-1",
  },
  "contact.ended": {
    ...ENVELOPE,
    type: "contact.ended",
    contact_id: "c-1",
    queue: "q",
    agent_id: "a-1",
  },
  "contact.wrapped_up": {
    ...ENVELOPE,
    type: "contact.wrapped_up",
    contact_id: "c-1",
    queue: "q",
    agent_id: "a-1",
    disposition: "resolved",
  },
  "agent.state_changed": {
    ...ENVELOPE,
    type: "agent.state_changed",
    agent_id: "a-1",
    state: "available",
  },
  "survey.completed": {
    ...ENVELOPE,
    type: "survey.completed",
    survey_id: "s-1",
    contact_id: "c-1",
    channel: "chat",
    queue: "q",
    csat: 4,
  },
};

/** The required fields of each type per events.md: the envelope plus the "extra fields" not marked optional. */
const REQUIRED: Record<string, string[]> = {
  "contact.queued": ["contact_id", "channel", "queue"],
  "contact.answered": ["contact_id", "queue", "agent_id"],
  "contact.abandoned": ["contact_id", "queue"],
  "contact.callback_requested": ["contact_id", "queue"],
  "contact.first_response": ["contact_id", "queue", "agent_id"],
  "contact.transferred": ["contact_id", "queue", "agent_id"],
  "contact.ended": ["contact_id", "queue", "agent_id"],
  "contact.wrapped_up": ["contact_id", "queue", "agent_id", "disposition"],
  "agent.state_changed": ["agent_id", "state"],
  "survey.completed": ["survey_id", "contact_id", "channel", "queue"],
};

/** Every type with every optional field events.md names. */
const FULL: Record<string, Json> = {
  ...MINIMAL,
  "contact.queued": {
    ...MINIMAL["contact.queued"],
    direction: "outbound",
    customer: { id: "cust-9", tier: "priority", phone: "+86 138 1234 5678" },
  },
  "contact.transferred": {
    ...MINIMAL["contact.transferred"],
    to_queue: "loans",
    to_agent_id: "a-2",
  },
  "contact.wrapped_up": { ...MINIMAL["contact.wrapped_up"], category: "credit_card" },
  "agent.state_changed": {
    ...MINIMAL["agent.state_changed"],
    state: "not_ready",
    reason: "break",
    queues: ["q", "loans"],
    team: "t-1",
    name: "王芳",
  },
  "survey.completed": {
    ...MINIMAL["survey.completed"],
    agent_id: "a-1",
    csat: 5,
    nps: 9,
    resolved: false,
    comment: "快速解决，谢谢！",
  },
};

const EVENT_TYPES = Object.keys(MINIMAL);

function minimal(type: string, patch: Json = {}): Json {
  const base = MINIMAL[type];
  if (!base) throw new Error(`no minimal event for ${type}`);
  return { ...base, ...patch };
}

function without(event: Json, field: string): Json {
  const copy = { ...event };
  delete copy[field];
  return copy;
}

const accepts = (event: unknown) => Event.safeParse(event).success;

/** The distinct paths (dot-joined) of the issues of a rejected event; fails the test if it was accepted. */
function rejectionPaths(event: unknown): string[] {
  const result = Event.safeParse(event);
  expect(result.success, `accepted ${JSON.stringify(event)}`).toBe(false);
  return [...new Set(result.error?.issues.map((i) => i.path.join(".")) ?? [])];
}

describe("the examples of events.md", () => {
  it("are all accepted verbatim, one of each of six types", () => {
    const types = SPEC_EXAMPLES.map((line) => {
      const result = Event.safeParse(JSON.parse(line));
      expect(result.error?.issues, line).toBeUndefined();
      return result.data?.type;
    });
    expect(types).toEqual([
      "contact.queued",
      "contact.answered",
      "contact.ended",
      "contact.wrapped_up",
      "survey.completed",
      "agent.state_changed",
    ]);
  });

  it("parse to exactly their own fields: nothing dropped, nothing added", () => {
    for (const line of SPEC_EXAMPLES)
      expect(Event.parse(JSON.parse(line)), line).toEqual(JSON.parse(line));
  });
});

describe("every event type", () => {
  it("is accepted with only its required fields", () => {
    for (const type of EVENT_TYPES) {
      const result = Event.safeParse(minimal(type));
      expect(result.error?.issues, type).toBeUndefined();
      expect(result.data).toMatchObject(minimal(type));
    }
  });

  it("is accepted with every optional field events.md names, and keeps them all", () => {
    for (const type of EVENT_TYPES) expect(Event.parse(FULL[type]), type).toEqual(FULL[type]);
  });

  it("is rejected without any one envelope field, naming that field", () => {
    for (const type of EVENT_TYPES) {
      for (const field of ["v", "event_id", "type", "occurred_at", "site"]) {
        expect(rejectionPaths(without(minimal(type), field)), `${type} without ${field}`).toContain(
          field,
        );
      }
    }
  });

  it("is rejected without any one of its own required fields, naming that field", () => {
    for (const type of EVENT_TYPES) {
      for (const field of REQUIRED[type] ?? []) {
        expect(rejectionPaths(without(minimal(type), field)), `${type} without ${field}`).toContain(
          field,
        );
      }
    }
  });

  it("is rejected when a required field is null instead of absent", () => {
    for (const type of EVENT_TYPES) {
      for (const field of REQUIRED[type] ?? [])
        expect(accepts(minimal(type, { [field]: null })), `${type} ${field}: null`).toBe(false);
    }
  });
});

describe("the type field", () => {
  it("accepts exactly the ten types of events.md", () => {
    expect(Event.options.map((o) => o.shape.type.value).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it("rejects unknown, misspelled and differently cased types", () => {
    for (const type of [
      "contact.unknown",
      "contact.Queued",
      "CONTACT.QUEUED",
      "contact_queued",
      "queued",
      "agent.state",
      "survey",
      "",
      " contact.queued",
    ]) {
      expect(rejectionPaths(minimal("contact.queued", { type })), type).toEqual(["type"]);
    }
  });

  it("rejects the fields of one type under the name of another", () => {
    // An answered event needs agent_id; the fields of a queued event do not make up for it.
    expect(rejectionPaths(minimal("contact.queued", { type: "contact.answered" }))).toContain(
      "agent_id",
    );
    expect(accepts(minimal("agent.state_changed", { type: "contact.abandoned" }))).toBe(false);
  });
});

describe("the envelope", () => {
  it("requires v to be the number 1", () => {
    expect(accepts(minimal("contact.abandoned", { v: 1 }))).toBe(true);
    for (const v of [0, 2, -1, 1.5, "1", true, null, [1]])
      expect(rejectionPaths(minimal("contact.abandoned", { v })), String(v)).toEqual(["v"]);
  });

  it("accepts an event_id of 1 to 128 characters and rejects empty, longer or non-string ones", () => {
    for (const event_id of ["x", "e-1", "0d5e3f1c-7b7e-4c55-9d55-4b7e2f0a9c11", "x".repeat(128)])
      expect(accepts(minimal("contact.abandoned", { event_id })), event_id).toBe(true);
    for (const event_id of ["", "x".repeat(129), 123, null])
      expect(rejectionPaths(minimal("contact.abandoned", { event_id })), String(event_id)).toEqual([
        "event_id",
      ]);
  });

  it("accepts sites matching [a-z0-9][a-z0-9_-]{0,63}", () => {
    for (const site of [
      "a",
      "0",
      "sh-pudong",
      "bj_national",
      "9-9",
      "a-",
      "a_",
      "a".repeat(64),
      `x${"-_0".repeat(21)}`,
    ]) {
      expect(accepts(minimal("contact.abandoned", { site })), site).toBe(true);
    }
  });

  it("rejects sites outside [a-z0-9][a-z0-9_-]{0,63}: empty, 65 characters, leading - or _, upper case, spaces, dots, non-ASCII, a trailing newline", () => {
    for (const site of [
      "",
      "a".repeat(65),
      "-a",
      "_a",
      "A",
      "Sh-pudong",
      "sh pudong",
      "sh.pudong",
      "sh/pudong",
      "上海",
      "é",
      "a\n",
      " a",
      "a ",
      7,
    ]) {
      expect(rejectionPaths(minimal("contact.abandoned", { site })), JSON.stringify(site)).toEqual([
        "site",
      ]);
    }
  });
});

describe("ids (contact_id, agent_id, queue, survey_id and the other id fields)", () => {
  /** Every id field of every type, with the event it sits in. */
  const idFields: Array<[string, string]> = [];
  for (const type of EVENT_TYPES)
    for (const f of ["contact_id", "agent_id", "queue", "survey_id"])
      if (f in minimal(type)) idFields.push([type, f]);
  idFields.push(["contact.transferred", "to_queue"], ["contact.transferred", "to_agent_id"]);

  it("accept 1 to 128 printable characters, spaces, punctuation, CJK and emoji included", () => {
    for (const [type, field] of idFields) {
      for (const id of [
        "x",
        "c-881",
        "credit card",
        "a/b:c@d#1",
        "信用卡",
        "王芳",
        "📞 vip",
        "x".repeat(128),
        `${"x".repeat(126)}😀`,
      ]) {
        expect(accepts(minimal(type, { [field]: id })), `${type} ${field} ${id}`).toBe(true);
      }
    }
  });

  it("reject empty and 129-character ids", () => {
    for (const [type, field] of idFields) {
      for (const id of ["", "x".repeat(129)])
        expect(
          rejectionPaths(minimal(type, { [field]: id })),
          `${type} ${field} length ${id.length}`,
        ).toContain(field);
    }
  });

  it("reject ids containing any C0 control character, DEL or a C1 control character", () => {
    const controls: number[] = [];
    for (let c = 0x00; c <= 0x1f; c++) controls.push(c);
    controls.push(0x7f);
    for (let c = 0x80; c <= 0x9f; c++) controls.push(c);
    expect(controls).toHaveLength(32 + 1 + 32);
    // Collected rather than asserted one by one: thousands of cases, one readable failure list.
    const wrong: string[] = [];
    for (const [type, field] of idFields) {
      for (const c of controls) {
        const ch = String.fromCharCode(c);
        for (const id of [ch, `a${ch}b`, `ab${ch}`]) {
          const result = Event.safeParse(minimal(type, { [field]: id }));
          const paths = [...new Set(result.error?.issues.map((i) => i.path.join(".")) ?? [])];
          if (result.success || paths.join() !== field)
            wrong.push(
              `${type} ${field} ${JSON.stringify(id)}: ${result.success ? "accepted" : paths.join()}`,
            );
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("count characters, not UTF-16 units: 128 emoji are accepted and 129 rejected", () => {
    expect(accepts(minimal("contact.abandoned", { contact_id: "😀".repeat(128) }))).toBe(true);
    expect(rejectionPaths(minimal("contact.abandoned", { contact_id: "😀".repeat(129) }))).toEqual([
      "contact_id",
    ]);
  });

  it("reject ids with an unpaired surrogate (not a printable character, and not valid UTF-8 when stored)", () => {
    for (const id of ["\ud800", "a\udc00", "\ud83d"])
      expect(rejectionPaths(minimal("contact.abandoned", { contact_id: id }))).toEqual([
        "contact_id",
      ]);
  });

  it("reject ids that are not strings", () => {
    for (const id of [881, true, ["c-1"], { id: "c-1" }])
      expect(rejectionPaths(minimal("contact.abandoned", { contact_id: id }))).toEqual([
        "contact_id",
      ]);
  });

  it("apply to every element of an agent's queues, naming the element", () => {
    expect(accepts(minimal("agent.state_changed", { queues: [] }))).toBe(true);
    expect(accepts(minimal("agent.state_changed", { queues: ["a", "信用卡"] }))).toBe(true);
    expect(rejectionPaths(minimal("agent.state_changed", { queues: ["ok", "bad\u0000"] }))).toEqual(
      ["queues.1"],
    );
    expect(rejectionPaths(minimal("agent.state_changed", { queues: ["ok", ""] }))).toEqual([
      "queues.1",
    ]);
    expect(rejectionPaths(minimal("agent.state_changed", { queues: "q" }))).toEqual(["queues"]);
  });
});

describe("occurred_at", () => {
  const at = (occurred_at: unknown) => minimal("contact.abandoned", { occurred_at });

  it("reads the instant exactly: the first three fraction digits as milliseconds, years below 100 as themselves", () => {
    expect(parseRfc3339Ms("2026-11-22T09:15:30.29Z")).toBe(Date.UTC(2026, 10, 22, 9, 15, 30, 290));
    expect(parseRfc3339Ms("2026-11-22T09:15:30.2999999999Z")).toBe(
      Date.UTC(2026, 10, 22, 9, 15, 30, 299),
    );
    expect(parseRfc3339Ms("2026-11-22T09:15:30.5+08:00")).toBe(
      Date.UTC(2026, 10, 22, 1, 15, 30, 500),
    );
    expect(new Date(parseRfc3339Ms("0050-01-01T00:00:00Z")!).getUTCFullYear()).toBe(50);
    expect(parseRfc3339Ms("0000-02-29T00:00:00Z")).not.toBeNull(); // year 0 is a leap year
  });

  it("accepts RFC 3339 with Z or an offset, an optional fraction, and lower-case t and z", () => {
    for (const s of [
      "2026-11-22T09:15:30Z",
      "2026-11-22T09:15:30+08:00",
      "2026-11-22T09:15:30-05:00",
      "2026-11-22T09:15:30+00:00",
      "2026-11-22T09:15:30-00:00",
      "2026-11-22T09:15:30+14:00",
      "2026-11-22T09:15:30.2Z",
      "2026-11-22T09:15:30.250+08:00",
      "2026-11-22T09:15:30.123456789Z",
      "2026-11-22T09:15:30.1234567890123Z",
      "2026-11-22t09:15:30z",
      "2026-11-22t09:15:30.5+05:30",
      "2024-02-29T23:59:59Z",
      "2026-12-31T23:59:59.999Z",
      "2026-01-01T00:00:00Z",
      "1999-06-15T12:00:00+01:00",
    ]) {
      expect(accepts(at(s)), s).toBe(true);
    }
  });

  it("rejects missing seconds, a missing zone, impossible dates and times, and other date formats", () => {
    for (const s of [
      "2026-11-22T09:15Z",
      "2026-11-22T09:15+08:00",
      "2026-11-22T09:15:30",
      "2026-11-22T09:15:30.250",
      "2026-02-30T00:00:00Z",
      "2025-02-29T00:00:00Z",
      "2026-04-31T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-00-10T00:00:00Z",
      "2026-11-00T00:00:00Z",
      "2026-11-32T00:00:00Z",
      "2026-11-22T24:00:00Z",
      "2026-11-22T09:60:00Z",
      "2026-11-22T09:15:61Z",
      "2026-11-22T09:15:30+24:00",
      "2026-11-22T09:15:30+08:60",
      "2026-11-22T09:15:30+0800",
      "2026-11-22T09:15:30+08",
      "2026-11-22T09:15:30.Z",
      "2026-11-22T09:15:30,5Z",
      "2026-11-22 09:15:30Z",
      "2026-11-22",
      "09:15:30Z",
      "2026-11-22T9:15:30Z",
      "26-11-22T09:15:30Z",
      "20260-11-22T09:15:30Z",
      " 2026-11-22T09:15:30Z",
      "2026-11-22T09:15:30Z ",
      "2026-11-22T09:15:30Z\n",
      "Sun, 22 Nov 2026 09:15:30 GMT",
      "",
    ]) {
      expect(rejectionPaths(at(s)), s).toEqual(["occurred_at"]);
    }
  });

  it("rejects epoch numbers and other non-strings", () => {
    for (const v of [1795310130000, 1795310130, null, {}])
      expect(rejectionPaths(at(v)), String(v)).toEqual(["occurred_at"]);
  });
});

describe("enumerated fields", () => {
  it("accept every channel of events.md on queued contacts and surveys, and nothing else", () => {
    for (const channel of ["voice", "chat", "email", "video"]) {
      expect(accepts(minimal("contact.queued", { channel })), channel).toBe(true);
      expect(accepts(minimal("survey.completed", { channel })), channel).toBe(true);
    }
    for (const channel of ["sms", "Voice", "VOICE", "phone", "", null]) {
      expect(rejectionPaths(minimal("contact.queued", { channel })), String(channel)).toEqual([
        "channel",
      ]);
      expect(rejectionPaths(minimal("survey.completed", { channel })), String(channel)).toEqual([
        "channel",
      ]);
    }
  });

  it("accept inbound and outbound as direction, and nothing else", () => {
    for (const direction of ["inbound", "outbound"])
      expect(accepts(minimal("contact.queued", { direction }))).toBe(true);
    for (const direction of ["both", "Inbound", "in", ""])
      expect(rejectionPaths(minimal("contact.queued", { direction }))).toEqual(["direction"]);
  });

  it("accept standard, priority and vip as customer.tier, and nothing else", () => {
    for (const tier of ["standard", "priority", "vip"])
      expect(accepts(minimal("contact.queued", { customer: { tier } })), tier).toBe(true);
    for (const tier of ["gold", "VIP", "Vip", "premium", "", 1]) {
      expect(
        rejectionPaths(minimal("contact.queued", { customer: { tier } })),
        String(tier),
      ).toEqual(["customer.tier"]);
    }
  });

  it("accept a customer with any subset of id, tier and phone, the empty object included", () => {
    for (const customer of [
      {},
      { id: "cust-1" },
      { phone: "13812345678" },
      { id: "cust-1", tier: "vip", phone: "13812345678" },
    ]) {
      expect(accepts(minimal("contact.queued", { customer })), JSON.stringify(customer)).toBe(true);
    }
    expect(rejectionPaths(minimal("contact.queued", { customer: "vip" }))).toEqual(["customer"]);
  });

  it("accept every disposition of events.md, and nothing else", () => {
    for (const disposition of ["resolved", "unresolved", "escalated", "callback_scheduled"]) {
      expect(accepts(minimal("contact.wrapped_up", { disposition })), disposition).toBe(true);
    }
    for (const disposition of ["closed", "Resolved", "callback", ""]) {
      expect(rejectionPaths(minimal("contact.wrapped_up", { disposition })), disposition).toEqual([
        "disposition",
      ]);
    }
  });

  it("accept every agent state of events.md, and nothing else", () => {
    for (const state of ["logged_out", "available", "not_ready", "on_contact", "wrap_up"]) {
      expect(accepts(minimal("agent.state_changed", { state })), state).toBe(true);
    }
    for (const state of ["busy", "Available", "on_call", "wrapup", ""]) {
      expect(rejectionPaths(minimal("agent.state_changed", { state })), state).toEqual(["state"]);
    }
  });
});

describe("survey.completed", () => {
  const survey = (patch: Json) => {
    const { csat: _csat, ...base } = minimal("survey.completed");
    return { ...base, ...patch };
  };

  it("is rejected with none of csat, nps and resolved, with a reason saying so", () => {
    const result = SurveyCompleted.safeParse(survey({}));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      "at least one of csat, nps, resolved is required",
    ]);
    expect(accepts(survey({ comment: "only a comment" }))).toBe(false);
    expect(accepts(survey({ agent_id: "a-1" }))).toBe(false);
  });

  it("is accepted with any one of csat, nps and resolved, falsy values included", () => {
    for (const patch of [
      { csat: 1 },
      { nps: 0 },
      { resolved: false },
      { resolved: true },
      { nps: 10, resolved: false },
    ]) {
      expect(accepts(survey(patch)), JSON.stringify(patch)).toBe(true);
    }
  });

  it("accepts csat as an integer from 1 to 5 only", () => {
    for (const csat of [1, 2, 3, 4, 5]) expect(accepts(survey({ csat })), String(csat)).toBe(true);
    for (const csat of [0, 6, -1, 4.5, "5", null, NaN, Infinity])
      expect(rejectionPaths(survey({ csat, resolved: true })), String(csat)).toEqual(["csat"]);
  });

  it("accepts nps as an integer from 0 to 10 only", () => {
    for (let nps = 0; nps <= 10; nps++) expect(accepts(survey({ nps })), String(nps)).toBe(true);
    for (const nps of [-1, 11, 7.5, "9", null])
      expect(rejectionPaths(survey({ nps, resolved: true })), String(nps)).toEqual(["nps"]);
  });

  it("accepts resolved as a boolean only", () => {
    for (const resolved of ["true", 1, 0, null])
      expect(rejectionPaths(survey({ resolved, csat: 3 })), String(resolved)).toEqual(["resolved"]);
  });

  it("accepts a comment of up to 2000 characters, newlines and CJK included, and rejects 2001", () => {
    for (const comment of ["", "thanks\nvery quick", "很满意".repeat(600), "x".repeat(2000)])
      expect(accepts(survey({ csat: 5, comment })), `length ${comment.length}`).toBe(true);
    expect(rejectionPaths(survey({ csat: 5, comment: "x".repeat(2001) }))).toEqual(["comment"]);
  });
});

describe("unknown extra fields", () => {
  it("are accepted on every type and stripped from the parsed event", () => {
    const extras = { producer: "acd-7", trace: { id: "t-1" }, priority: 3, v2_field: null };
    for (const type of EVENT_TYPES) {
      const parsed = Event.parse({ ...FULL[type], ...extras });
      expect(parsed, type).toEqual(FULL[type]);
      for (const key of Object.keys(extras)) expect(Object.keys(parsed), type).not.toContain(key);
    }
  });

  it("are stripped inside customer too", () => {
    const parsed = ContactQueued.parse(
      minimal("contact.queued", {
        customer: { tier: "vip", segment: "private_banking", kyc: { level: 2 } },
      }),
    );
    expect(parsed.customer).toEqual({ tier: "vip" });
  });

  it("are stripped from the spec examples with extra fields added", () => {
    for (const line of SPEC_EXAMPLES) {
      const example = JSON.parse(line) as Json;
      expect(Event.parse({ ...example, x_source: "test" })).toEqual(example);
    }
  });

  it("do not loosen the rules of the known fields", () => {
    expect(
      AgentStateChanged.safeParse({ ...minimal("agent.state_changed"), extra: 1, state: "busy" })
        .success,
    ).toBe(false);
  });
});
