// API tokens: `fw_<id>_<secret>`, 12 hex digits of id and 256 random bits of secret. Only the
// SHA-256 of the whole token is stored (sql/migrations/0005_access.sql): with 256 random bits a
// fast hash is as safe as a slow one, and verifying stays microseconds on every request.
//
// The store keeps every token's latest row in memory and reads the table again every `refreshMs`;
// an id it does not know is looked up by itself (a point read of the sorting key), so a token just
// created by another API process works on its first request. Guessed ids cost one such read each,
// and the middleware blocks an address after a few. A revocation takes effect in this process at
// once and in every other within `refreshMs`; open SSE streams check their token on every tick.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { parseRfc3339Ms, type Role, type TokenCreate, type TokenInfo } from "@floorwatch/contracts";
import {
  insertRows,
  loadTokens,
  runQuery,
  TOKENS_TABLE,
  type ClickHouseClient,
  type TokenRow,
} from "@floorwatch/sql";
import type { Principal } from "./roles";

const TOKEN = /^fw_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Constant-time comparison of two hex digests (the lengths are public: both are SHA-256). */
function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export function newToken(): { id: string; token: string } {
  const id = randomBytes(6).toString("hex");
  return { id, token: `fw_${id}_${randomBytes(32).toString("base64url")}` };
}

type Stored = Omit<TokenRow, "updated_ms">;

const stored = (r: Omit<Stored, "pii"> & { pii: number }): Stored => ({
  ...r,
  pii: r.pii === 1 ? 1 : 0,
});

const iso = (ms: number) => new Date(ms).toISOString();

export function tokenInfo(t: Stored): TokenInfo {
  return {
    id: t.token_id,
    name: t.name,
    role: t.role as Role,
    sites: t.sites,
    pii: t.pii === 1,
    layout: t.layout,
    created_at: iso(t.created_ms),
    created_by: t.created_by,
    expires_at: t.expires_ms > 0 ? iso(t.expires_ms) : null,
    revoked_at: t.revoked_ms > 0 ? iso(t.revoked_ms) : null,
  };
}

export interface TokenStore {
  /** The principal a bearer token stands for, or why it stands for none. */
  verify(
    token: string,
  ): Promise<Principal | { rejected: "malformed" | "unknown" | "revoked" | "expired" }>;
  /** Whether a principal verified earlier still holds (not revoked or expired since). */
  stillValid(p: Principal): Promise<boolean>;
  create(
    input: TokenCreate & { sites: string[]; pii: boolean; layout: string },
    by: string,
  ): Promise<{ info: TokenInfo; token: string }>;
  revoke(id: string, by: string): Promise<TokenInfo | null>;
  list(): Promise<TokenInfo[]>;
}

export interface TokenStoreOptions {
  now?: () => number;
  refreshMs?: number;
  /** ADMIN_TOKEN of the environment: an admin for automation, never stored. */
  adminToken?: string;
}

export const ENV_ADMIN_ID = "env-admin";

export function makeTokenStore(ch: ClickHouseClient, opts: TokenStoreOptions = {}): TokenStore {
  const now = opts.now ?? Date.now;
  const refreshMs = opts.refreshMs ?? 5_000;
  const envAdminDigest = opts.adminToken ? sha256(opts.adminToken) : null;
  let tokens = new Map<string, Stored>();
  let loadedAt = -Infinity;
  let loading: Promise<void> | null = null;

  function reload(): Promise<void> {
    loading ??= runQuery(ch, loadTokens, {})
      .then((rows) => {
        tokens = new Map(rows.map((r) => [r.token_id, stored(r)]));
        loadedAt = now();
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  async function current(id: string): Promise<Stored | undefined> {
    if (now() - loadedAt >= refreshMs) await reload();
    if (!tokens.has(id)) {
      const [row] = await runQuery(ch, loadTokens, { id });
      if (row) tokens.set(id, stored(row));
    }
    return tokens.get(id);
  }

  const principalOf = (t: Stored): Principal => ({
    id: t.token_id,
    name: t.name,
    role: t.role as Role,
    sites: t.sites.length ? t.sites : "all",
    pii: t.pii === 1,
    layout: t.layout,
    expiresMs: t.expires_ms,
  });

  async function write(row: Stored) {
    await insertRows(ch, TOKENS_TABLE, [{ ...row, updated_ms: now() }]);
    tokens.set(row.token_id, row);
  }

  return {
    async verify(token) {
      if (envAdminDigest && sameDigest(sha256(token), envAdminDigest)) {
        return {
          id: ENV_ADMIN_ID,
          name: "ADMIN_TOKEN",
          role: "admin",
          sites: "all",
          pii: true,
          layout: "",
          expiresMs: 0,
        };
      }
      const m = TOKEN.exec(token);
      if (!m) return { rejected: "malformed" };
      const t = await current(m[1]!);
      if (!t || !sameDigest(sha256(token), t.secret_sha256)) return { rejected: "unknown" };
      if (t.revoked_ms > 0) return { rejected: "revoked" };
      if (t.expires_ms > 0 && t.expires_ms <= now()) return { rejected: "expired" };
      return principalOf(t);
    },
    async stillValid(p) {
      if (p.id === ENV_ADMIN_ID) return envAdminDigest !== null;
      const t = await current(p.id);
      return !!t && t.revoked_ms === 0 && (t.expires_ms === 0 || t.expires_ms > now());
    },
    async create(input, by) {
      const { id, token } = newToken();
      const row: Stored = {
        token_id: id,
        secret_sha256: sha256(token),
        name: input.name,
        role: input.role,
        sites: [...new Set(input.sites)].sort(),
        pii: input.pii ? 1 : 0,
        layout: input.layout,
        created_ms: now(),
        created_by: by,
        expires_ms: input.expires_at ? (parseRfc3339Ms(input.expires_at) ?? 0) : 0,
        revoked_ms: 0,
        revoked_by: "",
      };
      await write(row);
      return { info: tokenInfo(row), token };
    },
    async revoke(id, by) {
      await reload();
      const t = tokens.get(id);
      if (!t) return null;
      if (t.revoked_ms === 0) await write({ ...t, revoked_ms: now(), revoked_by: by });
      return tokenInfo(tokens.get(id)!);
    },
    async list() {
      await reload();
      return [...tokens.values()].sort((a, b) => b.created_ms - a.created_ms).map(tokenInfo);
    },
  };
}
