// GET /api/v1/audit (admins): who read personal data, changed configuration, managed tokens or
// exported, newest first.
import { AuditQuery, parseRfc3339Ms, type AuditList } from "@floorwatch/contracts";
import { loadAudit, runQuery, type ClickHouseClient } from "@floorwatch/sql";
import { Hono } from "hono";
import { allow } from "../auth/middleware";
import type { AppEnv } from "../types";
import { assertOrdered } from "./range";
import { validate } from "../validate";

export function auditRoutes(ch: ClickHouseClient) {
  return new Hono<AppEnv>().get("/", validate("query", AuditQuery), async (c) => {
    allow(c, "audit");
    const q = c.req.valid("query");
    const from = parseRfc3339Ms(q.from)!;
    const to = parseRfc3339Ms(q.to)!;
    assertOrdered(from, to);
    const rows = await runQuery(ch, loadAudit, {
      from_ms: from,
      to_ms: to,
      sites: q.site ? [q.site] : undefined,
      actions: q.action ? [q.action] : undefined,
      limit: q.limit,
    });
    const entries = rows.map((r) => ({
      at: new Date(r.at_ms).toISOString(),
      request_id: r.request_id,
      client_request_id: r.client_request_id || null,
      actor: { id: r.actor_id, name: r.actor_name, role: r.actor_role },
      action: r.action,
      site: r.site,
      target: r.target,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
    return c.json({ entries } satisfies AuditList);
  });
}
