// Which site and layout, what time it is, how fresh the figures are, and which page shows.
import { Show } from "solid-js";
import { formatClock } from "../format";
import type { Lang, Translate } from "../i18n";
import type { LiveStatus } from "../live";

export interface HeaderProps {
  site: string;
  lang: Lang;
  /** The layout's name, once a frame said which is in force. */
  layoutName: string | null;
  /** The site's time zone (from the frame): a TV shows the floor's time, not its own. */
  tz: string | undefined;
  now: number;
  asOfMs: number | null;
  status: LiveStatus;
  page: { index: number; count: number };
  t: Translate;
}

export function Header(props: HeaderProps) {
  const statusText = () =>
    props.status === "live"
      ? props.t("live")
      : props.status === "stale"
        ? props.t("stale")
        : props.t("connecting");
  return (
    <header class="top">
      <div class="brand">
        <span class="product">{props.t("product")}</span>
        <span class="site">
          <span class="site-label">{props.t("site")}</span>
          <span class="site-name">{props.site}</span>
        </span>
        <Show when={props.layoutName}>
          <span class="layout-name">{props.layoutName}</span>
        </Show>
      </div>
      <div class="times">
        <Show when={props.page.count > 1}>
          <span class="page-indicator" data-testid="page-indicator" title={props.t("page")}>
            {props.page.index + 1}/{props.page.count}
          </span>
        </Show>
        <span class={`pill pill-${props.status}`}>
          <span class="dot" aria-hidden="true" />
          {statusText()}
        </span>
        <Show when={props.asOfMs !== null}>
          <span class="as-of">
            {props.t("asOf")} <time>{formatClock(props.asOfMs ?? 0, props.lang, props.tz)}</time>
          </span>
        </Show>
        <time class="clock" data-testid="clock">
          {formatClock(props.now, props.lang, props.tz)}
        </time>
      </div>
    </header>
  );
}
