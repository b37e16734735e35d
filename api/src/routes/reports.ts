// GET /api/v1/reports/intervals?site=…&from=…&to=…&interval=15m|30m|1h|1d|1mo[&queue=…][&channel=…]
import { ReportQuery } from "@floorwatch/contracts";
import type { ClickHouseClient } from "@floorwatch/sql";
import { Hono } from "hono";
import { allow } from "../auth/middleware";
import { ApiError } from "../errors";
import { loadSiteConfig } from "../metrics/config";
import { buildReport, ReportRangeError } from "../metrics/report";
import { requireSite } from "../sites";
import type { AppEnv } from "../types";
import { parseRange } from "./range";
import { validate } from "../validate";

export function reportRoutes(ch: ClickHouseClient, opts: { now: () => number }) {
  return new Hono<AppEnv>().get("/intervals", validate("query", ReportQuery), async (c) => {
    const q = c.req.valid("query");
    allow(c, "reports", q.site);
    await requireSite(c, q.site);
    const config = await loadSiteConfig(ch, q.site);
    // Dates are the site's local midnights, so the site's time zone is needed to read them.
    const { from, to } = parseRange(config.tz, q.from, q.to);
    let report: Awaited<ReturnType<typeof buildReport>>;
    try {
      report = await buildReport(
        ch,
        config,
        { from_ms: from, to_ms: to, grain: q.interval, queue: q.queue, channel: q.channel },
        opts.now(),
      );
    } catch (err) {
      if (err instanceof ReportRangeError)
        throw new ApiError("bad_request", err.message, [
          { path: "interval", message: err.message },
        ]);
      throw err;
    }
    c.header("Cache-Control", "no-store");
    return c.json(report);
  });
}
