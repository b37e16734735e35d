// GET /api/v1/agents?site=…: every agent's current state, time in it, queues, and today's handled
// contacts and AHT (the site's day, as the live snapshot's "today").
import { AgentsQuery, formatLocal, intervalStart, type AgentList } from "@floorwatch/contracts";
import { agentHandled, openAgentIntervals, runQuery, type ClickHouseClient } from "@floorwatch/sql";
import { Hono } from "hono";
import { allow } from "../auth/middleware";
import { loadSiteConfig } from "../metrics/config";
import { requireSite } from "../sites";
import type { AppEnv } from "../types";
import { validate } from "../validate";

export function agentRoutes(ch: ClickHouseClient, opts: { now: () => number }) {
  return new Hono<AppEnv>().get("/", validate("query", AgentsQuery), async (c) => {
    const { site } = c.req.valid("query");
    allow(c, "agents", site);
    await requireSite(c, site);
    const now = opts.now();
    const config = await loadSiteConfig(ch, site);
    const dayStart = intervalStart(config.tz, "1d", now);
    const [current, handled] = await Promise.all([
      runQuery(ch, openAgentIntervals, { site, to_ms: now }),
      runQuery(ch, agentHandled, { site, from_ms: dayStart, to_ms: now + 1 }),
    ]);
    const byAgent = new Map(handled.map((h) => [h.agent_id, h]));
    const agents = current
      .filter((a) => a.state !== "logged_out" || byAgent.has(a.agent_id))
      .map((a) => {
        const h = byAgent.get(a.agent_id);
        return {
          agent_id: a.agent_id,
          name: a.name,
          team: a.team,
          state: a.state,
          reason: a.reason,
          queues: a.queues,
          since: formatLocal(config.tz, a.from_ms),
          in_state_s: Math.max(0, now - a.from_ms) / 1000,
          handled_today: h?.handled ?? 0,
          aht_today_s: h && h.timed > 0 ? h.handle_ms / h.timed / 1000 : null,
        };
      })
      .sort((x, y) => (x.agent_id < y.agent_id ? -1 : 1));
    c.header("Cache-Control", "no-store");
    return c.json({
      site,
      tz: config.tz,
      as_of: new Date(now).toISOString(),
      agents,
    } satisfies AgentList);
  });
}
