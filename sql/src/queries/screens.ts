// Statements over the screen heartbeats of sql/migrations/0011_screens.sql: when each display
// token was last heard from (the API's writer is api/src/auth/seen.ts).
import { z } from "zod";
import { sql } from "../escape";
import { defineQuery } from "../query";

export const SCREEN_HEARTBEATS_TABLE = "screen_heartbeats";

export interface ScreenHeartbeatRow {
  site: string;
  token_id: string;
  seen_ms: number;
}

const Int = z.coerce.number().int();

/** The latest heartbeat of every display token (of one site when named). */
export const loadScreenHeartbeats = defineQuery({
  name: "screens_last_seen",
  params: z.object({ site: z.string().optional() }),
  row: z.object({ token_id: z.string(), seen_ms: Int }),
  // The alias differs from the column the aggregate reads (18.16 resolves an alias first).
  build: (p) => sql`
    SELECT token_id, last_ms AS seen_ms
    FROM
    (
      SELECT token_id, max(seen_ms) AS last_ms
      FROM screen_heartbeats
      ${p.site !== undefined ? sql`WHERE site = ${p.site}` : sql``}
      GROUP BY token_id
    )`,
});
