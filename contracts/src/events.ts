// Executable form of ../../shared/spec/events.md (contract v1). It must accept exactly what that
// page allows and reject everything else with a reason. Additions are optional fields only.
import { z } from "zod";
import { Id, Rfc3339, SiteId } from "./primitives";

export const Channel = z.enum(["voice", "chat", "email", "video"]);
export type Channel = z.infer<typeof Channel>;

const envelope = {
  v: z.literal(1),
  event_id: z.string().min(1).max(128),
  occurred_at: Rfc3339.meta({
    format: "date-time",
    description:
      "RFC 3339 with Z or an offset, optional fraction. More than 5 minutes in the future is rejected.",
  }),
  site: SiteId,
};

export const CustomerTier = z.enum(["standard", "priority", "vip"]);
export const Customer = z.object({
  id: Id.optional(),
  tier: CustomerTier.optional(),
  phone: z.string().min(1).max(64).optional(),
});
export type Customer = z.infer<typeof Customer>;

export const ContactQueued = z.object({
  ...envelope,
  type: z.literal("contact.queued"),
  contact_id: Id,
  channel: Channel,
  queue: Id,
  direction: z.enum(["inbound", "outbound"]).optional(),
  customer: Customer.optional(),
});
export type ContactQueued = z.infer<typeof ContactQueued>;

export const ContactAnswered = z.object({
  ...envelope,
  type: z.literal("contact.answered"),
  contact_id: Id,
  queue: Id,
  agent_id: Id,
});
export type ContactAnswered = z.infer<typeof ContactAnswered>;

export const ContactAbandoned = z.object({
  ...envelope,
  type: z.literal("contact.abandoned"),
  contact_id: Id,
  queue: Id,
});
export type ContactAbandoned = z.infer<typeof ContactAbandoned>;

export const ContactCallbackRequested = z.object({
  ...envelope,
  type: z.literal("contact.callback_requested"),
  contact_id: Id,
  queue: Id,
});
export type ContactCallbackRequested = z.infer<typeof ContactCallbackRequested>;

export const ContactFirstResponse = z.object({
  ...envelope,
  type: z.literal("contact.first_response"),
  contact_id: Id,
  queue: Id,
  agent_id: Id,
});
export type ContactFirstResponse = z.infer<typeof ContactFirstResponse>;

export const ContactTransferred = z.object({
  ...envelope,
  type: z.literal("contact.transferred"),
  contact_id: Id,
  queue: Id,
  agent_id: Id,
  to_queue: Id.optional(),
  to_agent_id: Id.optional(),
});
export type ContactTransferred = z.infer<typeof ContactTransferred>;

export const ContactEnded = z.object({
  ...envelope,
  type: z.literal("contact.ended"),
  contact_id: Id,
  queue: Id,
  agent_id: Id,
});
export type ContactEnded = z.infer<typeof ContactEnded>;

export const Disposition = z.enum(["resolved", "unresolved", "escalated", "callback_scheduled"]);
export type Disposition = z.infer<typeof Disposition>;

export const ContactWrappedUp = z.object({
  ...envelope,
  type: z.literal("contact.wrapped_up"),
  contact_id: Id,
  queue: Id,
  agent_id: Id,
  disposition: Disposition,
  category: Id.optional(),
});
export type ContactWrappedUp = z.infer<typeof ContactWrappedUp>;

export const AgentState = z.enum(["logged_out", "available", "not_ready", "on_contact", "wrap_up"]);
export type AgentState = z.infer<typeof AgentState>;

export const AgentStateChanged = z.object({
  ...envelope,
  type: z.literal("agent.state_changed"),
  agent_id: Id,
  state: AgentState,
  reason: Id.optional(),
  queues: z.array(Id).optional(),
  team: Id.optional(),
  name: z.string().min(1).max(128).optional(),
});
export type AgentStateChanged = z.infer<typeof AgentStateChanged>;

export const SurveyCompleted = z
  .object({
    ...envelope,
    type: z.literal("survey.completed"),
    survey_id: Id,
    contact_id: Id,
    channel: Channel,
    queue: Id,
    agent_id: Id.optional(),
    csat: z.int().min(1).max(5).optional(),
    nps: z.int().min(0).max(10).optional(),
    resolved: z.boolean().optional(),
    comment: z.string().max(2000).optional(),
  })
  .refine((s) => s.csat !== undefined || s.nps !== undefined || s.resolved !== undefined, {
    message: "at least one of csat, nps, resolved is required",
    path: ["csat"],
  });
export type SurveyCompleted = z.infer<typeof SurveyCompleted>;

export const ContactEvent = z.discriminatedUnion("type", [
  ContactQueued,
  ContactAnswered,
  ContactAbandoned,
  ContactCallbackRequested,
  ContactFirstResponse,
  ContactTransferred,
  ContactEnded,
  ContactWrappedUp,
]);
export type ContactEvent = z.infer<typeof ContactEvent>;

export const Event = z.discriminatedUnion("type", [
  ...ContactEvent.options,
  AgentStateChanged,
  SurveyCompleted,
]);
export type Event = z.infer<typeof Event>;
export type EventType = Event["type"];

export const CONTACT_EVENT_TYPES = ContactEvent.options.map((o) => o.shape.type.value);

/** Visit-ending event types of metrics.md ("Queue visits"); a flow-out is the fourth way. */
export const VISIT_END_TYPES = [
  "contact.answered",
  "contact.abandoned",
  "contact.callback_requested",
] as const;

/** Largest message the contract accepts (events.md "Rejections"). */
export const MAX_EVENT_BYTES = 64 * 1024;

/** Clock-skew allowance: events further in the future are rejected (events.md "Envelope"). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
