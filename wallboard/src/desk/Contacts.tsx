// The drill list (issue #14): the visits behind a number, `/contacts?site=…&drill=<GET
// /api/v1/contacts path>` as a report's cell or a breach links it. Only a contacts query of the
// page's own site is asked (reports/drill.ts); pages follow the API's cursor, on request or all
// up to a cap, with the count in view; each visit opens its contact's story. Phone numbers masked
// unless a token granted personal data asks (the API audits that read).
import { ContactsResponse, QueueList, type VisitRow } from "@floorwatch/contracts";
import { A, useNavigate, useSearchParams } from "@solidjs/router";
import {
  createEffect,
  createMemo,
  createResource,
  createSignal,
  on,
  onCleanup,
  Show,
} from "solid-js";
import { NO_VALUE } from "../figures";
import { queueNameIn } from "../names";
import { ApiFailure } from "./api";
import { siteTimeZone, useDesk } from "./context";
import { downloadCsv, toCsv } from "./csv";
import { formatDateTime, formatDuration } from "./format";
import { common, messages, useT } from "./i18n";
import { queuesPath } from "./links";
import { type Column, ErrorPanel, ExportButton, ScreenRoot } from "./parts";
import { reportLabel } from "./reports/cells";
import {
  contactHref,
  type DrillTarget,
  drillFigure,
  pagePath,
  parseDrill,
  VISIT_CAP,
  visitCells,
  visitKey,
} from "./reports/drill";
import { WindowedTable } from "./reports/WindowedTable";
import "./reports/reports.css";

const words = messages(
  {
    title: "Contacts",
    missing: "This page lists the contacts behind a figure: open it from a report's number.",
    not_contacts: "This link does not name a list of contacts.",
    other_site: "This list belongs to another site than the one chosen.",
    incomplete: "This link names no queue or period.",
    period: "{from} – {to}",
    shown: "{n} visits",
    more: "more to load",
    all: "all loaded",
    capped: "stopped at {cap}: narrow the period to see the rest",
    loadMore: "Load more",
    loadAll: "Load all",
    unmask: "Show full phone numbers (recorded in the audit log)",
    contact: "Contact",
    queue: "Queue",
    channel: "Channel",
    outcome: "Outcome",
    started: "Queued",
    ended: "Ended",
    wait: "Wait",
    withinSl: "Within SL",
    shortAbandon: "Short abandon",
    agent: "Agent",
    tier: "Tier",
    phone: "Phone",
    yes: "yes",
    no: "no",
    answered_outside_sl: "Answered after T",
    abandoned_after_short: "Abandoned after S",
    outcome_answered: "answered",
    outcome_abandoned: "abandoned",
    outcome_callback: "callback",
    outcome_flowed_out: "flowed out",
    outcome_orphaned: "orphaned",
    back: "Back",
  },
  {
    title: "联络明细",
    missing: "此页面列出某个指标背后的联络：请从报表中的数字打开。",
    not_contacts: "此链接不是联络列表。",
    other_site: "此列表属于另一个站点，而非当前所选站点。",
    incomplete: "此链接未指定队列或时段。",
    period: "{from} – {to}",
    shown: "{n} 次访问",
    more: "还有更多",
    all: "已全部加载",
    capped: "已达上限 {cap}：请缩短时段查看其余部分",
    loadMore: "加载更多",
    loadAll: "全部加载",
    unmask: "显示完整电话号码（将记入审计日志）",
    contact: "联络",
    queue: "队列",
    channel: "渠道",
    outcome: "结果",
    started: "排队时间",
    ended: "结束时间",
    wait: "等待",
    withinSl: "时限内",
    shortAbandon: "短时放弃",
    agent: "坐席",
    tier: "客户等级",
    phone: "电话",
    yes: "是",
    no: "否",
    answered_outside_sl: "超过 T 接通",
    abandoned_after_short: "超过 S 放弃",
    outcome_answered: "接通",
    outcome_abandoned: "放弃",
    outcome_callback: "回拨",
    outcome_flowed_out: "溢出",
    outcome_orphaned: "孤立",
    back: "返回",
  },
);

type Word = keyof (typeof words)["en"];

export default function Contacts() {
  const desk = useDesk();
  const t = useT(words);
  const c = useT(common);
  const navigate = useNavigate();
  const [search] = useSearchParams<{ drill?: string }>();

  const check = createMemo(() => parseDrill(search.drill, desk.site()));
  const target = (): DrillTarget | undefined => {
    const ch = check();
    return ch.ok ? ch.target : undefined;
  };

  const [visits, setVisits] = createSignal<VisitRow[]>([]);
  const [page, setPage] = createSignal<ContactsResponse | undefined>();
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  const [unmask, setUnmask] = createSignal(false);
  const [loadedOnce, setLoadedOnce] = createSignal(false);
  let controller: AbortController | undefined;
  onCleanup(() => controller?.abort());

  /** Pages from `cursor` on: one, or (all) until the last or the cap. */
  async function load(cursor: string | null, all: boolean) {
    const tg = target();
    if (!tg) return;
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    setLoading(true);
    setError(undefined);
    try {
      let next = cursor;
      let have = cursor ? visits() : [];
      do {
        const res = await desk.api.get(pagePath(tg, next, unmask()), ContactsResponse, {
          signal: mine.signal,
        });
        have = [...have, ...res.visits];
        setVisits(have);
        setPage(res);
        setLoadedOnce(true);
        next = tg.single ? null : res.next_cursor;
      } while (all && next && have.length < VISIT_CAP);
    } catch (e) {
      if (!mine.signal.aborted) setError(e);
    } finally {
      if (controller === mine) setLoading(false);
    }
  }

  // A new list (another link, site or masking): from its first page.
  createEffect(
    on([() => search.drill, () => desk.site(), unmask], () => {
      setVisits([]);
      setPage(undefined);
      setLoadedOnce(false);
      void load(null, false);
    }),
  );

  // The queue's name for the heading; the list stands without it.
  const [queues] = createResource(
    () => desk.site() || false,
    (site) => desk.api.get(queuesPath(site), QueueList).catch(() => undefined),
  );

  const tz = () => siteTimeZone(desk.siteInfo(), page()?.tz);
  const nextCursor = () => (target()?.single ? null : (page()?.next_cursor ?? null));
  const capped = () => visits().length >= VISIT_CAP && nextCursor() !== null;

  const figureName = () => {
    const tg = target();
    if (!tg) return "";
    const f = drillFigure(tg.params);
    return f === "answered_outside_sl" || f === "abandoned_after_short"
      ? t(f)
      : reportLabel(f, desk.lang());
  };
  const heading = () => {
    const tg = target();
    if (!tg) return t("title");
    return `${figureName()} · ${queueNameIn(queues()?.queues ?? [], tg.queue, desk.lang())}`;
  };

  const outcomeWord = (o: string) => (`outcome_${o}` in words.en ? t(`outcome_${o}` as Word) : o);
  const flag = (v: boolean | null) =>
    v === null ? NO_VALUE : v ? `✓ ${t("yes")}` : `✗ ${t("no")}`;

  const columns: Column<VisitRow>[] = [
    {
      id: "contact",
      get label() {
        return t("contact");
      },
      value: (v) => v.contact_id,
      render: (v) => (
        <A href={contactHref(desk.site(), v)} onClick={(e) => e.stopPropagation()}>
          {v.contact_id}
        </A>
      ),
    },
    {
      id: "queue",
      get label() {
        return t("queue");
      },
      value: (v) => v.queue,
      render: (v) => (
        <span title={v.queue}>{queueNameIn(queues()?.queues ?? [], v.queue, desk.lang())}</span>
      ),
    },
    {
      id: "outcome",
      get label() {
        return t("outcome");
      },
      value: (v) => v.outcome,
      render: (v) => <span data-outcome={v.outcome}>{outcomeWord(v.outcome)}</span>,
    },
    {
      id: "started",
      get label() {
        return t("started");
      },
      value: (v) => Date.parse(v.started_at),
      render: (v) => formatDateTime(v.started_at, tz()),
    },
    {
      id: "ended",
      get label() {
        return t("ended");
      },
      value: (v) => Date.parse(v.ended_at),
      render: (v) => formatDateTime(v.ended_at, tz()),
    },
    {
      id: "wait",
      get label() {
        return t("wait");
      },
      align: "end",
      value: (v) => v.wait_s,
      render: (v) => formatDuration(v.wait_s),
    },
    {
      id: "within_sl",
      get label() {
        return t("withinSl");
      },
      value: (v) => (v.within_sl === null ? null : v.within_sl ? 1 : 0),
      render: (v) => flag(v.within_sl),
    },
    {
      id: "short_abandon",
      get label() {
        return t("shortAbandon");
      },
      value: (v) => (v.short_abandon === null ? null : v.short_abandon ? 1 : 0),
      render: (v) => flag(v.short_abandon),
    },
    {
      id: "agent",
      get label() {
        return t("agent");
      },
      value: (v) => v.agent_id || null,
      render: (v) => v.agent_id || NO_VALUE,
    },
    {
      id: "phone",
      get label() {
        return t("phone");
      },
      value: (v) => v.customer_phone,
      render: (v) => v.customer_phone ?? NO_VALUE,
    },
  ];

  const exportCsv = () => {
    const tg = target();
    if (!tg) return;
    const header = [
      t("contact"),
      t("queue"),
      t("channel"),
      t("outcome"),
      t("started"),
      t("ended"),
      `${t("wait")} (s)`,
      t("withinSl"),
      t("shortAbandon"),
      t("agent"),
      t("tier"),
      t("phone"),
    ];
    const name = [desk.site(), tg.queue, drillFigure(tg.params), tg.from.slice(0, 10)]
      .join("-")
      .replace(/[^\p{L}\p{N}._-]+/gu, "_");
    downloadCsv(
      `contacts-${name}.csv`,
      toCsv(
        header,
        visits().map((v) => visitCells(v, tz())),
      ),
    );
  };

  const refusal = (): Word | undefined => {
    const ch = check();
    return ch.ok ? undefined : ch.reason;
  };

  return (
    <ScreenRoot name="contacts" ready={loadedOnce() || refusal() !== undefined}>
      <div class="contacts-head">
        <button
          type="button"
          onClick={() =>
            // Opened from a link elsewhere (a new tab): back to the reports, not out of the app.
            history.length > 1
              ? navigate(-1)
              : navigate(`/reports?site=${encodeURIComponent(desk.site())}`)
          }
        >
          {t("back")}
        </button>
        <h1 data-testid="contacts-title">{heading()}</h1>
        <Show when={page()}>
          {(p) => (
            <span class="muted" data-testid="contacts-period">
              {t("period", {
                from: formatDateTime(p().from, tz()),
                to: formatDateTime(p().to, tz()),
              })}
            </span>
          )}
        </Show>
      </div>

      <Show when={refusal()}>
        {(why) => (
          <p class="desk-error" role="alert" data-testid="drill-refused" data-reason={why()}>
            {t(why())}
          </p>
        )}
      </Show>
      <Show when={error()}>
        <ErrorPanel
          error={error()}
          retry={
            error() instanceof ApiFailure && (error() as ApiFailure).status === 403
              ? undefined
              : () => void load(nextCursor(), false)
          }
        />
      </Show>

      <Show when={target()}>
        <div class="desk-toolbar">
          <span
            class="contacts-count"
            data-testid="contacts-count"
            data-count={visits().length}
            data-complete={nextCursor() === null ? "true" : "false"}
          >
            {t("shown", { n: visits().length })} ·{" "}
            {capped()
              ? t("capped", { cap: VISIT_CAP })
              : nextCursor() === null
                ? t("all")
                : t("more")}
          </span>
          <Show when={nextCursor() !== null && !capped()}>
            <span class="contacts-more">
              <button
                type="button"
                data-testid="load-more"
                disabled={loading()}
                onClick={() => void load(nextCursor(), false)}
              >
                {t("loadMore")}
              </button>
              <button
                type="button"
                data-testid="load-all"
                disabled={loading()}
                onClick={() => void load(nextCursor(), true)}
              >
                {t("loadAll")}
              </button>
            </span>
          </Show>
          <Show when={loading()}>
            <span class="muted">{c("loading")}</span>
          </Show>
          <span class="desk-spacer" />
          <Show when={desk.me()?.pii}>
            <label class="contacts-unmask">
              <input
                type="checkbox"
                data-testid="unmask"
                checked={unmask()}
                onChange={(e) => setUnmask(e.currentTarget.checked)}
              />
              <span>{t("unmask")}</span>
            </label>
          </Show>
          <ExportButton testid="export-csv" disabled={visits().length === 0} onClick={exportCsv}>
            {c("exportCsv")}
          </ExportButton>
        </div>
        <Show when={loadedOnce()}>
          <div class="contacts-table">
            <WindowedTable
              testid="contacts"
              columns={columns}
              rows={visits()}
              key={visitKey}
              rowAttrs={(v) => ({ "data-contact": v.contact_id, "data-outcome": v.outcome })}
              onRowClick={(v) => navigate(contactHref(desk.site(), v))}
            />
          </div>
        </Show>
      </Show>
    </ScreenRoot>
  );
}
