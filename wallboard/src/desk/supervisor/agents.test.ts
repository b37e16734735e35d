import type { AgentNow } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { clockOffset, filterAgents, inStateS, sameItems, statesOf, teamsOf } from "./agents";

const agent = (o: Partial<AgentNow>): AgentNow => ({
  agent_id: "a1",
  name: "Ann",
  team: "t1",
  state: "available",
  reason: "",
  queues: ["cards"],
  since: "2026-11-28T10:00:00+08:00",
  in_state_s: 60,
  handled_today: 0,
  aht_today_s: null,
  ...o,
});

describe("the agents grid", () => {
  const agents = [
    agent({ agent_id: "a1", team: "north", state: "available" }),
    agent({ agent_id: "a2", team: "south", state: "not_ready", reason: "break" }),
    agent({ agent_id: "a3", team: "", state: "on_contact" }),
    agent({ agent_id: "a4", team: "north", state: "not_ready" }),
  ];

  it("filters by team and by state, both or neither", () => {
    const ids = (f: Parameters<typeof filterAgents>[1]) =>
      filterAgents(agents, f).map((a) => a.agent_id);
    expect(ids({ team: null, state: null })).toEqual(["a1", "a2", "a3", "a4"]);
    expect(ids({ team: "north", state: null })).toEqual(["a1", "a4"]);
    expect(ids({ team: null, state: "not_ready" })).toEqual(["a2", "a4"]);
    expect(ids({ team: "north", state: "not_ready" })).toEqual(["a4"]);
    expect(ids({ team: "", state: null })).toEqual(["a3"]);
  });

  it("offers the teams sorted with no team last, and the known states first", () => {
    expect(teamsOf(agents)).toEqual(["north", "south", ""]);
    expect(statesOf([agent({ state: "training" })])).toEqual([
      "on_contact",
      "wrap_up",
      "available",
      "not_ready",
      "logged_out",
      "training",
    ]);
  });

  it("counts the time in state on the server's clock", () => {
    const a = agent({ since: "2026-11-28T10:00:00+08:00" });
    const since = Date.parse("2026-11-28T02:00:00Z");
    // Our clock is 30 s behind the server's.
    const offset = clockOffset(new Date(since + 90_000).toISOString(), since + 60_000);
    expect(offset).toBe(30_000);
    expect(inStateS(a, since + 61_000 + offset)).toBe(91);
    expect(inStateS(a, since - 5_000)).toBe(0);
    expect(inStateS(agent({ since: "garbled", in_state_s: 12 }), since)).toBe(12);
  });

  it("tells a refresh that changed no membership", () => {
    const [x, y] = agents;
    expect(sameItems([x, y], [x, y])).toBe(true);
    expect(sameItems([x, y], [y, x])).toBe(false);
    expect(sameItems([x], [x, y])).toBe(false);
  });
});
