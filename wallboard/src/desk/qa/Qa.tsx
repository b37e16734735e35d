// The QA screen (issue #14; qa, admin): the breaches of the chosen site and days, filtered by
// queue, rule, severity and acknowledgement, each opening its page with the contacts behind it;
// and the low-score follow-ups (open, met, overdue, untrackable) with the survey and the contact
// that met it. Every filter lives in the address, so a filtered list is a link to share; each
// list exports as CSV exactly as shown.
import { BreachList, FollowupList, RuleList } from "@floorwatch/contracts";
import { useSearchParams } from "@solidjs/router";
import { createEffect, createMemo, createSignal, For, Show, untrack } from "solid-js";
import { queueNameIn, ruleName } from "../../names";
import { errorText } from "../api";
import { siteTimeZone, useDesk } from "../context";
import { common, useT } from "../i18n";
import { ScreenRoot } from "../parts";
import { BreachesPanel } from "./BreachesPanel";
import {
  breachesPath,
  followupsPath,
  type FilterChange,
  type QaFilters,
  type QaView,
  rangeProblem,
  readFilters,
  searchOf,
} from "./filters";
import { FollowupsPanel } from "./FollowupsPanel";
import { createLoad, createQueueList } from "./load";
import { qaWords } from "./words";
import "./qa.css";

export default function Qa() {
  const desk = useDesk();
  const t = useT(qaWords);
  const c = useT(common);
  const [search, setSearch] = useSearchParams();
  const tz = () => siteTimeZone(desk.siteInfo());
  // The day the screen was opened: a default range does not move under a person reading it.
  const openedAt = Date.now();
  const filters = createMemo(() => readFilters(search, tz(), openedAt));
  const set = (change: FilterChange) => setSearch(searchOf(change));

  const api = desk.api;
  const queues = createQueueList(desk.site, api);
  const rules = createLoad(
    () =>
      desk.site() && desk.me()?.capabilities.includes("rules")
        ? `/rules?site=${encodeURIComponent(desk.site())}`
        : null,
    (p, signal) => api.get(p, RuleList, { signal }),
  );
  const breaches = createLoad(
    () => (filters().view === "breaches" ? breachesPath(desk.site(), filters()) : null),
    (p, signal) => api.get(p, BreachList, { signal }),
  );
  const followups = createLoad(
    () => (filters().view === "followups" ? followupsPath(desk.site(), filters()) : null),
    (p, signal) => api.get(p, FollowupList, { signal }),
  );

  const queueList = queues.list;

  // Rules offered: the site's rules when the token may read them, and every rule seen in a list
  // (QA tokens read breaches, not rules), so choosing one does not take the others away.
  const [seenRules, setSeenRules] = createSignal(new Map<string, string>());
  const ruleOptions = createMemo(() => {
    const lang = desk.lang();
    const out = new Map<string, string>(seenRules());
    for (const r of rules.state().data?.rules ?? [])
      out.set(r.id, ruleName({ rule_name: r.name, rule_name_zh: r.name_zh }, lang));
    for (const b of breaches.state().data?.breaches ?? []) out.set(b.rule_id, ruleName(b, lang));
    const chosen = filters().rule;
    if (chosen && !out.has(chosen)) out.set(chosen, chosen);
    return [...out].sort((a, b) => a[1].localeCompare(b[1]));
  });
  createEffect(() => {
    const lang = desk.lang();
    const list = breaches.state().data?.breaches ?? [];
    const seen = untrack(seenRules);
    if (list.some((b) => !seen.has(b.rule_id)))
      setSeenRules(new Map([...seen, ...list.map((b) => [b.rule_id, ruleName(b, lang)] as const)]));
  });
  const queueOptions = createMemo(() => {
    const lang = desk.lang();
    const ids = new Set(queueList().map((q) => q.queue));
    for (const b of breaches.state().data?.breaches ?? [])
      if (b.scope.queue) ids.add(b.scope.queue);
    for (const f of followups.state().data?.followups ?? []) ids.add(f.queue);
    const chosen = filters().queue;
    if (chosen) ids.add(chosen);
    return [...ids]
      .map((id) => [id, queueNameIn(queueList(), id, lang)] as const)
      .sort((a, b) => a[1].localeCompare(b[1]));
  });

  const ready = () =>
    filters().view === "breaches"
      ? breaches.state().status === "ready"
      : followups.state().status === "ready";

  const tab = (view: QaView, label: string) => (
    <button
      type="button"
      role="tab"
      class="qa-tab"
      data-testid={`tab-${view}`}
      aria-selected={filters().view === view}
      onClick={() => set({ view })}
    >
      {label}
    </button>
  );

  return (
    <ScreenRoot name="qa" ready={ready()}>
      <header class="qa-head">
        <h1>{t("title")}</h1>
        <div class="qa-tabs" role="tablist">
          {tab("breaches", t("tabBreaches"))}
          {tab("followups", t("tabFollowups"))}
        </div>
      </header>

      <form class="desk-toolbar qa-filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span>{t("from")}</span>
          <input
            type="date"
            data-testid="filter-from"
            value={filters().from}
            onChange={(e) => e.currentTarget.value && set({ from: e.currentTarget.value })}
          />
        </label>
        <label>
          <span>{t("to")}</span>
          <input
            type="date"
            data-testid="filter-to"
            value={filters().to}
            onChange={(e) => e.currentTarget.value && set({ to: e.currentTarget.value })}
          />
        </label>
        <label>
          <span>{t("queue")}</span>
          <select
            data-testid="filter-queue"
            value={filters().queue ?? ""}
            onChange={(e) => set({ queue: e.currentTarget.value || null })}
          >
            <option value="">{t("allQueues")}</option>
            <For each={queueOptions()}>{([id, name]) => <option value={id}>{name}</option>}</For>
          </select>
        </label>
        <Show when={filters().view === "breaches"}>
          <label>
            <span>{t("rule")}</span>
            <select
              data-testid="filter-rule"
              value={filters().rule ?? ""}
              onChange={(e) => set({ rule: e.currentTarget.value || null })}
            >
              <option value="">{t("allRules")}</option>
              <For each={ruleOptions()}>{([id, name]) => <option value={id}>{name}</option>}</For>
            </select>
          </label>
          <label>
            <span>{t("severity")}</span>
            <select
              data-testid="filter-severity"
              value={filters().severity ?? ""}
              onChange={(e) =>
                set({ severity: (e.currentTarget.value || null) as QaFilters["severity"] })
              }
            >
              <option value="">{t("anySeverity")}</option>
              <option value="critical">{t("sevCritical")}</option>
              <option value="warning">{t("sevWarning")}</option>
              <option value="info">{t("sevInfo")}</option>
            </select>
          </label>
          <label>
            <span>{t("acknowledged")}</span>
            <select
              data-testid="filter-ack"
              value={filters().ack ?? ""}
              onChange={(e) => set({ ack: (e.currentTarget.value || null) as QaFilters["ack"] })}
            >
              <option value="">{t("ackAny")}</option>
              <option value="yes">{t("ackYes")}</option>
              <option value="no">{t("ackNo")}</option>
            </select>
          </label>
        </Show>
        <button
          type="button"
          data-testid="filter-reset"
          onClick={() =>
            set({
              from: null,
              to: null,
              queue: null,
              rule: null,
              severity: null,
              ack: null,
              status: null,
            })
          }
        >
          {t("reset")}
        </button>
      </form>

      <Show when={rangeProblem(filters())}>
        <p class="desk-error" role="alert" data-testid="range-problem">
          {t("rangeOrder")}
        </p>
      </Show>

      <Show when={filters().view === "breaches"}>
        <BreachesPanel load={breaches} filters={filters()} queues={queueList()} tz={tz()} />
      </Show>
      <Show when={filters().view === "followups"}>
        <FollowupsPanel
          load={followups}
          filters={filters()}
          queues={queueList()}
          tz={tz()}
          setStatus={(status) => set({ status })}
        />
      </Show>
      <Show when={queues.state().status === "error"}>
        <p class="muted" data-testid="queues-error">
          {c("error", { message: errorText(queues.state().error, c) })}
        </p>
      </Show>
    </ScreenRoot>
  );
}
