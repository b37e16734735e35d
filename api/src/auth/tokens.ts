// API tokens: `fw_<id>_<secret>`, 12 hex digits of id and 256 random bits of secret. Only the
// SHA-256 of the whole token is stored (sql/migrations/0005_access.sql): with 256 random bits a
// fast hash is as safe as a slow one, and verifying stays microseconds on every request.
//
// Verifying does the same work whether or not the token's id exists, so timing tells a prober
// nothing: the SHA-256 of the presented token is always computed, a token is remembered by that
// digest (never by its id alone, which a prober knows), and a digest not remembered costs one
// point read of its id (the sorting key) and one constant-time comparison, against a dummy digest
// when the id has no row. So a token just created by another API process works on its first
// request, and an id that exists but was never presented with its secret answers like one that
// does not. Guesses cost one such read each until the middleware blocks the address; a blocked
// address is answered from memory only (`cachedOnly`). Besides, every token's latest row is kept
// by id and read again every `refreshMs`, for open streams and listing. A revocation takes effect
// in this process at once and in every other within `refreshMs`; open SSE streams check their
// token on every tick.
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
import { ApiError } from "../errors";
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

export type Verdict = Principal | { rejected: "malformed" | "unknown" | "revoked" | "expired" };

export interface TokenStore {
  /**
   * The principal a bearer token stands for, or why it stands for none. `cachedOnly`: from what
   * the store holds in memory, never a read per call (an address blocked for guessing).
   */
  verify(token: string, opts?: { cachedOnly?: boolean }): Promise<Verdict>;
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

/** Compared with when a token's id has no row, so that path does the work of the other. */
const DUMMY_DIGEST = sha256("no token has this digest");

/** How often a blocked address's tokens may cause a read of the token table (all together). */
const BLOCKED_RELOAD_MS = 1_000;

/** Digests remembered at most (recently presented tokens, good or guessed). */
const MAX_REMEMBERED = 10_000;

export function makeTokenStore(ch: ClickHouseClient, opts: TokenStoreOptions = {}): TokenStore {
  const now = opts.now ?? Date.now;
  const refreshMs = opts.refreshMs ?? 5_000;
  const envAdminDigest = opts.adminToken ? sha256(opts.adminToken) : null;
  let tokens = new Map<string, Stored>();
  let loadedAt = -Infinity;
  let loading: Promise<void> | null = null;
  /** Presented tokens by the SHA-256 of the whole token: the row of their id (or none), and when read. */
  const byDigest = new Map<string, { row: Stored | undefined; at: number }>();
  const pointReads = new Map<string, Promise<Stored | undefined>>();
  let scheduled: Promise<void> | null = null;

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

  /** A reload starting no sooner than `BLOCKED_RELOAD_MS` after the last one, shared. */
  function reloadSoon(): Promise<void> {
    const wait = Math.min(BLOCKED_RELOAD_MS, loadedAt + BLOCKED_RELOAD_MS - now());
    if (!(wait > 0)) return reload();
    scheduled ??= new Promise<void>((resolve) => setTimeout(resolve, wait))
      .then(reload)
      .finally(() => {
        scheduled = null;
      });
    return scheduled;
  }

  async function current(id: string): Promise<Stored | undefined> {
    if (now() - loadedAt >= refreshMs) await reload();
    if (!tokens.has(id)) {
      const [row] = await runQuery(ch, loadTokens, { id });
      if (row) tokens.set(id, stored(row));
    }
    return tokens.get(id);
  }

  /** The row of one id, read now (concurrent reads of one id share one statement). */
  function readOne(id: string): Promise<Stored | undefined> {
    let p = pointReads.get(id);
    if (!p) {
      p = runQuery(ch, loadTokens, { id })
        .then(([row]) => {
          const t = row ? stored(row) : undefined;
          if (t) tokens.set(id, t);
          return t;
        })
        .finally(() => pointReads.delete(id));
      pointReads.set(id, p);
    }
    return p;
  }

  function remember(digest: string, row: Stored | undefined) {
    if (byDigest.size >= MAX_REMEMBERED) {
      const t = now();
      for (const [k, v] of byDigest) if (t - v.at >= refreshMs) byDigest.delete(k);
      if (byDigest.size >= MAX_REMEMBERED) byDigest.clear();
    }
    byDigest.set(digest, { row, at: now() });
  }

  /** The row a presented token claims (by its id), the same work whether the id exists or not. */
  async function claimed(id: string, digest: string, cachedOnly: boolean) {
    const known = byDigest.get(digest);
    if (known && now() - known.at < refreshMs) return known.row;
    if (cachedOnly) {
      // Every token not remembered waits for the next shared reload, known id or not: a blocked
      // guesser costs at most one read a second in all, learns nothing from timing, and a valid
      // token (just made elsewhere) from its address is served after that short wait.
      await reloadSoon();
      return tokens.get(id);
    }
    const row = await readOne(id);
    remember(digest, row);
    return row;
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
    for (const [k, v] of byDigest) if (v.row?.token_id === row.token_id) byDigest.delete(k);
  }

  return {
    async verify(token, opts = {}) {
      const digest = sha256(token);
      if (envAdminDigest && sameDigest(digest, envAdminDigest)) {
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
      const t = await claimed(m[1]!, digest, opts.cachedOnly ?? false);
      // Compared either way: an id without a row takes as long as one with a wrong secret.
      const matches = sameDigest(digest, t?.secret_sha256 ?? DUMMY_DIGEST);
      if (!t || !matches) return { rejected: "unknown" };
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
      const expires = input.expires_at ? (parseRfc3339Ms(input.expires_at) ?? 0) : 0;
      if (expires !== 0 && expires <= now())
        throw new ApiError("bad_request", "expires_at must be in the future", [
          { path: "expires_at", message: "already past" },
        ]);
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
        expires_ms: expires,
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
