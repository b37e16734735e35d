// One queue: how many wait and how long the longest has waited, readable across the floor.
import { Match, Switch } from "solid-js";
import type { LiveQueue } from "@floorwatch/contracts";
import { formatMinSec, queueTitle } from "../format";
import type { Translate } from "../i18n";
import type { Series } from "../history";
import { classifyWait, DEFAULT_WAIT_THRESHOLDS } from "../thresholds";
import { AlertIcon, WarnIcon } from "./icons";
import { Sparkline } from "./Sparkline";

export interface QueueTileProps {
  queue: LiveQueue;
  series: Series;
  windowS: number;
  stale: boolean;
  t: Translate;
}

export function QueueTile(props: QueueTileProps) {
  const level = () => classifyWait(props.queue.longest_waiting_s);
  const minutes = (s: number) => Math.round(s / 60);

  return (
    <article
      class="tile"
      data-queue={props.queue.queue}
      data-level={level()}
      classList={{ stale: props.stale }}
    >
      <header class="tile-head">
        <h2 class="tile-name" title={props.queue.queue}>
          {queueTitle(props.queue.queue)}
        </h2>
        <Switch>
          <Match when={level() === "alert"}>
            <span class="badge badge-alert" role="status">
              <AlertIcon />
              {props.t("over", { min: minutes(DEFAULT_WAIT_THRESHOLDS.alertS) })}
            </span>
          </Match>
          <Match when={level() === "warn"}>
            <span class="badge badge-warn" role="status">
              <WarnIcon />
              {props.t("over", { min: minutes(DEFAULT_WAIT_THRESHOLDS.warnS) })}
            </span>
          </Match>
        </Switch>
      </header>
      <div class="figures">
        <div class="figure">
          <div class="figure-label">{props.t("waiting")}</div>
          <div class="figure-value" data-metric="waiting">
            {String(props.queue.waiting)}
          </div>
        </div>
        <div class="figure">
          <div class="figure-label">{props.t("longestWait")}</div>
          <div class="figure-value wait" data-metric="longest_waiting_s">
            {formatMinSec(props.queue.longest_waiting_s)}
          </div>
        </div>
      </div>
      <Sparkline data={props.series} windowS={props.windowS} label={props.t("trend")} />
    </article>
  );
}
