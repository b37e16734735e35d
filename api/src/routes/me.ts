// GET /api/v1/me: who the presented token is. The wallboard's sign-in screen shows it (name, role,
// sites) and offers the screens it lists; every call a screen makes is still judged on its own.
import { DEFAULT_TIME_ZONE, type AppScreen, type Me } from "@floorwatch/contracts";
import { listSites, runQuery, type ClickHouseClient } from "@floorwatch/sql";
import { Hono } from "hono";
import { principalOf } from "../auth/middleware";
import { capabilitiesOf, screensOf } from "../auth/roles";
import type { AppEnv } from "../types";

export function meRoutes(ch: ClickHouseClient) {
  return new Hono<AppEnv>().get("/", async (c) => {
    const p = principalOf(c);
    const configured = await runQuery(ch, listSites, {});
    const named = new Map(configured.map((s) => [s.site, s]));
    const directory = c.get("sites");
    // Every site for an all-sites token is every configured one; a scoped token lists its own
    // sites that exist (configured, or heard from), in the order granted.
    const site_list =
      p.sites === "all"
        ? configured
        : (
            await Promise.all(
              p.sites.map(
                async (site) =>
                  named.get(site) ??
                  ((await directory.exists(site))
                    ? { site, name: site, tz: DEFAULT_TIME_ZONE }
                    : null),
              ),
            )
          ).filter((s) => s !== null);
    c.header("Cache-Control", "no-store");
    return c.json({
      token_id: p.id,
      name: p.name,
      role: p.role,
      sites: p.sites === "all" ? [] : [...p.sites],
      site_list: site_list.map((s) => ({ site: s.site, name: s.name || s.site, tz: s.tz })),
      pii: p.pii,
      expires_at: p.expiresMs > 0 ? new Date(p.expiresMs).toISOString() : null,
      capabilities: [...capabilitiesOf(p.role)],
      screens: [...screensOf(p.role)] satisfies AppScreen[],
    } satisfies Me);
  });
}
