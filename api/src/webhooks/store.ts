// Webhook subscriptions (sql/migrations/0012_webhooks.sql `webhooks`), versioned like alert rules:
// every write stores the next version of the whole subscription, a delete a deleted version, and
// nothing is rewritten. `site` is always '' (a subscription names its sites in its body).
//
// A stored body holds in clear only what GET may show (name, format, sites, filter, language,
// enabled, the masked URL, the start of the signing secret); the URL itself, the signing secrets
// and the robot's secret are in its `sealed` field, encrypted under WEBHOOK_SECRET_KEY with the
// webhook id as additional data (seal.ts). Reads that answer people never open it; the dispatcher
// and the worker read opened subscriptions through `current()`, cached about a second.
import { randomBytes } from "node:crypto";
import {
  ROBOT_SIGNED_FORMATS,
  WebhookFilter,
  WebhookFormat,
  WebhookLang,
  type WebhookDraft,
  type WebhookChange,
} from "@floorwatch/contracts";
import {
  errorFields,
  insertRows,
  loadWebhookVersions,
  runQuery,
  WEBHOOKS_TABLE,
  type ClickHouseClient,
  type Logger,
  type WebhookRow,
} from "@floorwatch/sql";
import { z } from "zod";
import { ApiError } from "../errors";
import { oneWriteAtATime } from "../routes/versioned";
import { maskUrl } from "./network";
import type { Sealer } from "./seal";
import { generateSecret } from "./sign";
import type { Subscription, SubscriptionSource } from "./types";

/** What a stored body holds in clear. */
const StoredBody = z.object({
  name: z.string(),
  format: WebhookFormat,
  sites: z.array(z.string()),
  events: WebhookFilter,
  lang: WebhookLang,
  enabled: z.boolean(),
  disabled_reason: z.string().nullable(),
  url_masked: z.string(),
  /** standard: `whsec_AbCd…`; null for robot formats. */
  secret_hint: z.string().nullable(),
  /** Until when the previous signing secret is used beside the current one (0: none). */
  previous_until_ms: z.number(),
  robot_secret_set: z.boolean(),
  /** seal(JSON of `Secrets`, webhook id). */
  sealed: z.string(),
});
type StoredBody = z.infer<typeof StoredBody>;

/** What `sealed` opens to. */
const Secrets = z.object({
  url: z.string(),
  secret: z.string().nullable(),
  previous_secret: z.string().nullable(),
  robot_secret: z.string().nullable(),
});
type Secrets = z.infer<typeof Secrets>;

/** A subscription's latest version as stored, its secrets still sealed: what GET answers from. */
export interface StoredWebhook extends Omit<StoredBody, "sealed"> {
  id: string;
  version: number;
  /** Of its first version. */
  created_ms: number;
  created_by: string;
  /** Of its latest version. */
  updated_ms: number;
  updated_by: string;
  sealed: string;
}

/** What a write answers: the version stored, opened, and the signing secret when a new one was made. */
export interface Written {
  stored: StoredWebhook;
  sub: Subscription;
  /** The new signing secret (create, rotate of a standard subscription), else null. */
  secret: string | null;
}

/**
 * Called with the version in force just before a write replaces it, inside the write's turn:
 * the route's If-Match and scope checks, which must see the version the write replaces.
 */
export type BeforeWrite = (current: StoredWebhook) => void | Promise<void>;

export interface WebhookStore extends SubscriptionSource {
  /** Whether WEBHOOK_SECRET_KEY is set: without it nothing can be written or sent. */
  readonly available: boolean;
  /** Every subscription not deleted, oldest first (nothing opened). */
  list(): Promise<StoredWebhook[]>;
  /** The subscription in force, or null when it never existed or is deleted. */
  get(id: string): Promise<StoredWebhook | null>;
  /** Its secrets opened (503 without the key). */
  open(w: StoredWebhook): Subscription;
  create(draft: WebhookDraft, by: string): Promise<Written>;
  /** The next version; `url` and `robot_secret` left out keep the stored ones. */
  update(
    id: string,
    update: WebhookChange,
    by: string,
    before?: BeforeWrite,
  ): Promise<
    Written & {
      /** It was disabled and is enabled by this write. */
      enabledAgain: boolean;
    }
  >;
  /** Stores a deleted version; answers its number. */
  remove(id: string, by: string, before?: BeforeWrite): Promise<number>;
  /** A new signing secret; the old one stays valid beside it for `overlapS` seconds. */
  rotate(id: string, overlapS: number, by: string, before?: BeforeWrite): Promise<Written>;
}

/** Who writes what the service decides itself (a subscription disabled for 410 Gone). */
export const SERVICE_ACTOR = "floorwatch";

type VersionRow = Pick<
  WebhookRow,
  "webhook_id" | "version" | "deleted" | "body" | "created_ms" | "created_by"
>;

const notFound = (id: string) => new ApiError("not_found", `no webhook "${id}"`);

/** How a signing secret is shown again: its prefix and four characters, enough to tell two apart. */
const hintOf = (secret: string) => `${secret.slice(0, 10)}…`;

function parseBody(body: string): StoredBody | null {
  try {
    const r = StoredBody.safeParse(JSON.parse(body));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** Each subscription's latest version from its stored rows (null: deleted or unreadable). Pure. */
export function latestWebhooks(
  rows: readonly VersionRow[],
): Map<string, { latest: number; current: StoredWebhook | null }> {
  const byId = new Map<string, VersionRow[]>();
  for (const r of rows) {
    const list = byId.get(r.webhook_id) ?? [];
    list.push(r);
    byId.set(r.webhook_id, list);
  }
  const out = new Map<string, { latest: number; current: StoredWebhook | null }>();
  for (const [id, versions] of byId) {
    versions.sort((a, b) => a.version - b.version);
    const first = versions[0]!;
    const last = versions.at(-1)!;
    const body = last.deleted === 1 ? null : parseBody(last.body);
    out.set(id, {
      latest: last.version,
      current: body && {
        ...body,
        id,
        version: last.version,
        created_ms: first.created_ms,
        created_by: first.created_by,
        updated_ms: last.created_ms,
        updated_by: last.created_by,
      },
    });
  }
  return out;
}

/** Whether any subscription is in force: the server refuses to start without a key when one is. */
export async function hasSubscriptions(ch: ClickHouseClient): Promise<boolean> {
  const rows = await runQuery(ch, loadWebhookVersions, {});
  for (const { current } of latestWebhooks(rows).values()) if (current) return true;
  return false;
}

export function makeWebhookStore(
  ch: ClickHouseClient,
  sealer: Sealer,
  opts: { now?: () => number; log?: Logger } = {},
): WebhookStore {
  const now = opts.now ?? Date.now;
  // One write at a time per subscription in this process: a person's PUT and the worker's
  // disable() racing would otherwise both write the same next version, and one would be lost.
  const oneAtATime = oneWriteAtATime();
  let cache: { at: number; subs: Promise<Subscription[]> } | null = null;

  async function state(id: string) {
    const rows = await runQuery(ch, loadWebhookVersions, { webhook_id: id });
    return latestWebhooks(rows).get(id) ?? { latest: 0, current: null };
  }

  function open(w: StoredWebhook): Subscription {
    let plain: string;
    try {
      plain = sealer.open(w.sealed, w.id);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      // A 503 that says what to set, not a bare 500: the operator changed or lost the key.
      // The sealer's message names key ids, never a key or what it sealed.
      throw new ApiError(
        "unavailable",
        `webhook ${w.id} cannot be opened (${err instanceof Error ? err.message : "unknown"}); set WEBHOOK_SECRET_KEY or WEBHOOK_SECRET_KEY_PREVIOUS to the key it was sealed with`,
      );
    }
    // Neither JSON's nor zod's message may reach a log: JSON's quotes the text it read.
    let secrets: Secrets;
    try {
      secrets = Secrets.parse(JSON.parse(plain));
    } catch {
      throw new Error(
        `webhook ${w.id}: its sealed part opened but is not what a subscription seals`,
      );
    }
    return {
      id: w.id,
      version: w.version,
      name: w.name,
      url: secrets.url,
      format: w.format,
      sites: [...w.sites],
      events: structuredClone(w.events),
      lang: w.lang,
      enabled: w.enabled,
      disabled_reason: w.disabled_reason,
      secret: secrets.secret,
      previous_secret: secrets.previous_secret,
      previous_until_ms: w.previous_until_ms,
      robot_secret: secrets.robot_secret,
      created_ms: w.created_ms,
      created_by: w.created_by,
      updated_ms: w.updated_ms,
      updated_by: w.updated_by,
    };
  }

  /** The body of a subscription whose clear fields are `fields` and whose secrets are `secrets`. */
  function bodyOf(
    id: string,
    fields: Omit<
      StoredBody,
      "url_masked" | "secret_hint" | "robot_secret_set" | "sealed" | "previous_until_ms"
    >,
    secrets: Secrets,
    previousUntilMs: number,
  ): StoredBody {
    // A previous secret past its overlap is not kept: nothing signs with it any more.
    const previous = secrets.previous_secret && now() < previousUntilMs;
    const kept: Secrets = {
      ...secrets,
      previous_secret: previous ? secrets.previous_secret : null,
    };
    return {
      ...fields,
      url_masked: maskUrl(secrets.url),
      secret_hint: secrets.secret ? hintOf(secrets.secret) : null,
      previous_until_ms: previous ? previousUntilMs : 0,
      robot_secret_set: secrets.robot_secret !== null,
      sealed: sealer.seal(JSON.stringify(kept), id),
    };
  }

  async function write(
    id: string,
    version: number,
    body: StoredBody | null,
    by: string,
  ): Promise<StoredWebhook | null> {
    await insertRows(ch, WEBHOOKS_TABLE, [
      {
        site: "",
        webhook_id: id,
        version,
        deleted: body ? 0 : 1,
        body: body ? JSON.stringify(body) : "",
        created_ms: now(),
        created_by: by,
      } satisfies WebhookRow,
    ]);
    cache = null;
    // Read back: created_ms and created_by are of the first version, which this write may not be.
    return (await state(id)).current;
  }

  /** The subscription in force, for a write: 404 unless there is one, then the route's checks. */
  async function forWrite(id: string, before?: BeforeWrite) {
    const s = await state(id);
    if (!s.current) throw notFound(id);
    await before?.(s.current);
    return { latest: s.latest, current: s.current };
  }

  const written = (stored: StoredWebhook | null, id: string, secret: string | null): Written => {
    if (!stored) throw new Error(`webhook ${id} not read back after its write`);
    return { stored, sub: open(stored), secret };
  };

  /** Subscriptions the last read could not open; each is warned of once, when it first fails. */
  let unopened = new Set<string>();

  async function loadCurrent(): Promise<Subscription[]> {
    const rows = await runQuery(ch, loadWebhookVersions, {});
    const out: Subscription[] = [];
    const failed = new Set<string>();
    for (const { current } of latestWebhooks(rows).values()) {
      if (!current) continue;
      try {
        out.push(open(current));
      } catch (err) {
        // One subscription sealed under a key no longer configured must not stop every other
        // one's deliveries. The error names the key id and the webhook id, never a secret.
        failed.add(current.id);
        if (!unopened.has(current.id))
          opts.log?.warn("webhook subscription cannot be opened; its deliveries wait", {
            webhook_id: current.id,
            ...errorFields(err),
          });
      }
    }
    unopened = failed;
    return out.sort((a, b) => a.created_ms - b.created_ms || a.id.localeCompare(b.id));
  }

  return {
    available: sealer.available,
    open,

    current(maxAgeMs = 1000) {
      const t = now();
      if (!cache || t - cache.at > maxAgeMs) {
        const subs = loadCurrent();
        cache = { at: t, subs };
        // A failed read is not kept: the next call tries again.
        subs.catch(() => {
          if (cache?.subs === subs) cache = null;
        });
      }
      return cache.subs;
    },

    unopened: () => unopened,

    async list() {
      const rows = await runQuery(ch, loadWebhookVersions, {});
      return [...latestWebhooks(rows).values()]
        .flatMap((s) => (s.current ? [s.current] : []))
        .sort((a, b) => a.created_ms - b.created_ms || a.id.localeCompare(b.id));
    },

    async get(id) {
      return (await state(id)).current;
    },

    async create(draft, by) {
      const id = `wh_${randomBytes(8).toString("hex")}`;
      const secret = draft.format === "standard" ? generateSecret() : null;
      const robotSecret = ROBOT_SIGNED_FORMATS.includes(draft.format)
        ? (draft.robot_secret ?? null)
        : null;
      const body = bodyOf(
        id,
        {
          name: draft.name,
          format: draft.format,
          sites: draft.sites,
          events: draft.events,
          lang: draft.lang,
          enabled: draft.enabled,
          disabled_reason: null,
        },
        { url: draft.url, secret, previous_secret: null, robot_secret: robotSecret },
        0,
      );
      return written(await write(id, 1, body, by), id, secret);
    },

    update(id, update, by, before) {
      return oneAtATime("", id, async () => {
        const { latest, current } = await forWrite(id, before);
        const was = open(current);
        // A standard subscription's signing secret is made once and shown once; a robot has none.
        // Switching between the two would leave one without a secret or keep one nobody uses.
        if ((was.format === "standard") !== (update.format === "standard"))
          throw new ApiError(
            "bad_request",
            `a ${was.format} subscription cannot become ${update.format}: create a new subscription instead`,
            [{ path: "format", message: `cannot change between standard and a chat robot` }],
          );
        const robotSecret = !ROBOT_SIGNED_FORMATS.includes(update.format)
          ? null
          : update.robot_secret === undefined
            ? was.robot_secret
            : update.robot_secret;
        const body = bodyOf(
          id,
          {
            name: update.name,
            format: update.format,
            sites: update.sites,
            events: update.events,
            lang: update.lang,
            enabled: update.enabled,
            // Only the service sets a reason (disable()); a person's write clears it.
            disabled_reason: null,
          },
          {
            url: update.url ?? was.url,
            secret: was.secret,
            previous_secret: was.previous_secret,
            robot_secret: robotSecret,
          },
          was.previous_until_ms,
        );
        return {
          ...written(await write(id, latest + 1, body, by), id, null),
          enabledAgain: !was.enabled && update.enabled,
        };
      });
    },

    remove(id, by, before) {
      return oneAtATime("", id, async () => {
        const { latest } = await forWrite(id, before);
        await write(id, latest + 1, null, by);
        return latest + 1;
      });
    },

    rotate(id, overlapS, by, before) {
      return oneAtATime("", id, async () => {
        const { latest, current } = await forWrite(id, before);
        const was = open(current);
        if (was.format !== "standard" || !was.secret)
          throw new ApiError(
            "bad_request",
            `a ${was.format} robot signs with its own secret: PUT a new robot_secret instead`,
            [{ path: "format", message: "only standard subscriptions have a signing secret" }],
          );
        const secret = generateSecret();
        const { sealed: _sealed, ...fields } = StoredBody.parse(current);
        const body = bodyOf(
          id,
          fields,
          { url: was.url, secret, previous_secret: was.secret, robot_secret: was.robot_secret },
          now() + overlapS * 1000,
        );
        return written(await write(id, latest + 1, body, by), id, secret);
      });
    },

    disable(id, reason) {
      return oneAtATime("", id, async () => {
        const { latest, current } = await state(id);
        if (!current?.enabled) return;
        // The sealed part is kept as it is (same webhook id): disabling needs no key. Parsing
        // the stored subscription as a body keeps only the body's fields.
        await write(
          id,
          latest + 1,
          { ...StoredBody.parse(current), enabled: false, disabled_reason: reason },
          SERVICE_ACTOR,
        );
      });
    },
  };
}
