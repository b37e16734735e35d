// Which site, what time it is, and how fresh the figures are.
import { Show } from "solid-js";
import { formatClock } from "../format";
import type { Lang, Translate } from "../i18n";
import type { LiveStatus } from "../live";

export interface HeaderProps {
  site: string;
  lang: Lang;
  /** The site's time zone (from the snapshot): a TV shows the floor's time, not its own. */
  tz: string | undefined;
  now: number;
  asOfMs: number | null;
  status: LiveStatus;
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
      </div>
      <div class="times">
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
