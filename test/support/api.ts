// Credentials of the API under test: an ADMIN_TOKEN-style admin for tests about figures, and
// stored tokens of each role for tests about access (api/src/auth).
import { randomBytes } from "node:crypto";
import { makeTokenStore } from "@floorwatch/api";
import type { Role } from "@floorwatch/contracts";
import type { ClickHouseClient } from "@floorwatch/sql";

/** Passed as `adminToken` to createApp/startServer: what ADMIN_TOKEN does in production. */
export const TEST_ADMIN_TOKEN = `test-admin-${randomBytes(16).toString("hex")}`;

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const asAdmin = { headers: bearer(TEST_ADMIN_TOKEN) };

/** A token stored in the database of `ch`, as `npm run token -- create` or POST /tokens make them. */
export async function storedToken(ch: ClickHouseClient, role: Role, opts: { sites?: string[]; pii?: boolean; layout?: string; expires_at?: string; name?: string } = {}): Promise<{ id: string; token: string }> {
  const { info, token } = await makeTokenStore(ch).create({ name: opts.name ?? `test ${role}`, role, sites: opts.sites ?? [], pii: opts.pii ?? false, layout: opts.layout ?? "", expires_at: opts.expires_at }, "test");
  return { id: info.id, token };
}
