// Tokens, roles and the audit log of the supervisor API (api/src/auth/).
import { z } from "zod";
import { Rfc3339, SiteId } from "./primitives";

/**
 * admin: configuration, tokens, audit, everything. supervisor: live, reports, drill-down and agents
 * of their sites. qa: reports, drill-down and exports of their sites. display: the live data of one
 * wallboard (a TV's token: never logged out by inactivity, revocable per screen). integration:
 * alerts and webhooks.
 */
export const Role = z.enum(["admin", "supervisor", "qa", "display", "integration"]);
export type Role = z.infer<typeof Role>;

export const TokenCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(100).meta({
      description:
        'Who or what holds the token: a person, a screen ("3F east TV"), an integration.',
    }),
    role: Role,
    /** Omitted or empty: every site (admin, integration). Display tokens name exactly one. */
    sites: z.array(SiteId).max(100).default([]),
    /** Personal data (customer phone, survey comments) unmasked; every such read is audited. */
    pii: z.boolean().default(false),
    /** Display tokens: the wallboard layout the screen shows (free text, e.g. "floor-3-east"). */
    layout: z.string().max(100).default(""),
    expires_at: Rfc3339.optional(),
  })
  .refine((t) => t.role !== "display" || t.sites.length === 1, {
    message: "a display token shows exactly one site",
    path: ["sites"],
  })
  .refine((t) => !(t.pii && (t.role === "display" || t.role === "integration")), {
    message: "display and integration tokens cannot be granted personal data",
    path: ["pii"],
  });
export type TokenCreate = z.input<typeof TokenCreate>;

export const TokenInfo = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  sites: z.array(z.string()).meta({ description: "Empty: every site." }),
  pii: z.boolean(),
  layout: z.string(),
  created_at: z.string(),
  created_by: z.string(),
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
export type TokenInfo = z.infer<typeof TokenInfo>;

/** The answer to creating a token: the only time its secret is shown. */
export const TokenCreated = TokenInfo.extend({
  token: z.string().meta({ description: "Shown once; only its hash is stored." }),
});
export type TokenCreated = z.infer<typeof TokenCreated>;

export const TokenList = z.object({ tokens: z.array(TokenInfo) });
export type TokenList = z.infer<typeof TokenList>;

export const AuditAction = z.enum([
  "pii.read",
  "config.site",
  "config.queue",
  "token.create",
  "token.revoke",
  "export",
  "rule.create",
  "rule.update",
  "rule.delete",
  "alert.ack",
  "layout.update",
  "layout.delete",
  "webhook.create",
  "webhook.update",
  "webhook.delete",
  "webhook.rotate",
  "webhook.test",
  "webhook.redeliver",
]);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditQuery = z.object({
  from: Rfc3339,
  to: Rfc3339,
  site: SiteId.optional(),
  action: AuditAction.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntry = z.object({
  at: z.string(),
  /** The API's id of the request (in its X-Request-Id answer and error envelope). */
  request_id: z.string(),
  /** X-Request-Id as the client sent it: the client's word, not unique; null when none. */
  client_request_id: z.string().nullable(),
  actor: z.object({ id: z.string(), name: z.string(), role: z.string() }),
  action: z.string(),
  site: z.string(),
  target: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditList = z.object({ entries: z.array(AuditEntry) });
export type AuditList = z.infer<typeof AuditList>;

/** The screens of the wallboard app a token opens (each also checks every call on the server). */
export const AppScreen = z.enum(["tv", "supervisor", "qa", "reports", "exports"]);
export type AppScreen = z.infer<typeof AppScreen>;

/** GET /api/v1/me: who the presented token is, what it may see, which screens it opens. */
export const Me = z.object({
  token_id: z.string(),
  name: z.string(),
  role: Role,
  /** As granted: empty means every site. */
  sites: z.array(z.string()),
  /** The sites the token sees that the service knows, with their names and zones. */
  site_list: z.array(z.object({ site: z.string(), name: z.string(), tz: z.string() })),
  pii: z.boolean(),
  expires_at: z.string().nullable(),
  capabilities: z.array(z.string()),
  screens: z.array(AppScreen),
});
export type Me = z.infer<typeof Me>;
