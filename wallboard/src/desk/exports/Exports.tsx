// The monthly packs screen (issue #15; qa, admin; docs/exports.md): the site's compliance packs,
// newest first, with their status followed until they are made, and a form to ask for a month.
// A pack is downloaded through the API with the session's token, its SHA-256 checked in the page
// against the one recorded when it was made, and only then saved.
import { type ExportLang, ExportList, ExportRecord } from "@floorwatch/contracts";
import { useSearchParams } from "@solidjs/router";
import { createEffect, createMemo, createSignal, For, type JSX, onCleanup, Show } from "solid-js";
import { errorText, query } from "../api";
import { siteTimeZone, useDesk } from "../context";
import { formatDateTime } from "../format";
import { common, useT } from "../i18n";
import { type Column, ErrorPanel, ScreenRoot, Table } from "../parts";
import { createLoad } from "../qa/load";
import { type Checked, downloadPack } from "./download";
import {
  downloadable,
  endedMonths,
  formatBytes,
  isPending,
  keepUnchanged,
  LANG_WORD,
  mergeAsked,
  pickMonth,
  STATUS_ICON,
  STATUS_WORD,
  shortHash,
  TRIGGER_WORD,
} from "./present";
import { words } from "./words";
import "./exports.css";

/** The list is read again this often while a pack is queued or being made (the API's Retry-After). */
const POLL_MS = 2_000;

type DownloadState = { kind: "busy" } | { kind: "error"; error: unknown } | Checked;

const STATUS_CLASS: Record<ExportRecord["status"], string> = {
  queued: "pack-status muted",
  running: "pack-status state-warning",
  done: "pack-status pack-done",
  failed: "pack-status state-breach",
};

export default function Exports() {
  const desk = useDesk();
  const t = useT(words);
  const c = useT(common);
  const [search, setSearch] = useSearchParams<{ month?: string }>();
  const tz = () => siteTimeZone(desk.siteInfo());

  // The months offered as of the screen's opening, on the site's calendar.
  const openedAt = Date.now();
  const offered = createMemo(() => endedMonths(openedAt, tz()));
  const month = () => pickMonth(search.month, offered());
  // The pack's language follows the screen's until the person picks one.
  const [chosenLang, setChosenLang] = createSignal<ExportLang | null>(null);
  const packLang = (): ExportLang => chosenLang() ?? desk.lang();
  const granted = () => desk.me()?.pii === true;
  // Least exposure: a pack with personal data only when asked for, even for a granted token.
  const [personal, setPersonal] = createSignal(false);

  const list = createLoad(
    () => (desk.site() ? `/exports${query({ site: desk.site() })}` : null),
    (p, signal) => desk.api.get(p, ExportList, { signal }),
  );
  /** Packs asked for from this page, shown at once (the list may not have them yet). */
  const [asked, setAsked] = createSignal<ExportRecord[]>([]);
  const rows = createMemo<ExportRecord[]>((previous) => {
    const data = list.state().data;
    const site = desk.site();
    return keepUnchanged(
      previous,
      mergeAsked(data?.site === site ? data.exports : [], asked(), site),
    );
  }, []);
  const polling = () => rows().some(isPending);
  createEffect(() => {
    if (list.state().status !== "ready" || !polling()) return;
    const timer = setTimeout(list.reload, POLL_MS);
    onCleanup(() => clearTimeout(timer));
  });

  const [asking, setAsking] = createSignal(false);
  const [askOutcome, setAskOutcome] = createSignal<
    { ok: ExportRecord; error?: undefined } | { ok?: undefined; error: unknown } | null
  >(null);
  async function ask(e: SubmitEvent) {
    e.preventDefault();
    if (asking() || !month()) return;
    setAsking(true);
    setAskOutcome(null);
    try {
      const record = await desk.api.send(
        "POST",
        "/exports",
        {
          site: desk.site(),
          month: month(),
          lang: packLang(),
          // Always said: the API would otherwise take the token's grant.
          personal_data: granted() && personal(),
        },
        ExportRecord,
      );
      setAsked((a) => [...a, record]);
      setAskOutcome({ ok: record });
      // Each pack with personal data is its own decision: the box does not stay ticked.
      setPersonal(false);
      list.reload();
    } catch (error) {
      setAskOutcome({ error });
    } finally {
      setAsking(false);
    }
  }

  const [downloads, setDownloads] = createSignal<Record<string, DownloadState>>({});
  const setDownload = (id: string, s: DownloadState) => setDownloads((d) => ({ ...d, [id]: s }));
  // A download still under way when the person leaves the screen is dropped, not saved later.
  const leaving = new AbortController();
  onCleanup(() => leaving.abort());
  async function download(r: ExportRecord) {
    setDownload(r.id, { kind: "busy" });
    try {
      setDownload(r.id, await downloadPack(desk.api, r, { signal: leaving.signal }));
    } catch (error) {
      setDownload(r.id, { kind: "error", error });
    }
  }

  const [copied, setCopied] = createSignal<{ id: string; ok: boolean } | null>(null);
  let copyTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(copyTimer));
  async function copy(r: ExportRecord) {
    if (!r.sha256) return;
    const ok = await copyText(r.sha256);
    setCopied({ id: r.id, ok });
    clearTimeout(copyTimer);
    if (ok) copyTimer = setTimeout(() => setCopied(null), 3_000);
  }

  const columns = createMemo((): Column<ExportRecord>[] => {
    desk.lang(); // labels in the chosen language
    return [
      { id: "month", label: t("colMonth"), value: (r) => r.month },
      { id: "lang", label: t("colLang"), value: (r) => t(LANG_WORD[r.lang]) },
      {
        id: "personal",
        label: t("colPersonal"),
        value: (r) => (r.personal_data ? 1 : 0),
        render: (r) =>
          r.personal_data ? (
            <span class="pack-personal">
              <span aria-hidden="true">⚠ </span>
              {t("personalYes")}
            </span>
          ) : (
            <span class="muted">{t("personalNo")}</span>
          ),
      },
      {
        id: "status",
        label: t("colStatus"),
        value: (r) => r.status,
        render: (r) => (
          <span class={STATUS_CLASS[r.status]}>
            <span aria-hidden="true">{STATUS_ICON[r.status]} </span>
            {r.status === "failed" && r.error
              ? t("failedBecause", { error: r.error })
              : t(STATUS_WORD[r.status])}
          </span>
        ),
      },
      { id: "asked_by", label: t("colAskedBy"), value: (r) => r.requested_by },
      {
        id: "asked_at",
        label: t("colAskedAt"),
        value: (r) => Date.parse(r.requested_at),
        render: (r) => (
          <time datetime={r.requested_at}>{formatDateTime(r.requested_at, tz())}</time>
        ),
      },
      { id: "trigger", label: t("colTrigger"), value: (r) => t(TRIGGER_WORD[r.trigger]) },
      {
        id: "restated",
        label: t("colRestated"),
        value: (r) => (r.restated ? 1 : 0),
        render: (r) =>
          r.restated ? (
            <span class="pack-restated" title={t("restatedHint")}>
              <span aria-hidden="true">⟲ </span>
              {t("restated")}
            </span>
          ) : (
            <span class="muted">{t("notRestated")}</span>
          ),
      },
      {
        id: "size",
        label: t("colSize"),
        align: "end",
        value: (r) => r.bytes,
        render: (r) => (
          <span title={r.bytes === null ? undefined : `${r.bytes} B`}>{formatBytes(r.bytes)}</span>
        ),
      },
      { id: "sha256", label: t("colSha"), value: (r) => r.sha256, render: shaCell },
      { id: "download", label: t("colDownload"), value: () => null, render: downloadCell },
    ];
  });

  function shaCell(r: ExportRecord): JSX.Element {
    const sha = r.sha256;
    if (!sha) return <span class="muted">–</span>;
    return (
      <span class="pack-sha">
        <code title={sha} data-sha256={sha}>
          {shortHash(sha)}
        </code>
        <button
          type="button"
          class="pack-small"
          data-testid="copy-sha"
          aria-label={t("copyLabel", { hash: shortHash(sha) })}
          onClick={() => void copy(r)}
        >
          {copied()?.id === r.id && copied()?.ok ? t("copied") : t("copy")}
        </button>
        <Show when={copied()?.id === r.id && !copied()?.ok}>
          <output class="pack-copy-fallback">{t("copyFailed", { hash: sha })}</output>
        </Show>
      </span>
    );
  }

  function downloadCell(r: ExportRecord): JSX.Element {
    const can = () => downloadable(r, granted());
    const state = () => downloads()[r.id];
    return (
      <span class="pack-download">
        <button
          type="button"
          data-testid="download"
          disabled={can() !== "yes" || state()?.kind === "busy"}
          title={
            can() === "needs-pii"
              ? t("needsPii")
              : can() === "not-ready"
                ? t("notReady")
                : undefined
          }
          aria-label={t("downloadLabel", { file: r.file_name })}
          onClick={() => void download(r)}
        >
          {state()?.kind === "busy" ? t("downloading") : t("download")}
        </button>
        <output class="pack-check" data-testid="download-check" data-check={state()?.kind ?? ""}>
          {downloadNote(state())}
        </output>
      </span>
    );
  }

  /** What became of the last download of a pack: checked, not saved, unchecked, failed. */
  function downloadNote(state: DownloadState | undefined): JSX.Element {
    switch (state?.kind) {
      case "verified":
        return (
          <span class="pack-done" title={t("verifiedHint")}>
            <span aria-hidden="true">✓ </span>
            {t("verified")}
          </span>
        );
      case "mismatch":
        return (
          <span class="state-breach">
            <span aria-hidden="true">✗ </span>
            {t("mismatch", { actual: state.actual, expected: state.expected })}
          </span>
        );
      case "unverifiable":
        return (
          <span class="state-warning">
            <span aria-hidden="true">? </span>
            {t("unverifiable")}
          </span>
        );
      case "error":
        return (
          <span class="state-breach">
            <span aria-hidden="true">✗ </span>
            {t("downloadFailed", { message: errorText(state.error, c) })}
          </span>
        );
      default:
        return null;
    }
  }

  return (
    <ScreenRoot name="exports" ready={list.state().data !== undefined}>
      <h1>{t("title")}</h1>
      <p class="muted pack-intro">{t("intro")}</p>

      <form class="desk-panel pack-ask" data-testid="ask-form" onSubmit={(e) => void ask(e)}>
        <h2>{t("askTitle")}</h2>
        <div class="desk-toolbar">
          <label>
            <span>{t("month")}</span>
            <select
              data-testid="ask-month"
              value={month()}
              onChange={(e) => setSearch({ month: e.currentTarget.value })}
            >
              <For each={offered()}>{(m) => <option value={m}>{m}</option>}</For>
            </select>
          </label>
          <label>
            <span>{t("packLang")}</span>
            <select
              data-testid="ask-lang"
              value={packLang()}
              onChange={(e) => setChosenLang(e.currentTarget.value as ExportLang)}
            >
              <option value="zh-CN">{t("langZh")}</option>
              <option value="en">{t("langEn")}</option>
            </select>
          </label>
          <button type="submit" data-testid="ask" disabled={asking() || !desk.site()}>
            {asking() ? t("asking") : t("ask")}
          </button>
        </div>
        <Show when={granted()}>
          <div class="pack-personal-choice">
            <label>
              <input
                type="checkbox"
                data-testid="ask-personal"
                checked={personal()}
                aria-describedby="pack-personal-hint"
                onChange={(e) => setPersonal(e.currentTarget.checked)}
              />{" "}
              <span>{t("personalData")}</span>
            </label>
            <p id="pack-personal-hint" class="muted">
              {t("personalDataHint")}
            </p>
          </div>
        </Show>
        <output class="pack-ask-outcome" data-testid="ask-outcome">
          <Show when={askOutcome()}>
            {(o) => (
              <Show
                when={o().ok}
                fallback={
                  <span class="state-breach" role="alert">
                    {t("askFailed", { message: errorText(o().error, c) })}
                  </span>
                }
              >
                {(r) => (
                  <span>{t("asked", { month: r().month, lang: t(LANG_WORD[r().lang]) })}</span>
                )}
              </Show>
            )}
          </Show>
        </output>
      </form>

      <section class="pack-list" aria-labelledby="pack-list-title">
        <div class="pack-list-head">
          <h2 id="pack-list-title">{t("listTitle")}</h2>
          <span class="muted" data-testid="pack-count">
            {rows().length === 1 ? t("countOne") : t("count", { n: rows().length })}
          </span>
          <Show when={polling()}>
            <span class="muted" role="status" data-testid="polling">
              <span aria-hidden="true">◔ </span>
              {t("polling")}
            </span>
          </Show>
        </div>
        <Show when={list.state().error}>
          <ErrorPanel error={list.state().error} retry={list.reload} />
        </Show>
        <Show when={list.state().data !== undefined}>
          <Table
            testid="packs"
            columns={columns()}
            rows={rows()}
            key={(r) => r.id}
            initialSort={{ id: "asked_at", dir: "desc" }}
            empty={t("none")}
            rowAttrs={(r) => ({
              "data-id": r.id,
              "data-status": r.status,
              "data-month": r.month,
              "data-lang": r.lang,
              "data-personal": r.personal_data ? "true" : "false",
              "data-restated": r.restated ? "true" : undefined,
            })}
          />
        </Show>
        <Show when={list.state().data === undefined && !list.state().error}>
          <p class="desk-loading">{c("loading")}</p>
        </Show>
      </section>
    </ScreenRoot>
  );
}

/**
 * Copies `text`: the Clipboard API where the page has it (secure pages), else the older copy of a
 * selection, which plain-HTTP pages still allow on a click.
 */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.readOnly = true;
    area.className = "pack-copy-source";
    document.body.append(area);
    area.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}
