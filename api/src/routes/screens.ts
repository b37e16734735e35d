// The screens (display tokens) an admin looks after: when each was last heard from, whether it
// holds a stream open now, and revoking one (issue #12).
//
// GET /api/v1/screens[?site=…]: every display token (of that site) with `last_seen_at`, the latest
// of the stored heartbeats and of what this process heard and has not written yet (or now, for a
// stream open here), so a screen that just connected is not shown as unseen for 30 s.
// DELETE /api/v1/screens/:id: the tokens route's revoke (same store call, same `token.revoke`
// audit entry); its open streams get a `revoked` event at their next tick (live/broadcast.ts).
// An admin token limited to sites sees and revokes the screens of those sites only; a screen of
// another site is a 404, as if it did not exist.
import {
  ScreenParams,
  ScreensQuery,
  type Screen,
  type ScreenList,
  type TokenInfo,
} from "@floorwatch/contracts";
import { loadScreenHeartbeats, runQuery, type ClickHouseClient } from "@floorwatch/sql";
import { Hono } from "hono";
import type { Audit } from "../auth/audit";
import { allow } from "../auth/middleware";
import { seesSite } from "../auth/roles";
import type { ScreenSeen } from "../auth/seen";
import type { TokenStore } from "../auth/tokens";
import { ApiError } from "../errors";
import type { AppEnv } from "../types";
import { validate } from "../validate";

/** A display token's screen; `lastSeenMs` undefined: never heard from. */
export function screenOf(t: TokenInfo, lastSeenMs: number | undefined, connected: boolean): Screen {
  return {
    token_id: t.id,
    name: t.name,
    // A display token names exactly one site (contracts/src/access.ts TokenCreate).
    site: t.sites[0] ?? "",
    layout: t.layout,
    last_seen_at: lastSeenMs === undefined ? null : new Date(lastSeenMs).toISOString(),
    connected,
    revoked_at: t.revoked_at,
    expires_at: t.expires_at,
  };
}

/** The later of two instants, either of which may be unknown. */
const later = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

export function screenRoutes(
  ch: ClickHouseClient,
  deps: {
    tokens: TokenStore;
    audit: Audit;
    seen: ScreenSeen;
    openTokens: () => readonly string[];
    now: () => number;
  },
) {
  /** The display tokens the caller may see (of `site` when given). */
  async function screensOf(
    p: ReturnType<typeof allow>,
    site: string | undefined,
  ): Promise<TokenInfo[]> {
    return (await deps.tokens.list()).filter(
      (t) =>
        t.role === "display" &&
        (site === undefined || t.sites[0] === site) &&
        t.sites.some((s) => seesSite(p, s)),
    );
  }

  /** The tokens as screens: last seen from the stored heartbeats, this process's and open streams. */
  async function asScreens(tokens: TokenInfo[], site: string | undefined): Promise<Screen[]> {
    if (tokens.length === 0) return [];
    const stored = await runQuery(ch, loadScreenHeartbeats, { site });
    const storedMs = new Map(stored.map((r) => [r.token_id, r.seen_ms]));
    const heard = deps.seen.latest();
    const open = new Set(deps.openTokens());
    const now = deps.now();
    return tokens
      .map((t) => {
        const connected = open.has(t.id);
        const last = later(later(storedMs.get(t.id), heard.get(t.id)), connected ? now : undefined);
        return screenOf(t, last, connected);
      })
      .sort((a, b) => a.site.localeCompare(b.site) || a.name.localeCompare(b.name));
  }

  return new Hono<AppEnv>()
    .get("/", validate("query", ScreensQuery), async (c) => {
      const { site } = c.req.valid("query");
      const p = allow(c, "tokens", site);
      const screens = await asScreens(await screensOf(p, site), site);
      c.header("Cache-Control", "no-store");
      return c.json({ screens } satisfies ScreenList);
    })
    .delete("/:id", validate("param", ScreenParams), async (c) => {
      const p = allow(c, "tokens");
      const { id } = c.req.valid("param");
      const screen = (await screensOf(p, undefined)).find((t) => t.id === id);
      if (!screen) throw new ApiError("not_found", `no screen ${id}`);
      const info = await deps.tokens.revoke(id, p.name);
      if (!info) throw new ApiError("not_found", `no screen ${id}`);
      await deps.audit(c, "token.revoke", {
        site: screen.sites[0],
        target: id,
        detail: { name: info.name, role: info.role },
      });
      const [revoked] = await asScreens([info], screen.sites[0]);
      return c.json(revoked satisfies Screen | undefined);
    });
}
