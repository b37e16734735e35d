// Settings of notifications (issue #13), from the environment (api/src/env.ts) or a test.
import type { WebhookEvent } from "@floorwatch/contracts";

export interface WebhookOptions {
  /** WEBHOOK_SECRET_KEY: 32 bytes, base64 (or 64 hex digits), sealing URLs and secrets at rest. */
  secretKey?: string;
  /** WEBHOOK_SECRET_KEY_PREVIOUS: keys that may still open what was sealed before a key change. */
  previousKeys?: string[];
  /** WEBHOOK_ALLOW_NETWORKS: addresses or CIDRs a target may be in although private (empty). */
  allowNetworks?: string;
  /** PUBLIC_URL: where people reach Floorwatch; makes drill links absolute. */
  publicUrl?: string;
  /** WEBHOOK_TIMEOUT_MS: one request, connect to answer (10 s). */
  timeoutMs?: number;
  /** WEBHOOK_CONCURRENCY: requests in flight at once, all subscriptions together (8). */
  concurrency?: number;
  /** WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_MS: backoff after the first failure, and its cap. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** WEBHOOK_RETRY_FOR_MS: a delivery is retried this long after it was queued (24 h). */
  retryForMs?: number;
  /** WEBHOOK_DISABLE_AFTER_MS: a subscription failing this long is disabled (24 h). */
  disableAfterMs?: number;
  /** How often the worker looks for deliveries other processes queued (1 s). */
  pollMs?: number;
  /** Called with every event queued (tests, the benchmark). */
  onQueued?: (event: WebhookEvent) => void;
}

export const WEBHOOK_DEFAULTS = {
  timeoutMs: 10_000,
  concurrency: 8,
  retryBaseMs: 5_000,
  retryMaxMs: 3_600_000,
  retryForMs: 86_400_000,
  disableAfterMs: 86_400_000,
  pollMs: 1_000,
} as const;
