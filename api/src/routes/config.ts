// Configuration: GET /sites, PUT /sites/:site, GET|PUT /sites/:site/hours, GET /sites/:site/queues,
// PUT /sites/:site/queues/:queue.
// Writes are admins' and audited. A queue change of T, S or target is a new definition version
// from `valid_from` (a quarter hour, default the next one); a change of names or channel only
// rewrites the latest version's row, so figures are not re-judged for a renaming.
import {
  channelDefaults,
  formatLocal,
  HoursUpdate,
  Id,
  OpeningTime,
  QueueUpdate,
  SiteId,
  SiteUpdate,
  type QueueInfo,
  type QueueList,
  type SiteHours,
  type SiteInfo,
  type SiteList,
} from "@floorwatch/contracts";
import {
  insertRows,
  listSites,
  loadSiteHours,
  QUEUE_DEFINITIONS_TABLE,
  runQuery,
  SITE_HOURS_TABLE,
  SITES_TABLE,
  type ClickHouseClient,
  type QueueDefinitionRow,
} from "@floorwatch/sql";
import { Hono } from "hono";
import { z } from "zod";
import type { Audit } from "../auth/audit";
import { allow } from "../auth/middleware";
import { seesSite } from "../auth/roles";
import { ApiError } from "../errors";
import { describeVersion, loadSiteConfig, versionAt, type QueueConfig } from "../metrics/config";
import { requireSite } from "../sites";
import type { AppEnv } from "../types";
import { versionStart } from "./range";
import { validate } from "../validate";

const SiteParam = z.object({ site: SiteId });
const QueueParam = z.object({ site: SiteId, queue: Id });

function queueInfo(q: QueueConfig, nowMs: number): QueueInfo {
  return {
    queue: q.queue,
    channel: q.channel,
    name_zh: q.name_zh,
    name_en: q.name_en,
    current: describeVersion(versionAt(q, nowMs)),
    versions: q.versions.map(describeVersion),
  };
}

export function configRoutes(ch: ClickHouseClient, audit: Audit, opts: { now: () => number }) {
  async function siteHours(site: string): Promise<SiteHours> {
    const [config, rows] = await Promise.all([
      loadSiteConfig(ch, site),
      runQuery(ch, loadSiteHours, { site }),
    ]);
    const versions = rows.map((r) => ({
      version: r.version,
      valid_from: formatLocal(config.tz, r.valid_from_ms),
      weekly: OpeningTime.array().parse(JSON.parse(r.weekly)),
      created_by: r.created_by,
    }));
    const current = rows.filter((r) => r.valid_from_ms <= opts.now()).at(-1);
    return {
      site,
      tz: config.tz,
      current: current ? versions.find((v) => v.version === current.version)! : null,
      versions,
    };
  }

  return new Hono<AppEnv>()
    .get("/", async (c) => {
      const p = allow(c, "config.read");
      const sites = (await runQuery(ch, listSites, {})).filter((s) => seesSite(p, s.site));
      return c.json({ sites } satisfies SiteList);
    })
    .put("/:site", validate("param", SiteParam), validate("json", SiteUpdate), async (c) => {
      const { site } = c.req.valid("param");
      const p = allow(c, "config.write", site);
      const body = c.req.valid("json");
      await insertRows(ch, SITES_TABLE, [
        { site, tz: body.tz, name: body.name, updated_ms: opts.now(), updated_by: p.name },
      ]);
      c.get("sites").add(site);
      await audit(c, "config.site", {
        site,
        target: site,
        detail: { name: body.name, tz: body.tz },
      });
      return c.json({ site, name: body.name, tz: body.tz } satisfies SiteInfo);
    })
    .get("/:site/hours", validate("param", SiteParam), async (c) => {
      const { site } = c.req.valid("param");
      allow(c, "config.read", site);
      await requireSite(c, site);
      return c.json(await siteHours(site));
    })
    .put("/:site/hours", validate("param", SiteParam), validate("json", HoursUpdate), async (c) => {
      const { site } = c.req.valid("param");
      const p = allow(c, "config.write", site);
      const u = c.req.valid("json");
      const now = opts.now();
      const { from, version } = versionStart(
        u.valid_from,
        now,
        await runQuery(ch, loadSiteHours, { site }),
      );
      const weekly = [...u.weekly].sort((a, b) => a.day - b.day || (a.open < b.open ? -1 : 1));
      c.get("sites").add(site);
      await insertRows(ch, SITE_HOURS_TABLE, [
        {
          site,
          version,
          valid_from_ms: from,
          weekly: JSON.stringify(weekly),
          created_ms: now,
          created_by: p.name,
        },
      ]);
      await audit(c, "config.site", {
        site,
        target: `${site}:hours`,
        detail: {
          version,
          valid_from: new Date(from).toISOString(),
          weekly,
        },
      });
      return c.json(await siteHours(site), 201);
    })
    .get("/:site/queues", validate("param", SiteParam), async (c) => {
      const { site } = c.req.valid("param");
      allow(c, "config.read", site);
      await requireSite(c, site);
      const config = await loadSiteConfig(ch, site);
      return c.json({
        site,
        queues: config.queues.map((q) => queueInfo(q, opts.now())),
      } satisfies QueueList);
    })
    .put(
      "/:site/queues/:queue",
      validate("param", QueueParam),
      validate("json", QueueUpdate),
      async (c) => {
        const { site, queue } = c.req.valid("param");
        const p = allow(c, "config.write", site);
        const u = c.req.valid("json");
        const now = opts.now();
        const config = await loadSiteConfig(ch, site);
        const existing = config.queues.find((q) => q.queue === queue);
        const channel = u.channel ?? existing?.channel ?? "voice";
        const latest = existing?.versions.at(-1);
        const base = latest ?? { version: 0, valid_from_ms: 0, ...channelDefaults(channel) };
        const params = {
          sl_threshold_s: u.sl_threshold_s ?? base.sl_threshold_s,
          short_abandon_s: u.short_abandon_s ?? base.short_abandon_s,
          sl_target: u.sl_target ?? base.sl_target,
        };
        const names = {
          name_zh: u.name_zh ?? existing?.name_zh ?? "",
          name_en: u.name_en ?? existing?.name_en ?? "",
        };
        const paramsChange =
          !latest ||
          params.sl_threshold_s !== latest.sl_threshold_s ||
          params.short_abandon_s !== latest.short_abandon_s ||
          params.sl_target !== latest.sl_target;

        let row: QueueDefinitionRow;
        if (paramsChange) {
          // Version 1 holds from the beginning: a second may start at any quarter hour after
          // the start of the version in force (or replace one that has not started).
          const { from, version } = versionStart(u.valid_from, now, existing?.versions ?? []);
          row = {
            site,
            queue,
            version,
            valid_from_ms: version > 1 ? from : 0,
            channel,
            ...params,
            ...names,
            created_ms: now,
            created_by: p.name,
          };
        } else {
          // Names or channel only: the latest version, rewritten (the newest row of a version wins).
          if (u.valid_from !== undefined)
            throw new ApiError(
              "bad_request",
              "valid_from applies to a change of T, S or target, and none was made",
              [{ path: "valid_from", message: "nothing takes effect" }],
            );
          row = {
            site,
            queue,
            version: latest!.version,
            valid_from_ms: latest!.version === 1 ? 0 : latest!.valid_from_ms,
            channel,
            ...params,
            ...names,
            created_ms: now,
            created_by: p.name,
          };
        }
        await insertRows(ch, QUEUE_DEFINITIONS_TABLE, [row]);
        c.get("sites").add(site);
        await audit(c, "config.queue", {
          site,
          target: queue,
          detail: { version: row.version, new_version: paramsChange, ...u },
        });
        const after = (await loadSiteConfig(ch, site)).queues.find((q) => q.queue === queue)!;
        return c.json(queueInfo(after, now), paramsChange ? 201 : 200);
      },
    );
}
