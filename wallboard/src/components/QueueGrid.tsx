// All queues of the site on one screen, no scrolling; tiles keep their place from poll to poll.
import { createMemo, For, Show } from "solid-js";
import type { LiveQueue } from "@floorwatch/contracts";
import type { Series } from "../history";
import type { Translate } from "../i18n";
import { gridShape } from "../layout";
import { createElementSize } from "../primitives";
import { QueueTile } from "./QueueTile";

export interface QueueGridProps {
  queues: readonly LiveQueue[];
  series: (queue: string) => Series;
  windowS: number;
  stale: boolean;
  t: Translate;
}

export function QueueGrid(props: QueueGridProps) {
  let el: HTMLDivElement | undefined;
  const size = createElementSize(() => el);
  const byName = createMemo(() => new Map(props.queues.map((q) => [q.queue, q])));
  // Keyed by name, not by object: every poll brings new objects, and keying on them would rebuild
  // every tile (and its chart) each second.
  const names = createMemo(
    () => [...byName().keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    [],
    { equals: (a, b) => a.length === b.length && a.every((n, i) => n === b[i]) },
  );
  const shape = createMemo(() =>
    gridShape(names().length, size().width || 1920, size().height || 960),
  );

  return (
    <div
      ref={el}
      class="grid"
      style={{
        "grid-template-columns": `repeat(${shape().cols}, minmax(0, 1fr))`,
        "grid-template-rows": `repeat(${shape().rows}, minmax(0, 1fr))`,
      }}
    >
      <For each={names()}>
        {(name) => (
          <Show when={byName().get(name)}>
            {(queue) => (
              <QueueTile
                queue={queue()}
                series={props.series(name)}
                windowS={props.windowS}
                stale={props.stale}
                t={props.t}
              />
            )}
          </Show>
        )}
      </For>
    </div>
  );
}
