import { clickhouseConfig, clickhouseEnv, logEnv, parseEnv } from "@floorwatch/sql";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ExportLang } from "@floorwatch/contracts";
import { z } from "zod";
import { WEBHOOK_DEFAULTS } from "./webhooks/options";

const Env = z.object({
  ...clickhouseEnv,
  ...logEnv,
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default("127.0.0.1"),
  /** The built wallboard (vite build wallboard); served at / when present. */
  WALLBOARD_DIR: z
    .string()
    .default(join(dirname(fileURLToPath(import.meta.url)), "../../wallboard/dist")),
  /** Accepted as an admin token (automation); never stored. Long enough not to be guessed. */
  ADMIN_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  /** Reverse proxies in front of the API: 0 trusts no X-Forwarded-For (the default). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  /** Kafka, where the API processes elect the one that evaluates alert rules. */
  KAFKA_BROKERS: z.string().default("127.0.0.1:9092"),
  /** false: this process never evaluates alerts (it still serves them). */
  ALERTS_EVALUATOR: z.stringbool().default(true),
  /** How often the elected process evaluates every rule (issue #11: at least every 5 s). */
  ALERTS_TICK_MS: z.coerce.number().int().min(250).max(5_000).default(2_000),
  /** The one-partition topic and consumer group of the election. */
  ALERTS_ELECTION_TOPIC: z.string().min(1).default("floorwatch.alerts.election"),
  ALERTS_ELECTION_GROUP: z.string().min(1).default("floorwatch-alerts"),
  /** How long a silent evaluator keeps the role before another takes over (Kafka's session). */
  ALERTS_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(60_000).default(8_000),
  /**
   * Seals webhook URLs and signing secrets at rest (AES-256-GCM): 32 bytes as base64 or 64 hex
   * digits, e.g. `openssl rand -base64 32`. Without it webhooks cannot be created, and the API
   * refuses to start while any exist.
   */
  WEBHOOK_SECRET_KEY: z.string().optional(),
  /** Earlier keys (comma-separated) that still open what they sealed, after a key change. */
  WEBHOOK_SECRET_KEY_PREVIOUS: z.string().default(""),
  /** Addresses or CIDRs webhook targets may be in although private or loopback (empty). */
  WEBHOOK_ALLOW_NETWORKS: z.string().default(""),
  /** Where people open Floorwatch (https://floorwatch.example.com): links in notifications. */
  PUBLIC_URL: z
    .string()
    .refine((s) => URL.canParse(s), "must be an absolute URL")
    .optional(),
  /** One webhook request, connect to answer. */
  WEBHOOK_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(500)
    .max(60_000)
    .default(WEBHOOK_DEFAULTS.timeoutMs),
  /** Webhook requests in flight at once (one per subscription at most). */
  WEBHOOK_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    .default(WEBHOOK_DEFAULTS.concurrency),
  /** Backoff after a failed attempt: doubling from the base up to the cap, jittered. */
  WEBHOOK_RETRY_BASE_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(3_600_000)
    .default(WEBHOOK_DEFAULTS.retryBaseMs),
  WEBHOOK_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(86_400_000)
    .default(WEBHOOK_DEFAULTS.retryMaxMs),
  /** How long a delivery is retried after it was queued (24 h). */
  WEBHOOK_RETRY_FOR_MS: z.coerce.number().int().min(1_000).default(WEBHOOK_DEFAULTS.retryForMs),
  /** A subscription failing this long without a success is disabled, and an alert says so (24 h). */
  WEBHOOK_DISABLE_AFTER_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(WEBHOOK_DEFAULTS.disableAfterMs),
  /** How often the sender looks for deliveries other processes queued. */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(WEBHOOK_DEFAULTS.pollMs),
  /** Where compliance packs are kept (made on request and on schedule); created when missing. */
  EXPORT_DIR: z.string().min(1).default(join(process.cwd(), "exports")),
  /** false: no process makes last month's packs by itself (they can still be asked for). */
  EXPORT_SCHEDULE: z.stringbool().default(true),
  /**
   * How long after the 1st's local midnight last month's pack is made (26 h): every low score of
   * the month is due by the 2nd's midnight, so the pack judges all of them, and late events have
   * two more hours to arrive.
   */
  EXPORT_GRACE_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 27)
    .default(26),
  /** The languages of the scheduled packs, comma-separated. */
  EXPORT_SCHEDULE_LANGS: z
    .string()
    .default("zh-CN,en")
    .transform((s) =>
      s
        .split(",")
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(z.array(ExportLang).min(1)),
  /** Who ran `npm run token` (recorded in the audit log). */
  USER: z.string().default("unknown"),
});

export const env = parseEnv(Env, process.env, "api");
export const clickhouse = clickhouseConfig(env);
