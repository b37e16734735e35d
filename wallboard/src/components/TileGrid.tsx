// The tiles of the page shown now, no scrolling: the grid picks the column count that makes tiles
// largest (layout.ts), and each tile its figures' columns the same way.
import type { Layout, TvTile, TvTrends } from "@floorwatch/contracts";
import { createMemo, For, Show } from "solid-js";
import type { Lang, Translate } from "../i18n";
import { gridShape } from "../layout";
import { layoutFigures } from "../tv";
import { createElementSize } from "../primitives";
import { Tile } from "./Tile";

export interface TileGridProps {
  tiles: readonly TvTile[];
  layout: Layout;
  trends: TvTrends | null;
  stale: boolean;
  lang: Lang;
  t: Translate;
}

/** The share of a tile's height its figures get (the rest: the name and the trends). */
const figuresShare = (layout: Layout) => (layout.trends.length > 0 ? 0.6 : 0.82);

export function TileGrid(props: TileGridProps) {
  let el: HTMLDivElement | undefined;
  const size = createElementSize(() => el);
  const byKey = createMemo(() => new Map(props.tiles.map((t) => [t.key, t])));
  // Keyed by tile key, not by object: every frame brings new objects, and keying on them would
  // rebuild every tile (and its charts) each second.
  const keys = createMemo(() => props.tiles.map((t) => t.key), [], {
    equals: (a, b) => a.length === b.length && a.every((n, i) => n === b[i]),
  });
  const shape = createMemo(() =>
    gridShape(keys().length, size().width || 1920, size().height || 960, 1.45),
  );
  const figShape = createMemo(() => {
    const { cols, rows } = shape();
    const w = (size().width || 1920) / cols;
    const h = ((size().height || 960) / rows) * figuresShare(props.layout);
    return gridShape(Math.max(1, layoutFigures(props.layout).length), w, h, 1.7);
  });

  return (
    <div
      ref={el}
      class="grid"
      style={{
        "grid-template-columns": `repeat(${shape().cols}, minmax(0, 1fr))`,
        "grid-template-rows": `repeat(${shape().rows}, minmax(0, 1fr))`,
      }}
    >
      <For each={keys()}>
        {(key) => (
          <Show when={byKey().get(key)}>
            {(tile) => (
              <Tile
                tile={tile()}
                layout={props.layout}
                trends={props.trends}
                fcols={figShape().cols}
                frows={figShape().rows}
                stale={props.stale}
                lang={props.lang}
                t={props.t}
              />
            )}
          </Show>
        )}
      </For>
    </div>
  );
}
