// The TV wallboard: one tile per queue of `?site=`, refreshed every second.
import { SiteId, parseRfc3339Ms } from "@floorwatch/contracts";
import { createMemo, Match, Show, Switch } from "solid-js";
import { Header } from "./components/Header";
import { QueueGrid } from "./components/QueueGrid";
import { StaleBanner } from "./components/StaleBanner";
import { makeTranslator, type Lang, type Translate } from "./i18n";
import { liveStatus } from "./live";
import { createLive, createNow } from "./primitives";

const HISTORY_S = 600;

export interface AppProps {
  site: string;
  lang: Lang;
  /** The screen's display token (api/src/auth). */
  token: string | null;
}

export function App(props: AppProps) {
  const t = makeTranslator(props.lang);
  return (
    <Show
      when={SiteId.safeParse(props.site).success}
      fallback={<BadSite site={props.site} t={t} />}
    >
      <Wallboard site={props.site} lang={props.lang} token={props.token} t={t} />
    </Show>
  );
}

function Wallboard(props: AppProps & { t: Translate }) {
  const live = createLive(props.site, { historyS: HISTORY_S, token: props.token });
  const now = createNow();
  const status = createMemo(() =>
    liveStatus(
      { startedAt: live.startedAt, lastOkAt: live.lastOkAt(), lastError: live.lastError() },
      now(),
    ),
  );
  const asOfMs = () => {
    const s = live.snapshot();
    return s ? parseRfc3339Ms(s.as_of) : null;
  };
  const queues = () => live.snapshot()?.queues ?? [];

  return (
    <div class="screen" lang={props.lang}>
      <Header
        site={props.site}
        lang={props.lang}
        tz={live.snapshot()?.tz}
        now={now()}
        asOfMs={asOfMs()}
        status={status()}
        t={props.t}
      />
      <Show when={status() === "stale"}>
        <StaleBanner now={now()} lastOkAt={live.lastOkAt()} error={live.lastError()} t={props.t} />
      </Show>
      <main class="body">
        <Switch>
          <Match when={queues().length > 0}>
            <QueueGrid
              queues={queues()}
              series={live.series}
              windowS={HISTORY_S}
              stale={status() === "stale"}
              t={props.t}
            />
          </Match>
          <Match when={live.snapshot() !== null}>
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
