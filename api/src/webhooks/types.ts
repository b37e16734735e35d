// What the parts of notifications (issue #13) hand each other: the store of subscriptions
// (store.ts), the dispatcher that turns alert transitions into deliveries (dispatch.ts), the
// delivery worker (worker.ts), the request shapes (formats.ts) and the network guard (network.ts).
import type { WebhookFilter, WebhookFormat, WebhookLang } from "@floorwatch/contracts";

/** A subscription as the service uses it: its secrets opened (never logged, never answered). */
export interface Subscription {
  id: string;
  version: number;
  name: string;
  /** The full URL (a robot's holds its key). */
  url: string;
  format: WebhookFormat;
  /** Empty: every site. */
  sites: string[];
  events: WebhookFilter;
  lang: WebhookLang;
  enabled: boolean;
  disabled_reason: string | null;
  /** standard: the signing secret (`whsec_…`); null for robot formats. */
  secret: string | null;
  /** The secret before the last rotation, used beside `secret` until `previous_until_ms`. */
  previous_secret: string | null;
  previous_until_ms: number;
  /** DingTalk, Feishu: the robot's own signing secret, when set. */
  robot_secret: string | null;
  created_ms: number;
  created_by: string;
  updated_ms: number;
  updated_by: string;
}

/** The subscriptions in force, as the dispatcher and the worker read them. */
export interface SubscriptionSource {
  /** Every subscription not deleted (enabled or not), at most `maxAgeMs` old (default ~1 s). */
  current(maxAgeMs?: number): Promise<Subscription[]>;
  /**
   * Disables a subscription on the service's own account (410 Gone, failing for 24 h): the next
   * version with enabled = false and `reason`, written by "floorwatch".
   */
  disable(id: string, reason: string): Promise<void>;
  /**
   * Subscriptions in force that the last `current()` could not open (sealed under a key this
   * process lacks): their deliveries wait for the right key instead of being cancelled.
   */
  unopened(): ReadonlySet<string>;
}

/** The secrets a standard request is signed with now: the current one, and the previous while it lasts. */
export function signingSecrets(s: Subscription, nowMs: number): string[] {
  const out: string[] = [];
  if (s.secret) out.push(s.secret);
  if (s.previous_secret && nowMs < s.previous_until_ms) out.push(s.previous_secret);
  return out;
}

/** One HTTP request to a receiver, as formats.ts renders it and network.ts sends it. */
export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What came back of one attempt (network.ts). */
export interface AttemptResult {
  /** null: no answer (refused, reset, timed out, target refused by policy). */
  status: number | null;
  /** The first 1 KiB of the body (UTF-8, cut on a character boundary). */
  body: string;
  latency_ms: number;
  /** Why there was no answer; never holds the URL's secrets. */
  error: string | null;
}
