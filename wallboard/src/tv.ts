// The TV frame as the screen lays it out: tile names in the screen's language, what a tile stands
// for, and which page of tiles shows now. Pure functions over `TvFrame` (contracts/src/tv.ts).
import { DEFAULT_TV_FIGURES, type Layout, type TvTile } from "@floorwatch/contracts";
import type { Lang } from "./i18n";
import { nameIn } from "./names";

/** The queue id of a `queue:<id>` tile, null for `site` and `channel:*` tiles. */
export function tileQueue(key: string): string | null {
  return key.startsWith("queue:") ? key.slice("queue:".length) : null;
}

/**
 * A tile's name in the screen's language: a zh-CN floor reads 信用卡, not "Credit Card". Falls back
 * to the other language, then to the id (a queue configured with no names at all).
 */
export function tileName(tile: Pick<TvTile, "key" | "name_zh" | "name_en">, lang: Lang): string {
  const named = nameIn(lang, tile.name_zh, tile.name_en);
  if (named) return named;
  const key = tile.key;
  if (key === "site") return lang === "zh-CN" ? "全站" : "Site";
  if (key.startsWith("channel:")) return key.slice("channel:".length);
  return (tileQueue(key) ?? key).replace(/[_-]+/g, " ").trim() || key;
}

export interface Page<T> {
  /** 0-based page shown now. */
  index: number;
  count: number;
  items: T[];
}

/**
 * The page of `items` shown at `nowMs`: pages of `perPage`, each for `rotateS` seconds. Derived
 * from the wall clock rather than a counter, so it keeps no state that grows or drifts, and
 * screens of one layout turn their pages together.
 */
export function pageAt<T>(
  items: readonly T[],
  perPage: number,
  rotateS: number,
  nowMs: number,
): Page<T> {
  const size = Math.max(1, Math.floor(perPage));
  const count = Math.max(1, Math.ceil(items.length / size));
  const period = Math.max(1, rotateS) * 1000;
  const index = count === 1 ? 0 : Math.floor(Math.max(0, nowMs) / period) % count;
  return { index, count, items: items.slice(index * size, (index + 1) * size) };
}

/**
 * What decides the screen's structure (which tiles, figures and charts): a frame whose layout
 * differs here re-lays the screen out; figures changing do not.
 */
export function layoutKey(layout: Layout): string {
  return `${layout.id}@${layout.version}:${layout.updated_at ?? ""}`;
}

/** The figures a tile shows, in the order of a frame's `v` and `s`: a layout naming none shows the default ones. */
export function layoutFigures(layout: Pick<Layout, "figures">): readonly string[] {
  return layout.figures.length > 0 ? layout.figures : DEFAULT_TV_FIGURES;
}
