// The audit log (sql/migrations/0005_access.sql): personal-data reads, configuration changes, token
// management and exports. Written before the response that it records leaves the process, one row
// per request (an exception to batching, conventions.md habit 6: a read of personal data that the
// log missed because a batch died with the process would be an unaudited read). If the write
// fails the request fails: no personal data goes out unaudited. Each row carries the API's own
// request id (never one a client chose: two rows could then share it), and a client's
// X-Request-Id only beside it, as `client_request_id`.
import { randomUUID } from "node:crypto";
import type { AuditAction } from "@floorwatch/contracts";
import { AUDIT_TABLE, insertRows, type AuditRow, type ClickHouseClient } from "@floorwatch/sql";
import type { Context } from "hono";
import type { AppEnv } from "../types";
import { principalOf } from "./middleware";

export interface AuditWhat {
  site?: string;
  target?: string;
  detail?: Record<string, unknown>;
}

export type Audit = (c: Context<AppEnv>, action: AuditAction, what: AuditWhat) => Promise<void>;

/** One entry, by whoever acted (an API token, or the command line). */
export async function writeAudit(
  ch: ClickHouseClient,
  actor: { id: string; name: string; role: string },
  action: AuditAction,
  what: AuditWhat,
  request: { id: string; clientId?: string } = { id: randomUUID() },
  at = Date.now(),
): Promise<void> {
  const row: AuditRow = {
    at: Math.floor(at / 1000),
    at_ms: at,
    request_id: request.id,
    client_request_id: request.clientId ?? "",
    actor_id: actor.id,
    actor_name: actor.name,
    actor_role: actor.role,
    action,
    site: what.site ?? "",
    target: what.target ?? "",
    detail: JSON.stringify(what.detail ?? {}),
  };
  await insertRows(ch, AUDIT_TABLE, [row]);
}

export function makeAudit(ch: ClickHouseClient, now: () => number = Date.now): Audit {
  return (c, action, what) =>
    writeAudit(
      ch,
      principalOf(c),
      action,
      what,
      { id: c.get("requestId"), clientId: c.get("clientRequestId") },
      now(),
    );
}
