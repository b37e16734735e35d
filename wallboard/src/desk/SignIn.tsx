// Sign-in: a token pasted here (or brought in the address's fragment, `/signin#token=…`), checked
// with GET /api/v1/me, kept for this browser session only. Shows whose it is, its role and sites,
// and the screens it opens; `?next=` (where the person was sent from) opens at once.
import { Me } from "@floorwatch/contracts";
import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createSignal, For, onMount, Show } from "solid-js";
import { ApiFailure, errorText, makeApi } from "./api";
import { siteTimeZone, useDesk } from "./context";
import { formatDateTime } from "./format";
import { common, messages, ROLE_WORD, useT } from "./i18n";
import { ScreenRoot } from "./parts";
import { dropPending, pendingToken, safeNext } from "./session";

const words = messages(
  {
    title: "Sign in to Floorwatch",
    hint: "Paste the access token you were given (it starts with fw_). It is kept only until this browser closes.",
    token: "Access token",
    submit: "Sign in",
    checking: "Checking…",
    refused: "This token was refused: it is unknown, revoked or expired.",
    expired: "Your sign-in ended (the token was revoked or expired). Please sign in again.",
    signedInAs: "Signed in as",
    role: "Role",
    sites: "Sites",
    open: "Open {screen} →",
    nothing: "This token opens no screen of this app (integration tokens use the API).",
    switchTitle: "Switch who is signed in?",
    switchHint:
      "You are signed in as {current}. The link you opened signs in as {other} ({role}). Everything you do afterwards, acknowledgements included, is recorded under that name.",
    switchYes: "Sign in as {other}",
    switchNo: "Stay signed in as {current}",
    linkRefused:
      "The link's token was refused (unknown, revoked or expired); you are still signed in as before.",
  },
  {
    title: "登录 Floorwatch",
    hint: "请粘贴您获得的访问令牌（以 fw_ 开头）。令牌仅保存到关闭浏览器为止。",
    token: "访问令牌",
    submit: "登录",
    checking: "正在验证…",
    refused: "令牌无效：未知、已吊销或已过期。",
    expired: "登录已失效（令牌已吊销或过期），请重新登录。",
    signedInAs: "当前登录",
    role: "角色",
    sites: "站点",
    open: "打开{screen} →",
    nothing: "此令牌不能打开本应用的任何页面（集成令牌请使用 API）。",
    switchTitle: "要切换登录身份吗？",
    switchHint:
      "您当前以 {current} 的身份登录。您打开的链接将以 {other}（{role}）的身份登录，之后的所有操作（包括确认告警）都会记录在该名下。",
    switchYes: "以 {other} 的身份登录",
    switchNo: "继续以 {current} 的身份登录",
    linkRefused: "链接中的令牌无效（未知、已吊销或已过期），您仍保持原来的登录。",
  },
);

export default function SignIn() {
  const desk = useDesk();
  const t = useT(words);
  const c = useT(common);
  const navigate = useNavigate();
  const [search] = useSearchParams<{ next?: string; reason?: string }>();
  const [draft, setDraft] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(
    search.reason === "refused" ? "expired" : null,
  );

  // Sent here from a screen: back to it. Else the card below shows who signed in and where to go.
  const proceed = () => {
    const next = safeNext(search.next);
    if (next) navigate(next, { replace: true });
  };

  const submit = async (token: string) => {
    setBusy(true);
    setError(null);
    try {
      await desk.signIn(token.trim());
      proceed();
      setDraft("");
    } catch (e) {
      setError(e instanceof ApiFailure && e.status === 401 ? "refused" : errorText(e, c));
    } finally {
      setBusy(false);
    }
  };

  // Signed in (a fragment's token the shell took, or a session already open) and sent here from
  // a screen: back to it once the shell knows who the token is.
  createEffect(() => {
    if (desk.me() && !switchTo() && !pendingToken()) proceed();
  });

  // A link's token that would replace the session open here: whose it is, and ask first.
  const [switchTo, setSwitchTo] = createSignal<{ token: string; me: Me } | null>(null);
  onMount(() => {
    const pending = pendingToken();
    if (!pending) return;
    makeApi({ token: () => pending, onUnauthorized: () => {} })
      .get("/me", Me)
      .then((me) => setSwitchTo({ token: pending, me }))
      .catch((e) => {
        dropPending();
        setError(e instanceof ApiFailure && e.status === 401 ? "linkRefused" : errorText(e, c));
      });
  });
  const confirmSwitch = (yes: boolean) => {
    const target = switchTo();
    dropPending();
    setSwitchTo(null);
    if (yes && target) void submit(target.token);
    else proceed();
  };

  const roleWord = (role: Me["role"]) => c(ROLE_WORD[role]);

  return (
    <ScreenRoot name="signin" ready={true}>
      <div class="signin">
        <Show when={switchTo()}>
          {(to) => (
            <section class="signin-card" data-testid="switch-session">
              <h1>{t("switchTitle")}</h1>
              <p>
                {t("switchHint", {
                  current: desk.me()?.name ?? "",
                  other: to().me.name,
                  role: roleWord(to().me.role),
                })}
              </p>
              <div class="signin-screens">
                <button
                  type="button"
                  data-testid="switch-confirm"
                  onClick={() => confirmSwitch(true)}
                >
                  {t("switchYes", { other: to().me.name })}
                </button>
                <button
                  type="button"
                  data-testid="switch-cancel"
                  onClick={() => confirmSwitch(false)}
                >
                  {t("switchNo", { current: desk.me()?.name ?? "" })}
                </button>
              </div>
            </section>
          )}
        </Show>
        <Show when={error()}>
          {(e) => (
            <p class="desk-error" role="alert" data-testid="signin-error">
              {e() === "refused"
                ? t("refused")
                : e() === "expired"
                  ? t("expired")
                  : e() === "linkRefused"
                    ? t("linkRefused")
                    : e()}
            </p>
          )}
        </Show>
        <Show
          when={!switchTo() && desk.me()}
          fallback={
            <form
              class="signin-form"
              onSubmit={(e) => {
                e.preventDefault();
                if (draft().trim()) void submit(draft());
              }}
            >
              <h1>{t("title")}</h1>
              <p class="muted">{t("hint")}</p>
              <label>
                <span>{t("token")}</span>
                {/* Text, not a password field: a browser offers to save a password field's
                    value for good, and this token must last only the session. Its characters are
                    hidden by CSS (-webkit-text-security). */}
                <input
                  type="text"
                  class="secret"
                  autocomplete="off"
                  spellcheck={false}
                  data-testid="token-input"
                  value={draft()}
                  onInput={(e) => setDraft(e.currentTarget.value)}
                />
              </label>
              <button type="submit" data-testid="sign-in" disabled={busy() || !draft().trim()}>
                {busy() ? t("checking") : t("submit")}
              </button>
            </form>
          }
        >
          {(me) => (
            <section class="signin-card" data-testid="identity" data-role={me().role}>
              <p class="muted">{t("signedInAs")}</p>
              <h1>{me().name}</h1>
              <dl>
                <dt>{t("role")}</dt>
                <dd data-testid="identity-role">
                  {roleWord(me().role)}
                  <Show when={me().pii}> · {c("piiGranted")}</Show>
                </dd>
                <dt>{t("sites")}</dt>
                <dd data-testid="identity-sites">
                  {me().sites.length === 0
                    ? c("allSites")
                    : me()
                        .site_list.map((s) =>
                          s.name !== s.site ? `${s.name} (${s.site})` : s.site,
                        )
                        .join("、")}
                </dd>
                <Show when={me().expires_at}>
                  {(at) => (
                    <>
                      <dt />
                      <dd>
                        {c("expires", {
                          at: formatDateTime(at(), siteTimeZone(me().site_list[0])),
                        })}
                      </dd>
                    </>
                  )}
                </Show>
              </dl>
              <Show when={me().screens.length > 0} fallback={<p>{t("nothing")}</p>}>
                <ul class="signin-screens">
                  <For each={me().screens}>
                    {(s) => (
                      <li>
                        <A
                          data-nav={s}
                          href={s === "tv" ? `/?site=${encodeURIComponent(desk.site())}` : `/${s}`}
                        >
                          {t("open", { screen: c(s) })}
                        </A>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </section>
          )}
        </Show>
      </div>
    </ScreenRoot>
  );
}
