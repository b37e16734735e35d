// The TV wallboard: the tiles of the screen's layout for `?site=`, pushed at least every second,
// with the layout's trends from the server and the site's firing alerts.
import { parseRfc3339Ms, SiteId } from "@floorwatch/contracts";
import { createEffect, createMemo, Match, Show, Switch } from "solid-js";
import { AlertBanner } from "./components/AlertBanner";
import { Header } from "./components/Header";
import { StaleBanner } from "./components/StaleBanner";
import { TileGrid } from "./components/TileGrid";
import { makeTranslator, type Lang, type Translate } from "./i18n";
import { liveStatus } from "./live";
import { createLive, createNow, createTrends, createViewport } from "./primitives";
import { driftAt, rootFontPx } from "./screen";
import { layoutKey, pageAt } from "./tv";

export interface AppProps {
  site: string;
  lang: Lang;
  /** The screen's display token (api/src/auth). */
  token: string | null;
  /** `?layout=`: honoured for admin and supervisor tokens only. */
  layout?: string | null;
}

export function App(props: AppProps) {
  const t = makeTranslator(props.lang);
  return (
    <Show
      when={SiteId.safeParse(props.site).success}
      fallback={<BadSite site={props.site} t={t} />}
    >
      <Wallboard {...props} t={t} />
    </Show>
  );
}

function Wallboard(props: AppProps & { t: Translate }) {
  const live = createLive(props.site, { token: props.token, layout: props.layout });
  const now = createNow();
  const viewport = createViewport();
  const frame = live.frame;
  const layout = createMemo(() => frame()?.layout ?? null, null, {
    // The same layout in a new frame is not a change: only a new id or version re-lays out.
    equals: (a, b) => (a && b ? layoutKey(a) === layoutKey(b) : a === b),
  });
  const trends = createTrends(props.site, {
    token: props.token,
    layout: props.layout,
    now,
    layoutKey: () => {
      const l = layout();
      return l ? layoutKey(l) : null;
    },
  });
  const status = createMemo(() =>
    liveStatus(
      { startedAt: live.startedAt, lastOkAt: live.lastOkAt(), lastError: live.lastError() },
      now(),
    ),
  );
  const asOfMs = () => {
    const f = frame();
    return f ? parseRfc3339Ms(f.as_of) : null;
  };
  const page = createMemo(() => {
    const l = layout();
    return pageAt(frame()?.tiles ?? [], l?.per_page ?? 12, l?.rotate_s ?? 20, now());
  });

  // Everything is sized in rem: one root size from the viewport and the reading distance makes
  // the header as readable at 4K as at 1080p.
  createEffect(() => {
    const v = viewport();
    document.documentElement.style.fontSize = `${rootFontPx(v.width, v.height, layout()?.distance_m ?? 5)}px`;
  });
  const drift = () => {
    const d = driftAt(now());
    return `translate(${d.x}px, ${d.y}px)`;
  };

  return (
    <div
      class="screen"
      lang={props.lang}
      data-layout={layout()?.id}
      data-layout-version={layout()?.version}
      style={{ transform: drift() }}
    >
      <Header
        site={props.site}
        lang={props.lang}
        layoutName={layout()?.name ?? null}
        tz={frame()?.tz}
        now={now()}
        asOfMs={asOfMs()}
        status={status()}
        page={page()}
        t={props.t}
      />
      <Show when={status() === "stale"}>
        <StaleBanner now={now()} lastOkAt={live.lastOkAt()} error={live.lastError()} t={props.t} />
      </Show>
      <Show when={(frame()?.alerts.length ?? 0) > 0}>
        <AlertBanner
          alerts={frame()?.alerts ?? []}
          total={frame()?.alerts_total ?? 0}
          tiles={frame()?.tiles ?? []}
          tz={frame()?.tz}
          now={now()}
          lang={props.lang}
          t={props.t}
        />
      </Show>
      <main class="body">
        <Switch>
          <Match when={layout() && page().items.length > 0 ? layout() : null}>
            {(l) => (
              <TileGrid
                tiles={page().items}
                layout={l()}
                trends={trends()}
                stale={status() === "stale"}
                lang={props.lang}
                t={props.t}
              />
            )}
          </Match>
          <Match when={frame() !== null}>
            <div class="message">
              <p class="message-title">{props.t("emptyTitle")}</p>
              <p class="message-hint">{props.t("emptyHint")}</p>
            </div>
          </Match>
          <Match when={status() === "connecting"}>
            <div class="message">
              <p class="message-title muted">{props.t("connecting")}</p>
            </div>
          </Match>
        </Switch>
      </main>
    </div>
  );
}

function BadSite(props: { site: string; t: Translate }) {
  return (
    <div class="screen">
      <main class="body">
        <div class="message">
          <p class="message-title">{props.t("badSiteTitle")}</p>
          <p class="message-hint">
            <code>{props.site}</code>
          </p>
          <p class="message-hint">{props.t("badSiteHint")}</p>
        </div>
      </main>
    </div>
  );
}
