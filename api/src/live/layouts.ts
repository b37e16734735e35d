// TV layouts of a site (sql/migrations/0010_layouts.sql): what the screens whose display token
// names a layout show. Every edit is the next version, a delete a deleted version; a layout with no
// stored version, or whose latest is deleted, is the built-in default (version 0), so a screen whose
// token names a layout nobody has written yet still shows every queue.
//
// The live stream reads layouts on every tick for every layout with a listener: they come from a
// cache of every layout of the site, refreshed behind the answer once older than `ttlMs` (1 s; one
// statement per site, never one per listener, and never one between a snapshot and its screens).
// A write reloads the site's cache before it answers.
import { LayoutDraft, type Layout, type LiveSnapshot, type TileKey } from "@floorwatch/contracts";
import {
  insertRows,
  LAYOUTS_TABLE,
  loadLayoutVersions,
  runQuery,
  type ClickHouseClient,
  type LayoutRow,
} from "@floorwatch/sql";
import { makeStaleCache } from "./stale";

/** The layout a token with no `layout` shows. */
export const DEFAULT_LAYOUT_ID = "default";

/**
 * The layout id a display token's free-text `layout` names: lower case, runs of anything but
 * a-z, 0-9, _ and - as one "-" ("Floor 3 East" → "floor-3-east"); empty → `default`.
 */
export function layoutIdOf(tokenLayout: string): string {
  const id = tokenLayout
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .slice(0, 64);
  return id || DEFAULT_LAYOUT_ID;
}

/** The built-in layout `id` shows while nothing is stored for it: every queue, every default. */
export function defaultLayout(site: string, id: string): Layout {
  return {
    ...LayoutDraft.parse({ name: id === DEFAULT_LAYOUT_ID ? "Default" : id }),
    id,
    site,
    version: 0,
    updated_at: null,
    updated_by: null,
  };
}

/** A stored body, or null when it no longer parses (then the default shows, never a 500). */
function parseBody(body: string): LayoutDraft | null {
  try {
    const r = LayoutDraft.safeParse(JSON.parse(body));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export interface SiteLayouts {
  /** Each layout's latest stored version (deleted ones included, as `deleted`). */
  latest: Map<string, { version: number; layout: Layout | null }>;
}

/** Each layout's latest version from the rows of one site. Pure. */
export function siteLayouts(site: string, rows: readonly LayoutRow[]): SiteLayouts {
  const newest = new Map<string, LayoutRow>();
  for (const r of rows) {
    if (r.site !== site) continue;
    const seen = newest.get(r.layout_id);
    if (!seen || r.version > seen.version) newest.set(r.layout_id, r);
  }
  const latest = new Map<string, { version: number; layout: Layout | null }>();
  for (const [id, r] of newest) {
    const draft = r.deleted === 1 ? null : parseBody(r.body);
    latest.set(id, {
      version: r.version,
      layout: draft && {
        ...draft,
        id,
        site,
        version: r.version,
        updated_at: new Date(r.created_ms).toISOString(),
        updated_by: r.created_by,
      },
    });
  }
  return { latest };
}

export interface LayoutStore {
  /** The site's layouts in force (stored and not deleted), by id. */
  list(site: string): Promise<Layout[]>;
  /** The layout in force, or the built-in default of that id (version 0). */
  get(site: string, id: string): Promise<Layout>;
  /** The latest stored version of a layout (0: none) and the layout in force. */
  state(site: string, id: string): Promise<{ latest: number; current: Layout }>;
  /** Stores `version` (the next: `state`'s latest + 1) of a layout, or its deletion (null). */
  write(
    site: string,
    id: string,
    version: number,
    draft: LayoutDraft | null,
    by: string,
  ): Promise<Layout>;
}

export function makeLayoutStore(
  ch: ClickHouseClient,
  opts: { now?: () => number; ttlMs?: number } = {},
): LayoutStore {
  const now = opts.now ?? Date.now;
  const cache = makeStaleCache(
    async (site: string) => siteLayouts(site, await runQuery(ch, loadLayoutVersions, { site })),
    opts.ttlMs ?? 1_000,
    now,
  );
  const inForce = (site: string, id: string, s: SiteLayouts) =>
    s.latest.get(id)?.layout ?? defaultLayout(site, id);

  return {
    async list(site) {
      const s = await cache.get(site);
      return [...s.latest.values()]
        .flatMap((e) => (e.layout ? [e.layout] : []))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async get(site, id) {
      return inForce(site, id, await cache.get(site));
    },
    async state(site, id) {
      // A write decides on what is stored now, not on a second-old copy.
      const s = await cache.fresh(site);
      return { latest: s.latest.get(id)?.version ?? 0, current: inForce(site, id, s) };
    },
    async write(site, id, version, draft, by) {
      await insertRows(ch, LAYOUTS_TABLE, [
        {
          site,
          layout_id: id,
          version,
          deleted: draft ? 0 : 1,
          body: draft ? JSON.stringify(draft) : "",
          created_ms: now(),
          created_by: by,
        } satisfies LayoutRow,
      ]);
      // Reloaded now: the stream's next frame, and the next GET, show the new version.
      return inForce(site, id, await cache.fresh(site));
    },
  };
}

/**
 * The tiles a layout shows over a snapshot: its own, in order, or (none named) every queue of the
 * snapshot by id, so queues that appear later appear on their own.
 */
export function tilesOf(
  layout: Pick<Layout, "tiles">,
  snapshot: { queues: readonly Pick<LiveSnapshot["queues"][number], "queue">[] },
): TileKey[] {
  if (layout.tiles.length > 0) return layout.tiles;
  return snapshot.queues
    .map((q) => q.queue)
    .sort()
    .map((id): TileKey => `queue:${id}`);
}
