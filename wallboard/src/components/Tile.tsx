// One tile of the layout (a queue, a channel or the site): its name in the screen's language,
// every figure of the layout with its state, and the layout's trends.
import type { Layout, TvTile, TvTrends } from "@floorwatch/contracts";
import { createMemo, For } from "solid-js";
import { figureState } from "../figures";
import type { Lang, Translate } from "../i18n";
import { trendData } from "../trends";
import { layoutFigures, tileName, tileQueue } from "../tv";
import { Figure } from "./Figure";
import { TrendChart } from "./TrendChart";

export interface TileProps {
  tile: TvTile;
  layout: Layout;
  trends: TvTrends | null;
  /** Columns and rows of the figures inside the tile (from the tile's size). */
  fcols: number;
  frows: number;
  stale: boolean;
  lang: Lang;
  t: Translate;
}

export function Tile(props: TileProps) {
  const worst = createMemo(() =>
    props.tile.s.includes("b") ? "breach" : props.tile.s.includes("w") ? "warning" : "ok",
  );
  return (
    <article
      class="tile"
      data-tile={props.tile.key}
      data-queue={tileQueue(props.tile.key) ?? undefined}
      data-state={worst()}
      classList={{ stale: props.stale }}
    >
      {/* Inside the tile, so that its container units measure the tile (an element's own cq
      units measure its ancestor's container, not itself). */}
      <div
        class="tile-in"
        classList={{ "has-trends": props.layout.trends.length > 0 }}
        style={{ "--fcols": String(props.fcols), "--frows": String(props.frows) }}
      >
        <header class="tile-head">
          <h2 class="tile-name" title={props.tile.key}>
            {tileName(props.tile, props.lang)}
          </h2>
        </header>
        <div class="figs">
          <For each={layoutFigures(props.layout)}>
            {(figure, i) => (
              <Figure
                figure={figure}
                value={props.tile.v[i()]}
                state={figureState(props.tile.s, i())}
                slTarget={props.tile.sl_target}
                lang={props.lang}
                t={props.t}
              />
            )}
          </For>
        </div>
        <div class="trends">
          <For each={props.layout.trends}>
            {(trend) => (
              <TrendChart
                trend={trend}
                data={trendData(props.trends, props.tile.key, trend, props.tile.sl_target)}
                t={props.t}
              />
            )}
          </For>
        </div>
      </div>
    </article>
  );
}
