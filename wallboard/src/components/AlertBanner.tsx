// The site's firing alerts, from the frame: severity by colour, icon and text, in the screen's
// language; several alerts show their count and take turns on the banner. Gone when none fire.
// An alert someone took on (acknowledged on the supervisor screen) says so: the floor sees it is
// being handled.
import type { TvAlert, TvTile } from "@floorwatch/contracts";
import { createMemo, For, Show } from "solid-js";
import { alertIndexAt, alertLine, SEVERITY_KEY } from "../banner";
import type { Lang, Translate } from "../i18n";
import { StateIcon } from "./icons";

export interface AlertBannerProps {
  alerts: readonly TvAlert[];
  total: number;
  tiles: readonly TvTile[];
  tz: string | undefined;
  now: number;
  lang: Lang;
  t: Translate;
}

export function AlertBanner(props: AlertBannerProps) {
  const lines = createMemo(() =>
    props.alerts.map((a) => alertLine(a, props.tiles, props.lang, props.tz)),
  );
  // Keyed by id: a new frame every second must not rebuild the banner's items.
  const byId = createMemo(() => new Map(lines().map((l) => [l.id, l])));
  const acknowledged = createMemo(
    () => new Set(props.alerts.filter((a) => a.acknowledged).map((a) => a.id)),
  );
  const ids = createMemo(() => lines().map((l) => l.id), [], {
    equals: (a, b) => a.length === b.length && a.every((n, i) => n === b[i]),
  });
  const current = () => alertIndexAt(ids().length, props.now);
  const worst = () => lines()[0]?.severity ?? "info";
  const sevText = (s: TvAlert["severity"]) => props.t(SEVERITY_KEY[s]);

  return (
    <section class="alert-banner" data-testid="alert-banner" data-severity={worst()} role="alert">
      <Show when={props.total > 1}>
        <span class="alert-count">{props.t("alertsFiring", { n: props.total })}</span>
      </Show>
      <ul class="alert-list">
        <For each={ids()}>
          {(id, i) => (
            <Show when={byId().get(id)}>
              {(line) => (
                <li
                  class="alert"
                  data-alert={id}
                  data-severity={line().severity}
                  data-acknowledged={acknowledged().has(id) ? "true" : undefined}
                  classList={{ current: i() === current() }}
                >
                  <span class="alert-sev">
                    <StateIcon state={line().severity} />
                    {sevText(line().severity)}
                  </span>
                  <span class="alert-rule">{line().rule}</span>
                  <Show when={line().where}>
                    <span class="alert-where">{line().where}</span>
                  </Show>
                  <span class="alert-value">
                    {line().value} {line().comparator} {line().threshold}
                  </span>
                  <Show when={line().since}>
                    <span class="alert-since">{props.t("alertSince", { time: line().since })}</span>
                  </Show>
                  <Show when={acknowledged().has(id)}>
                    <span class="alert-since alert-ack" data-testid="alert-acknowledged">
                      ✓ {props.t("acknowledged")}
                    </span>
                  </Show>
                </li>
              )}
            </Show>
          )}
        </For>
      </ul>
      <Show when={ids().length > 1}>
        <span class="alert-dots" aria-hidden="true">
          {current() + 1}/{ids().length}
        </span>
      </Show>
    </section>
  );
}
