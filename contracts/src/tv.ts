// The TV wallboard (issue #12): layouts (what a screen shows, edited by admins), the compact frame
// the live stream sends a screen (GET /api/v1/live/stream?site=…&view=tv), the trends a screen
// draws on first paint (GET /api/v1/live/trends), and the screens an admin sees (last seen).
//
// A frame is the projection of the site's live snapshot (live.ts) onto one layout: only the tiles
// and figures the layout shows, each figure's value and state, and the site's firing alerts. One
// frame per layout and tick is serialised once and written to every screen of that layout.
import { z } from "zod";
import { Severity } from "./alerts";
import { Rfc3339, SiteId } from "./primitives";

/**
 * A figure a tile can show: a figure of the queue now (`waiting`, `longest_waiting_s`,
 * `breaching_soon`, `agents.available` …) or `<window>.<figure>` for a live window's figure
 * (`15m.service_level`, `today.csat` …): the names of GET /api/v1/live and of alert rules.
 */
export const TvFigure = z
  .string()
  .regex(
    /^(waiting|longest_waiting_s|breaching_soon|agents\.[a-z_]+|(15m|60m|today)\.[a-z_]+)$/,
    "must be a figure of the queue now (waiting, longest_waiting_s, breaching_soon, agents.*) or <15m|60m|today>.<figure>",
  );
export type TvFigure = z.infer<typeof TvFigure>;

/** The figures of a tile when the layout names none (issue #12, in this order). */
export const DEFAULT_TV_FIGURES: readonly TvFigure[] = [
  "waiting",
  "longest_waiting_s",
  "breaching_soon",
  "15m.service_level",
  "today.service_level",
  "60m.asa_s",
  "15m.abandon_rate",
  "agents.available",
  "agents.on_contact",
  "agents.wrap_up",
  "agents.not_ready",
  "today.csat",
];

/** The trend charts a layout can show (series of GET /api/v1/live/trends). */
export const TvTrend = z.enum([
  /** Per quarter hour today: contacts offered. */
  "offered",
  /** Per quarter hour today: service level, with the target line. */
  "service_level",
  /** Per quarter hour today: the longest wait of a contact that ended in it. */
  "max_wait_s",
  /** Per day, the last 14 days: satisfaction. */
  "csat",
  /** Per day, the last 14 days: problems resolved. */
  "resolution_rate",
]);
export type TvTrend = z.infer<typeof TvTrend>;

/**
 * What a tile stands for: one queue (`queue:loans`), the queues of a channel together
 * (`channel:voice`), or the whole site (`site`), as the live snapshot's `totals` count them.
 */
export const TileKey = z
  .string()
  .regex(
    /^(site|channel:(voice|chat|email|video|callback)|queue:[A-Za-z0-9][A-Za-z0-9_.:-]{0,127})$/,
    "must be site, channel:<channel> or queue:<queue id>",
  );
export type TileKey = z.infer<typeof TileKey>;

export const LayoutId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "must be 1–64 of a-z, 0-9, _ and -, starting alphanumeric");

/** PUT /api/v1/layouts/:id?site=…: what the screens whose display token names this layout show. */
export const LayoutDraft = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /**
   * The tiles, in order. Empty: every queue of the site, by name (queues that appear later appear
   * on their own).
   */
  tiles: z.array(TileKey).max(500).default([]),
  /** The figures of each tile, in order; empty: DEFAULT_TV_FIGURES. */
  figures: z.array(TvFigure).max(16).default([]),
  /** The trend charts under each tile (at most two fit a tile). */
  trends: z.array(TvTrend).max(2).default(["service_level"]),
  /** Tiles per page (at most 24: a tile must stay readable across the floor). */
  per_page: z.number().int().min(1).max(24).default(12),
  /** Seconds each page stays before the next (several pages only). */
  rotate_s: z.number().int().min(5).max(3600).default(20),
  /** How far the farthest reader sits, in metres: scales the type. */
  distance_m: z.number().min(1).max(30).default(5),
});
export type LayoutDraft = z.infer<typeof LayoutDraft>;
export type LayoutDraftInput = z.input<typeof LayoutDraft>;

export const Layout = LayoutDraft.extend({
  id: LayoutId,
  site: SiteId,
  /** 0: the built-in default (a token naming no stored layout shows it). */
  version: z.number().int().nonnegative(),
  updated_at: z.string().nullable(),
  updated_by: z.string().nullable(),
});
export type Layout = z.infer<typeof Layout>;

export const LayoutList = z.object({ site: SiteId, layouts: z.array(Layout) });
export type LayoutList = z.infer<typeof LayoutList>;

export const LayoutParams = z.object({ id: LayoutId });
export const LayoutQuery = z.object({ site: SiteId }).strict();

/** ok / warning / breach, one letter per figure in a frame (`o`, `w`, `b`). */
export const TvState = z.enum(["ok", "warning", "breach"]);
export type TvState = z.infer<typeof TvState>;
export const STATE_LETTER: Record<TvState, string> = { ok: "o", warning: "w", breach: "b" };
export const LETTER_STATE: Record<string, TvState> = { o: "ok", w: "warning", b: "breach" };

/** One tile of a frame: what it is (names in both languages) and its figures now. */
export const TvTile = z.object({
  key: TileKey,
  name_zh: z.string(),
  name_en: z.string(),
  /** The service-level target the tile is judged against (a group: its queues' lowest); null: none. */
  sl_target: z.number().nullable(),
  /** The values of the layout's `figures`, in order; null where the figure has no value (no calls). */
  v: z.array(z.number().nullable()),
  /** The state of each figure, one letter each (o ok, w warning, b breach), in the same order. */
  s: z.string().regex(/^[owb]*$/),
});
export type TvTile = z.infer<typeof TvTile>;

/** A firing alert, as the banner shows it. */
export const TvAlert = z.object({
  id: z.string(),
  severity: Severity,
  rule_name: z.string(),
  rule_name_zh: z.string(),
  /** The tile the alert is about (null: the site or a survey). */
  tile: TileKey.nullable(),
  figure: z.string(),
  window: z.string(),
  comparator: z.string(),
  value: z.number().nullable(),
  threshold: z.number(),
  fired_at: z.string(),
  acknowledged: z.boolean(),
});
export type TvAlert = z.infer<typeof TvAlert>;

/** Firing alerts a frame carries at most (critical first, then the oldest). */
export const TV_ALERTS_MAX = 20;

/** An `event: tv` frame of GET /api/v1/live/stream?view=tv. */
export const TvFrame = z.object({
  site: SiteId,
  tz: z.string(),
  as_of: z.string(),
  /** The layout in force (the token's, or the default); the screen re-lays itself out when it changes. */
  layout: Layout,
  tiles: z.array(TvTile),
  alerts: z.array(TvAlert),
  /** Firing alerts of the site in all. */
  alerts_total: z.number().int().nonnegative(),
});
export type TvFrame = z.infer<typeof TvFrame>;

export const TrendsQuery = z
  .object({
    site: SiteId,
    /** Another layout than the default (not for display tokens: theirs is their token's). */
    layout: LayoutId.optional(),
  })
  .strict();

/**
 * GET /api/v1/live?…&view=tv (one frame: a screen's polling fallback) and GET /api/v1/live/stream
 * ?…&view=tv (`event: tv` frames). Without `view` both answer the whole snapshot, as always.
 * `layout`: another layout than the default, for admins and supervisors trying one out; a display
 * token always shows its token's layout.
 */
export const TvLiveQuery = z
  .object({
    site: SiteId,
    view: z.enum(["tv"]).optional(),
    layout: LayoutId.optional(),
  })
  .refine((q) => q.layout === undefined || q.view === "tv", {
    message: "layout applies to view=tv only",
    path: ["layout"],
  });
export type TvLiveQuery = z.infer<typeof TvLiveQuery>;

/** A series per tile: one value per start (null: nothing to count). */
const Series = z.array(z.number().nullable());

/** GET /api/v1/live/trends?site=…: the history a screen draws from its first paint. */
export const TvTrends = z.object({
  site: SiteId,
  tz: z.string(),
  as_of: z.string(),
  /** The layout the trends were cut for (the token's). */
  layout_id: z.string(),
  /** Quarter hours of the site's day so far: starts in epoch seconds, then per tile key the series. */
  today: z.object({
    starts: z.array(z.number()),
    tiles: z.record(
      z.string(),
      z.object({ offered: Series, service_level: Series, max_wait_s: Series }),
    ),
  }),
  /** The last 14 days of the site's calendar (today included), per tile key. */
  days: z.object({
    starts: z.array(z.number()),
    tiles: z.record(z.string(), z.object({ csat: Series, resolution_rate: Series })),
  }),
});
export type TvTrends = z.infer<typeof TvTrends>;

/** GET /api/v1/screens?site=…: every display token and when its screen was last heard from. */
export const Screen = z.object({
  token_id: z.string(),
  name: z.string(),
  site: z.string(),
  layout: z.string(),
  /** When the screen last held a stream open or fetched the live figures; null: never. */
  last_seen_at: Rfc3339.nullable(),
  /** Streams open now on this API process. */
  connected: z.boolean(),
  revoked_at: z.string().nullable(),
  expires_at: z.string().nullable(),
});
export type Screen = z.infer<typeof Screen>;

export const ScreenList = z.object({ screens: z.array(Screen) });
export type ScreenList = z.infer<typeof ScreenList>;

/** GET /api/v1/screens[?site=…]: the screens of one site, or of every site the admin sees. */
export const ScreensQuery = z.object({ site: SiteId.optional() }).strict();

/** DELETE /api/v1/screens/:id: a display token's id (12 hex digits, as the tokens routes'). */
export const ScreenParams = z.object({
  id: z.string().regex(/^[0-9a-f]{12}$/, "must be a token id: 12 hex digits"),
});
