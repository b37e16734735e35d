// Statements over the access tables of sql/migrations/0005_access.sql: API tokens (hashes only)
// and the audit log.
import { z } from "zod";
import { list, sql } from "../escape";
import { defineQuery } from "../query";

export const TOKENS_TABLE = "api_tokens";
export const AUDIT_TABLE = "audit_log";

const Int = z.coerce.number().int();

export interface TokenRow {
  token_id: string;
  secret_sha256: string;
  name: string;
  role: string;
  sites: string[];
  pii: 0 | 1;
  layout: string;
  created_ms: number;
  created_by: string;
  expires_ms: number;
  revoked_ms: number;
  revoked_by: string;
  updated_ms: number;
}

/** The latest version of every token, or of one (revoked ones included: listed as revoked). */
export const loadTokens = defineQuery({
  name: "access_load_tokens",
  params: z.object({ id: z.string().optional() }),
  row: z.object({
    token_id: z.string(),
    secret_sha256: z.string(),
    name: z.string(),
    role: z.string(),
    sites: z.array(z.string()),
    pii: Int,
    layout: z.string(),
    created_ms: Int,
    created_by: z.string(),
    expires_ms: Int,
    revoked_ms: Int,
    revoked_by: z.string(),
  }),
  // Aliases differ from the columns the aggregates read (18.16 resolves `argMax(x, …) AS x` to itself).
  build: (p) => sql`
    SELECT token_id, h AS secret_sha256, n AS name, r AS role, s AS sites, p AS pii, l AS layout, c AS created_ms,
           cb AS created_by, e AS expires_ms, rv AS revoked_ms, rb AS revoked_by
    FROM
    (
      SELECT token_id, argMax(secret_sha256, updated_ms) AS h, argMax(name, updated_ms) AS n, argMax(role, updated_ms) AS r,
             argMax(sites, updated_ms) AS s, argMax(pii, updated_ms) AS p, argMax(layout, updated_ms) AS l,
             argMax(created_ms, updated_ms) AS c, argMax(created_by, updated_ms) AS cb, argMax(expires_ms, updated_ms) AS e,
             argMax(revoked_ms, updated_ms) AS rv, argMax(revoked_by, updated_ms) AS rb
      FROM api_tokens
      ${p.id === undefined ? sql`` : sql`WHERE token_id = ${p.id}`}
      GROUP BY token_id
    )`,
});

export interface AuditRow {
  at: number;
  at_ms: number;
  /** The API's own id of the request (0005). */
  request_id: string;
  /** X-Request-Id as the client sent it, '' when none (0008): the client's word, not an id. */
  client_request_id: string;
  actor_id: string;
  actor_name: string;
  actor_role: string;
  action: string;
  site: string;
  target: string;
  detail: string;
}

/** An audit entry as the audit log's readers see it (every column but the partition's `at`). */
const AuditEntry = z.object({
  at_ms: Int,
  request_id: z.string(),
  client_request_id: z.string(),
  actor_id: z.string(),
  actor_name: z.string(),
  actor_role: z.string(),
  action: z.string(),
  site: z.string(),
  target: z.string(),
  detail: z.string(),
});

/**
 * The entries of [from, to) as AuditEntry, before any further condition: `at` (whole seconds, the
 * table's partition and sorting key) bounds the read, `at_ms` the period exactly.
 */
const auditOf = (from_ms: number, to_ms: number) => sql`
    SELECT at_ms, request_id, client_request_id, actor_id, actor_name, actor_role, action, site, target, detail
    FROM audit_log
    WHERE at >= toDateTime(${Math.max(0, Math.floor(from_ms / 1000))}) AND at <= toDateTime(${Math.max(0, Math.ceil(to_ms / 1000))})
      AND at_ms >= ${from_ms} AND at_ms < ${to_ms}`;

/** Audit entries of [from, to), newest first, optionally of some sites or actions only. */
export const loadAudit = defineQuery({
  name: "access_load_audit",
  params: z.object({
    from_ms: z.number().int(),
    to_ms: z.number().int(),
    sites: z.array(z.string()).optional(),
    actions: z.array(z.string()).optional(),
    limit: z.number().int().min(1).max(10_000),
  }),
  row: AuditEntry,
  build: (p) => sql`${auditOf(p.from_ms, p.to_ms)}
      ${p.sites?.length ? sql`AND site IN (${list(p.sites)})` : sql``}
      ${p.actions?.length ? sql`AND action IN (${list(p.actions)})` : sql``}
    ORDER BY at_ms DESC
    LIMIT ${p.limit}`,
});

/**
 * The personal-data reads of a site in [from, to), oldest first, at most `limit` (the monthly pack's
 * pii_access.csv pages through a month with it): `pii.read` entries, and exports made with personal
 * data (their detail, written by the export code as flat JSON, has `"personal_data":true`). Ordered
 * on every column that can tell two entries apart, so two reads of the same rows list them alike.
 */
export const loadPersonalDataReads = defineQuery({
  name: "access_load_personal_data_reads",
  params: z.object({
    site: z.string(),
    from_ms: z.number().int(),
    to_ms: z.number().int(),
    limit: z.number().int().min(1).max(100_000),
  }),
  row: AuditEntry,
  build: (p) => sql`${auditOf(p.from_ms, p.to_ms)}
      AND site = ${p.site}
      AND (action = 'pii.read' OR (action = 'export' AND visitParamExtractBool(detail, 'personal_data') = 1))
    ORDER BY at_ms, request_id, action, target, detail, actor_id
    LIMIT ${p.limit}`,
});
