// The agents grid as data: filters by team and state, and the time in state as it ticks. The
// grid reads GET /agents every few seconds; between answers the time in state counts on from the
// state's start by the server's clock (the answer's `as_of` against when it arrived), so a desk
// whose clock is a minute off still shows the same 4:05 as the server would.
import type { AgentNow } from "@floorwatch/contracts";

/** The states of metrics.md in the order a floor reads them; others (a new state) after these. */
export const AGENT_STATES = [
  "on_contact",
  "wrap_up",
  "available",
  "not_ready",
  "logged_out",
] as const;

const order = (state: string) => {
  const i = (AGENT_STATES as readonly string[]).indexOf(state);
  return i < 0 ? AGENT_STATES.length : i;
};

/** The states to offer in the filter: the known ones, then any other the answer holds. */
export function statesOf(agents: readonly Pick<AgentNow, "state">[]): string[] {
  const seen = new Set<string>(AGENT_STATES);
  for (const a of agents) seen.add(a.state);
  return [...seen].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
}

/** The teams in the answer, sorted; "" (no team) last when some agent has none. */
export function teamsOf(agents: readonly Pick<AgentNow, "team">[]): string[] {
  const teams = new Set(agents.map((a) => a.team));
  const named = [...teams].filter((t) => t !== "").sort((a, b) => a.localeCompare(b));
  return teams.has("") ? [...named, ""] : named;
}

export interface AgentFilter {
  /** null: every team; "" is the agents of no team. */
  team: string | null;
  /** null: every state. */
  state: string | null;
}

export function filterAgents<A extends Pick<AgentNow, "team" | "state">>(
  agents: readonly A[],
  f: AgentFilter,
): A[] {
  return agents.filter(
    (a) => (f.team === null || a.team === f.team) && (f.state === null || a.state === f.state),
  );
}

/** The server's clock minus ours (ms), from an answer's `as_of` and when it arrived. */
export function clockOffset(asOf: string, receivedAt: number): number {
  const ms = Date.parse(asOf);
  return Number.isFinite(ms) ? ms - receivedAt : 0;
}

/** Seconds in the current state at `serverNow` (never negative: a clock a little behind). */
export function inStateS(a: Pick<AgentNow, "since" | "in_state_s">, serverNow: number): number {
  const since = Date.parse(a.since);
  if (!Number.isFinite(since)) return a.in_state_s;
  return Math.max(0, (serverNow - since) / 1000);
}

/** Same items in the same order: the grid keeps its rows when a refresh changes no membership. */
export const sameItems = <T>(a: readonly T[], b: readonly T[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);
