// The frame of every desk screen: the session, the navigation the token's role opens, the site
// and language choosers, sign-out. A screen the role does not open is not rendered (the server
// refuses its calls anyway: hiding is a courtesy, not the control).
import { Me, type AppScreen } from "@floorwatch/contracts";
import { A, useLocation, useNavigate, useSearchParams } from "@solidjs/router";
import {
  createEffect,
  createMemo,
  createResource,
  createSignal,
  For,
  Match,
  onCleanup,
  Show,
  Switch,
  type ParentProps,
} from "solid-js";
import type { Lang } from "../i18n";
import { ApiFailure, makeApi } from "./api";
import { DeskContext, type Desk } from "./context";
import { common, ROLE_WORD, translate } from "./i18n";
import { ErrorPanel } from "./parts";
import {
  forgetToken,
  initialLang,
  recalledMe,
  rememberLang,
  rememberMe,
  screenOf,
  storeToken,
  pendingToken,
  sessionToken,
} from "./session";
import "./desk.css";

const NAV: AppScreen[] = ["supervisor", "qa", "reports", "exports"];

export default function Shell(props: ParentProps) {
  const location = useLocation();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams<{ site?: string; next?: string }>();
  const [token, setToken] = createSignal(sessionToken());
  const [lang, setLangSignal] = createSignal<Lang>(initialLang(location.search));
  const t = translate(common, lang);

  const here = () => location.pathname + location.search;
  const toSignIn = (reason?: string) => {
    const next = screenOf(location.pathname) === "signin" ? search.next : here();
    navigate(
      `/signin?${new URLSearchParams({ ...(next ? { next } : {}), ...(reason ? { reason } : {}) })}`,
      { replace: true },
    );
  };

  // A reload shows the screen at once with the session's last /me answer while /me is asked
  // again (the role of a token never changes; its sites are refreshed by the answer).
  const recalled = (() => {
    const tk = token();
    const parsed = tk ? Me.safeParse(recalledMe(tk)) : null;
    return parsed?.success ? parsed.data : undefined;
  })();
  const [cachedMe, setCachedMe] = createSignal<Me | undefined>(recalled);
  const endSession = () => {
    forgetToken();
    setCachedMe(undefined);
    setToken(null);
  };
  const api = makeApi({
    token,
    onUnauthorized: () => {
      endSession();
      toSignIn("refused");
    },
  });
  const [me, { mutate, refetch }] = createResource(token, async (tk) => {
    if (!tk) return undefined;
    const got = await api.get("/me", Me);
    rememberMe(tk, got);
    return got;
  });
  const meNow = () => (me.state === "ready" ? me() : (me.latest ?? cachedMe()));

  // `?site=` as asked, else the token's first site. A site the token does not see is never
  // swapped for another silently (a screen would show another centre's figures under the
  // address of this one): the shell says so instead of rendering the screen.
  const wantedSite = () => (typeof search.site === "string" ? search.site : "");
  const site = createMemo(() => wantedSite() || meNow()?.site_list[0]?.site || "");
  const siteKnown = () =>
    !wantedSite() || (meNow()?.site_list.some((s) => s.site === wantedSite()) ?? true);

  const desk: Desk = {
    token,
    me: meNow,
    lang,
    setLang(l) {
      rememberLang(l);
      setLangSignal(l);
    },
    site,
    siteInfo: () => meNow()?.site_list.find((s) => s.site === site()),
    setSite: (s) => setSearch({ site: s }),
    api,
    async signIn(tk) {
      const got = await makeApi({ token: () => tk, onUnauthorized: () => {} }).get("/me", Me);
      storeToken(tk);
      rememberMe(tk, got);
      setToken(tk);
      mutate(got);
      return got;
    },
    signOut() {
      endSession();
      mutate(undefined);
      navigate("/signin", { replace: true });
    },
    opens: (screen) => meNow()?.screens.includes(screen) ?? false,
  };

  createEffect(() => {
    document.documentElement.lang = lang();
  });
  createEffect(() => {
    const path = location.pathname;
    // No session, or a link's token that would replace it: the sign-in screen (it asks first).
    if (screenOf(path) !== "signin" && (!token() || pendingToken())) toSignIn();
  });
  // Text sized for a desk: 16 px at 1080p, twice that on a 4K panel at 100 % scaling.
  const fit = () => {
    const short = Math.min(window.innerWidth, window.innerHeight);
    document.documentElement.style.fontSize = `${Math.max(14, Math.round(short / 67.5))}px`;
  };
  fit();
  window.addEventListener("resize", fit);
  onCleanup(() => window.removeEventListener("resize", fit));

  const screen = () => screenOf(location.pathname);
  const allowed = () => {
    const s = screen();
    if (s === "signin" || s === null) return true;
    const caps = meNow()?.capabilities ?? [];
    if (s === "contacts") return caps.includes("drill");
    // A breach's page is where a notification's link leads: whoever may read breaches and the
    // contacts behind them opens it (a supervisor too), not only the QA screen's roles.
    if (location.pathname.startsWith("/qa/breaches/"))
      return caps.includes("alerts") && caps.includes("drill");
    return s !== null && desk.opens(s);
  };
  const roleName = () => {
    const r = meNow()?.role;
    if (!r) return "";
    return t(ROLE_WORD[r]);
  };

  return (
    <DeskContext.Provider value={desk}>
      <div class="desk" lang={lang()}>
        <header class="desk-top">
          <span class="desk-brand">{t("product")}</span>
          <nav class="desk-nav">
            <For each={NAV.filter((s) => desk.opens(s))}>
              {(s) => (
                <A
                  href={`/${s}${site() ? `?site=${encodeURIComponent(site())}` : ""}`}
                  data-nav={s}
                >
                  {t(s)}
                </A>
              )}
            </For>
          </nav>
          <span class="desk-spacer" />
          <Show when={(meNow()?.site_list.length ?? 0) > 0 && screen() !== "signin"}>
            <label class="desk-site">
              <span>{t("site")}</span>
              <select
                data-testid="site-select"
                value={site()}
                onChange={(e) => desk.setSite(e.currentTarget.value)}
              >
                <For each={meNow()?.site_list ?? []}>
                  {(s) => (
                    <option value={s.site}>
                      {s.name && s.name !== s.site ? `${s.name} (${s.site})` : s.site}
                    </option>
                  )}
                </For>
              </select>
            </label>
          </Show>
          <button
            type="button"
            class="desk-lang"
            data-testid="lang-switch"
            aria-label={t("languageLabel")}
            onClick={() => desk.setLang(lang() === "en" ? "zh-CN" : "en")}
          >
            {t("language")}
          </button>
          <Show when={meNow()}>
            {(m) => (
              <span class="desk-who" data-testid="who" data-role={m().role}>
                <span class="desk-who-name">{m().name}</span>
                <span class="desk-who-role">{roleName()}</span>
              </span>
            )}
          </Show>
          <Show when={token()}>
            <button
              type="button"
              class="desk-signout"
              data-testid="sign-out"
              onClick={() => desk.signOut()}
            >
              {t("signOut")}
            </button>
          </Show>
        </header>
        <main class="desk-main">
          <Switch>
            <Match when={screen() === "signin"}>{props.children}</Match>
            <Match when={!token()}>{null}</Match>
            <Match when={me.error && !(me.error instanceof ApiFailure && me.error.status === 401)}>
              <ErrorPanel error={me.error} retry={() => void refetch()} />
            </Match>
            <Match when={!meNow()}>
              <p class="desk-loading">{t("loading")}</p>
            </Match>
            <Match when={!siteKnown()}>
              <section class="desk-forbidden" data-testid="unknown-site">
                <h1>{t("unknownSite", { site: wantedSite() })}</h1>
                <p>{t("unknownSiteHint")}</p>
              </section>
            </Match>
            <Match when={!allowed()}>
              <section class="desk-forbidden" data-testid="forbidden">
                <h1>{t("forbiddenTitle")}</h1>
                <p>{t("forbiddenHint", { role: roleName() })}</p>
                <ul>
                  <For each={meNow()?.screens ?? []}>
                    {(s) => (
                      <li>
                        <A href={s === "tv" ? `/?site=${encodeURIComponent(site())}` : `/${s}`}>
                          {t(s)}
                        </A>
                      </li>
                    )}
                  </For>
                </ul>
              </section>
            </Match>
            <Match when={true}>{props.children}</Match>
          </Switch>
        </main>
      </div>
    </DeskContext.Provider>
  );
}
