// GET /alerts (pending and firing now), POST /alerts/:id/ack, GET /breaches, GET /breaches/:id.
// Alerts are read from what the single evaluator stored (alert_current), so every API process
// answers the same whichever one evaluates.
import {
  AcknowledgeBody,
  AlertsQuery,
  BreachesQuery,
  EvidenceQuery,
  formatLocal,
  SiteQuery,
  type AlertList,
  type BreachDetail,
  type BreachList,
} from "@floorwatch/contracts";
import {
  ALERT_ACKS_TABLE,
  insertRows,
  loadAcks,
  loadAlertTransitions,
  loadBreaches,
  loadCurrentAlerts,
  runQuery,
  type AlertAckRow,
  type ClickHouseClient,
} from "@floorwatch/sql";
import { Hono } from "hono";
import { z } from "zod";
import { evidenceOf } from "../alerts/evidence";
import type { AlertDetail } from "../alerts/evaluator";
import { readAlerts, toBreaches } from "../alerts/record";
import type { Audit } from "../auth/audit";
import { allow } from "../auth/middleware";
import { ApiError } from "../errors";
import { loadSiteConfig } from "../metrics/config";
import { requireSite } from "../sites";
import type { AppEnv } from "../types";
import { validate } from "../validate";
import { parseRange } from "./range";

const AlertParam = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, "not an alert id") });

/** A breach's figure at its peak as the facts stored now give it (late events included). */
export type PeakNow = (
  site: string,
  breach: { rule_id: string; figure: string; window: string; scope_key: string; peak_ms: number },
) => Promise<number | null>;

export function alertRoutes(
  ch: ClickHouseClient,
  audit: Audit,
  opts: {
    now: () => number;
    /** An acknowledgement was stored (the elected process notifies at once, not at its next poll). */
    onAck?: () => void;
  },
) {
  return new Hono<AppEnv>()
    .get("/", validate("query", AlertsQuery), async (c) => {
      const { site, state } = c.req.valid("query");
      allow(c, "alerts.live", site);
      await requireSite(c, site);
      const alerts = (await readAlerts(ch, site)).filter((a) => !state || a.state === state);
      c.header("Cache-Control", "no-store");
      return c.json({
        site,
        as_of: new Date(opts.now()).toISOString(),
        alerts,
      } satisfies AlertList);
    })
    .post(
      "/:id/ack",
      validate("param", AlertParam),
      validate("json", AcknowledgeBody),
      async (c) => {
        const { id } = c.req.valid("param");
        const { site, note } = c.req.valid("json");
        const p = allow(c, "alerts.ack", site);
        await requireSite(c, site);
        const known = await runQuery(ch, loadAlertTransitions, { site, alert_id: id });
        if (known.length === 0) throw new ApiError("not_found", `no alert ${id} at site ${site}`);
        const at = opts.now();
        await insertRows(ch, ALERT_ACKS_TABLE, [
          {
            site,
            alert_id: id,
            at_ms: at,
            by_name: p.name,
            by_token: p.id,
            note,
          } satisfies AlertAckRow,
        ]);
        await audit(c, "alert.ack", { site, target: id, detail: { note } });
        opts.onAck?.();
        return c.json({
          id,
          site,
          acknowledged: { by: p.name, at: new Date(at).toISOString(), note },
        });
      },
    );
}

export function breachRoutes(ch: ClickHouseClient, opts: { peakNow?: PeakNow }) {
  return new Hono<AppEnv>()
    .get("/", validate("query", BreachesQuery), async (c) => {
      const q = c.req.valid("query");
      allow(c, "alerts", q.site);
      await requireSite(c, q.site);
      const { tz } = await loadSiteConfig(ch, q.site);
      const { from, to } = parseRange(tz, q.from, q.to);
      const rows = await runQuery(ch, loadBreaches, {
        site: q.site,
        from_ms: from,
        to_ms: to,
        rule_id: q.rule,
        queue: q.queue,
        severity: q.severity,
        // Chosen in the query, before the limit: an acknowledged breach older than `limit` newer
        // ones is still found.
        acknowledged: q.acknowledged,
        limit: q.limit,
      });
      const ids = [...new Set(rows.map((r) => r.alert_id))];
      const [acks, open] = await Promise.all([
        ids.length ? runQuery(ch, loadAcks, { site: q.site, alert_ids: ids }) : [],
        runQuery(ch, loadCurrentAlerts, { sites: [q.site], open: true }),
      ]);
      const breaches = toBreaches(q.site, rows, acks, open);
      return c.json({
        site: q.site,
        from: formatLocal(tz, from),
        to: formatLocal(tz, to),
        breaches,
      } satisfies BreachList);
    })
    .get(
      "/:id/evidence",
      validate("param", AlertParam),
      validate("query", EvidenceQuery),
      async (c) => {
        const { id } = c.req.valid("param");
        const { site, at } = c.req.valid("query");
        // The contacts behind a figure: what drilling down needs, which integrations do not get.
        allow(c, "drill", site);
        await requireSite(c, site);
        const [transitions, open] = await Promise.all([
          runQuery(ch, loadAlertTransitions, { site, alert_id: id }),
          runQuery(ch, loadCurrentAlerts, { sites: [site], open: true }),
        ]);
        const first = transitions[0];
        if (!first) throw new ApiError("not_found", `no alert ${id} at site ${site}`);
        const detail = JSON.parse(first.detail) as AlertDetail;
        const resolved = transitions.find((t) => t.kind === "resolved");
        const current = open.find((o) => o.alert_id === id);
        // By default the peak: the instant the figure was at its worst.
        const atMs = at
          ? Date.parse(at)
          : (resolved?.peak_ms ?? current?.peak_ms ?? transitions.at(-1)!.peak_ms);
        return c.json(
          await evidenceOf(
            ch,
            site,
            id,
            { ...detail, scope_key: first.scope_key },
            atMs,
            first.since_ms,
          ),
        );
      },
    )
    .get("/:id", validate("param", AlertParam), validate("query", SiteQuery), async (c) => {
      const { id } = c.req.valid("param");
      const { site } = c.req.valid("query");
      allow(c, "alerts", site);
      await requireSite(c, site);
      const transitions = await runQuery(ch, loadAlertTransitions, { site, alert_id: id });
      const [acks, open] = await Promise.all([
        runQuery(ch, loadAcks, { site, alert_ids: [id] }),
        runQuery(ch, loadCurrentAlerts, { sites: [site], open: true }),
      ]);
      const [b] = toBreaches(site, transitions, acks, open);
      if (!b) throw new ApiError("not_found", `no breach ${id} at site ${site}`);
      const firing = transitions.find((t) => t.kind === "firing")!;
      const peakNow = opts.peakNow
        ? await opts.peakNow(site, {
            rule_id: b.rule_id,
            figure: b.figure,
            window: b.window,
            scope_key: firing.scope_key,
            peak_ms: Date.parse(b.peak_at),
          })
        : null;
      return c.json({
        ...b,
        transitions: transitions.map((t) => ({
          kind: t.kind,
          at: new Date(t.at_ms).toISOString(),
          value: t.kind === "resolved" || t.kind === "cancelled" ? null : t.value,
        })),
        peak_now: peakNow,
        restated: peakNow !== null && Math.abs(peakNow - b.peak) > 1e-9,
      } satisfies BreachDetail);
    });
}
