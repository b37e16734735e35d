// Decoding a Kafka message into a contract event, as small named steps that return a closed result
// instead of throwing on bad data (conventions.md habit 3). Bad data is final: it goes to the DLQ
// at once and is never retried. Only a dependency being down is retried, by the caller.
import {
  Event,
  MAX_EVENT_BYTES,
  MAX_FUTURE_SKEW_MS,
  parseRfc3339Ms,
  type Event as EventT,
} from "@floorwatch/contracts";

export const REJECT_REASONS = [
  "too_large",
  "invalid_json",
  "schema",
  "future_timestamp",
  "wrong_topic",
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export type StepResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: RejectReason; detail: string };

const ok = <T>(value: T): StepResult<T> => ({ ok: true, value });
const reject = (reason: RejectReason, detail: string): StepResult<never> => ({
  ok: false,
  reason,
  detail,
});

export type EventFamily = "contact" | "agent" | "survey";

export function familyOf(type: EventT["type"]): EventFamily {
  if (type.startsWith("contact.")) return "contact";
  return type === "agent.state_changed" ? "agent" : "survey";
}

export function checkSize(value: Buffer | null): StepResult<Buffer> {
  if (value === null || value.length === 0) return reject("invalid_json", "empty message value");
  if (value.length > MAX_EVENT_BYTES)
    return reject("too_large", `${value.length} bytes, limit ${MAX_EVENT_BYTES}`);
  return ok(value);
}

export function parseJson(bytes: Buffer): StepResult<unknown> {
  // fatal: invalid UTF-8 is invalid JSON text, not a string with U+FFFD in it.
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return reject("invalid_json", "value is not valid UTF-8");
  }
  try {
    return ok(JSON.parse(text));
  } catch (err) {
    return reject("invalid_json", (err as Error).message);
  }
}

export function validateSchema(json: unknown): StepResult<EventT> {
  const result = Event.safeParse(json);
  if (result.success) return ok(result.data);
  const detail = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
  return reject("schema", detail);
}

export function checkNotFuture(event: EventT, nowMs: number): StepResult<EventT> {
  const at = parseRfc3339Ms(event.occurred_at) ?? 0; // the schema already proved it parses
  if (at - nowMs > MAX_FUTURE_SKEW_MS)
    return reject(
      "future_timestamp",
      `occurred_at ${event.occurred_at} is ${Math.round((at - nowMs) / 1000)} s ahead of the ingest clock`,
    );
  return ok(event);
}

export function checkTopic(
  event: EventT,
  expected: EventFamily,
  topic: string,
): StepResult<EventT> {
  const family = familyOf(event.type);
  if (family !== expected)
    return reject("wrong_topic", `${event.type} does not belong on ${topic}`);
  return ok(event);
}

/** The whole decode pipeline for one message of a topic carrying `family` events. */
export function decode(
  value: Buffer | null,
  ctx: { family: EventFamily; topic: string; nowMs: number },
): StepResult<EventT> {
  const sized = checkSize(value);
  if (!sized.ok) return sized;
  const json = parseJson(sized.value);
  if (!json.ok) return json;
  const event = validateSchema(json.value);
  if (!event.ok) return event;
  const timely = checkNotFuture(event.value, ctx.nowMs);
  if (!timely.ok) return timely;
  return checkTopic(timely.value, ctx.family, ctx.topic);
}
