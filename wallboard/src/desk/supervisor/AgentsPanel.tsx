// Every agent of the site: state, reason, time in state (ticking), queues, today's handled and
// AHT, filtered by team and state. Built for a floor of thousands: rows are the store's (a refresh
// changes only what changed), the grid is handed a new row list only when the filter's membership
// changes, and the time in state of every row ticks off the screen's one clock.
import { AgentList, type AgentNow, type LiveSnapshot } from "@floorwatch/contracts";
import { batch, createComputed, createMemo, createSignal, For, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { query } from "../api";
import { useDesk } from "../context";
import { formatDuration } from "../format";
import { useT } from "../i18n";
import { type Column, Table } from "../parts";
import { clockOffset, filterAgents, inStateS, sameItems, statesOf, teamsOf } from "./agents";
import { createPolled } from "./polled";
import { PollState } from "./PollState";
import { createQueueNames } from "./names";
import { words } from "./words";

/** Every few seconds: states change by the second, but the time in state ticks on its own. */
const AGENTS_EVERY_MS = 5_000;
/**
 * A filter's option value: "" for all, else `=` and the value (a team may be named anything,
 * "" included: agents of no team).
 */
const optionOf = (v: string | null) => (v === null ? "" : `=${v}`);
const chosen = (option: string) => (option === "" ? null : option.slice(1));

export function AgentsPanel(props: {
  clock: () => number;
  live: () => LiveSnapshot | undefined;
  /** The queue table has painted: thousands of rows must not hold up the screen's first paint. */
  after: () => boolean;
}) {
  const desk = useDesk();
  const t = useT(words);
  const polled = createPolled(
    () => desk.site() || null,
    (site, signal) => desk.api.get(`/agents${query({ site })}`, AgentList, { signal }),
    { intervalMs: AGENTS_EVERY_MS, timeoutMs: 15_000 },
  );
  const [agents, setAgents] = createStore<AgentNow[]>([]);
  const [offset, setOffset] = createSignal(0);
  createComputed(() => {
    const list = polled.value();
    const at = polled.okAt();
    batch(() => {
      setAgents(reconcile(list?.agents ?? [], { key: "agent_id" }));
      setOffset(list && at !== null ? clockOffset(list.as_of, at) : 0);
    });
  });
  const serverNow = () => props.clock() + offset();

  const [team, setTeam] = createSignal<string | null>(null);
  const [state, setState] = createSignal<string | null>(null);
  const shown = createMemo(() => filterAgents(agents, { team: team(), state: state() }), [], {
    equals: sameItems,
  });
  const teams = createMemo(() => teamsOf(agents), [], { equals: sameItems });
  const states = createMemo(() => statesOf(agents), [], { equals: sameItems });

  const names = createQueueNames(props.live);
  const stateWord = (s: string) => {
    const key = `st_${s}` as const;
    return key in words.en ? t(key as keyof typeof words.en) : s;
  };
  const teamWord = (team: string) => (team === "" ? t("noTeam") : team);

  const columns = createMemo((): Column<AgentNow>[] => {
    desk.lang();
    return [
      {
        id: "agent",
        label: t("colAgent"),
        value: (a) => a.name || a.agent_id,
        render: (a) => (
          <span class="sup-agent">
            {a.name || a.agent_id}
            <Show when={a.name && a.name !== a.agent_id}>
              <span class="muted"> {a.agent_id}</span>
            </Show>
          </span>
        ),
      },
      { id: "team", label: t("colTeam"), value: (a) => a.team, render: (a) => teamWord(a.team) },
      {
        id: "state",
        label: t("colState"),
        value: (a) => a.state,
        render: (a) => (
          <span class={`sup-agent-state agent-${a.state}`} data-state={a.state}>
            {stateWord(a.state)}
          </span>
        ),
      },
      { id: "reason", label: t("colReason"), value: (a) => a.reason },
      {
        id: "in_state",
        label: t("colInState"),
        align: "end",
        // The state's start, negated: "descending" puts the longest in state first, and the order
        // does not change as the clock ticks.
        value: (a) => -Date.parse(a.since),
        render: (a) => <span data-in-state>{formatDuration(inStateS(a, serverNow()))}</span>,
      },
      {
        id: "queues",
        label: t("colQueues"),
        value: (a) => a.queues.join(" "),
        render: (a) => a.queues.map((q) => names().get(q) ?? q).join("、"),
      },
      {
        id: "handled_today",
        label: t("colHandled"),
        align: "end",
        value: (a) => a.handled_today,
      },
      {
        id: "aht_today_s",
        label: t("colAht"),
        align: "end",
        value: (a) => a.aht_today_s,
        render: (a) => formatDuration(a.aht_today_s),
      },
    ];
  });

  return (
    <section class="desk-panel sup-agents" data-testid="agents-panel">
      <header class="sup-head">
        <h2>{t("agentsTitle")}</h2>
        <label class="sup-filter">
          <span>{t("colTeam")}</span>
          <select
            data-testid="agents-team"
            value={optionOf(team())}
            onChange={(e) => setTeam(chosen(e.currentTarget.value))}
          >
            <option value="">{t("allTeams")}</option>
            <For each={teams()}>{(tm) => <option value={optionOf(tm)}>{teamWord(tm)}</option>}</For>
          </select>
        </label>
        <label class="sup-filter">
          <span>{t("colState")}</span>
          <select
            data-testid="agents-state"
            value={optionOf(state())}
            onChange={(e) => setState(chosen(e.currentTarget.value))}
          >
            <option value="">{t("allStates")}</option>
            <For each={states()}>{(s) => <option value={optionOf(s)}>{stateWord(s)}</option>}</For>
          </select>
        </label>
        <span class="desk-spacer" />
        <Show when={polled.value()}>
          <span class="muted" data-testid="agents-count">
            {t("agentsShown", { n: shown().length, total: agents.length })}
          </span>
        </Show>
      </header>
      <PollState polled={polled} />
      <Show when={props.after() && polled.value()}>
        <Table
          testid="agents"
          columns={columns()}
          rows={shown()}
          key={(a) => a.agent_id}
          initialSort={{ id: "agent", dir: "asc" }}
          rowAttrs={(a) => ({ "data-state": a.state, "data-team": a.team })}
          empty={t("noAgents")}
        />
      </Show>
    </section>
  );
}
