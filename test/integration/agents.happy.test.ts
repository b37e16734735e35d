// GET /api/v1/agents as a supervisor reads it: each agent's state now, for how long, their queues,
// and what they handled today. Kafka → ingest → facts → API.
import { AgentList } from "@floorwatch/contracts";
import { sql } from "@floorwatch/sql";
import { beforeAll, describe, expect, it } from "vitest";
import { asAdmin, useApi } from "../support/api";
import { agentState, answered, produceAll, queued, wrappedUp } from "../support/events";
import { waitForIngested } from "../support/ingested";

describe("agents now", () => {
  const api = useApi("agents_happy", { ingest: true });
  const site = "agents-happy";
  const base = Date.now();
  const MIN = 60_000;

  beforeAll(async () => {
    await produceAll(api.h.kafka, api.h.config.topics, [
      agentState({ site, at: base - 20 * MIN, agent: "a1", state: "available", queues: ["cards"] }),
      agentState({
        site,
        at: base - 5 * MIN,
        agent: "a1",
        state: "not_ready",
        queues: ["cards"],
        reason: "break",
      }),
      agentState({
        site,
        at: base - 8 * MIN,
        agent: "a2",
        state: "on_contact",
        queues: ["cards", "loans"],
      }),
      // a1 handled two contacts this morning: 60 s and 120 s.
      queued({ site, at: base - 19 * MIN, contact: "c1", queue: "cards" }),
      answered({ site, at: base - 18 * MIN, contact: "c1", queue: "cards", agent: "a1" }),
      wrappedUp({ site, at: base - 17 * MIN, contact: "c1", queue: "cards", agent: "a1" }),
      queued({ site, at: base - 15 * MIN, contact: "c2", queue: "cards" }),
      answered({ site, at: base - 14 * MIN, contact: "c2", queue: "cards", agent: "a1" }),
      wrappedUp({ site, at: base - 12 * MIN, contact: "c2", queue: "cards", agent: "a1" }),
    ]);
  });

  it("shows state, time in state, queues and today's handled and AHT", async () => {
    // Only contacts wrapped up since the site's midnight (Asia/Shanghai, UTC+8) count today.
    const midnight =
      Math.floor((Date.now() + 8 * 60 * MIN) / (24 * 60 * MIN)) * 24 * 60 * MIN - 8 * 60 * MIN;
    const today = [
      { at: base - 17 * MIN, s: 60 },
      { at: base - 12 * MIN, s: 120 },
    ].filter((c) => c.at >= midnight);
    await waitForIngested(api.h);
    const list = AgentList.parse(
      await (await api.app.request(`/api/v1/agents?site=${site}`, asAdmin)).json(),
    );
    expect(list.agents.find((a) => a.agent_id === "a1")?.handled_today).toBe(today.length);
    expect(list.agents).toHaveLength(2);
    const a1 = list.agents.find((a) => a.agent_id === "a1")!;
    const asOf = Date.parse(list.as_of);
    expect(a1).toMatchObject({
      state: "not_ready",
      reason: "break",
      queues: ["cards"],
      aht_today_s: today.length ? today.reduce((n, c) => n + c.s, 0) / today.length : null,
    });
    expect(a1.in_state_s).toBeCloseTo((asOf - (base - 5 * MIN)) / 1000, 3);
    const a2 = list.agents.find((a) => a.agent_id === "a2")!;
    expect(a2).toMatchObject({
      state: "on_contact",
      queues: ["cards", "loans"],
      handled_today: 0,
      aht_today_s: null,
    });
  });

  it("ends an agent's interval at its next event days later, when an earlier event arrives again", async () => {
    // Friday's shift, Monday's login 70 h later; then Friday's logout again (a redelivery), read
    // alone in a later flush whose window does not reach Monday.
    const gap = "agents-gap";
    const H = 60 * MIN;
    const friOut = agentState({ site: gap, at: base - 100 * H, agent: "g1", state: "logged_out" });
    const events = [
      agentState({ site: gap, at: base - 109 * H, agent: "g1", state: "available", queues: ["x"] }),
      friOut,
      agentState({ site: gap, at: base - 30 * H, agent: "g1", state: "available" }),
    ];
    await produceAll(api.h.kafka, api.h.config.topics, events);
    await waitForIngested(api.h);
    await produceAll(api.h.kafka, api.h.config.topics, [friOut]);
    await waitForIngested(api.h);
    const rows = await (
      await api.h.ch.query({
        query: sql`SELECT from_ms, to_ms, state, sum(sign) AS net FROM agent_intervals
          WHERE site = ${gap} AND agent_id = 'g1'
          GROUP BY from_ms, to_ms, state HAVING net != 0 ORDER BY from_ms`.text,
        format: "JSONEachRow",
      })
    ).json<{ from_ms: number; to_ms: number; state: string; net: number }>();
    expect(rows.map((r) => [Number(r.from_ms), Number(r.to_ms), r.state, Number(r.net)])).toEqual([
      [base - 109 * H, base - 100 * H, "available", 1],
      [base - 100 * H, base - 30 * H, "logged_out", 1],
      [base - 30 * H, 0, "available", 1],
    ]);
  });

  it("ends an interval begun days before and keeps its queues, for an agent back from a holiday", async () => {
    // The desktop never logged out before a four-day holiday; back, it sends no queue list.
    const gap = "agents-holiday";
    const H = 60 * MIN;
    await produceAll(api.h.kafka, api.h.config.topics, [
      agentState({ site: gap, at: base - 120 * H, agent: "h1", state: "available", queues: ["x"] }),
    ]);
    await waitForIngested(api.h);
    await produceAll(api.h.kafka, api.h.config.topics, [
      agentState({ site: gap, at: base - 20 * H, agent: "h1", state: "on_contact" }),
    ]);
    await waitForIngested(api.h);
    const rows = await (
      await api.h.ch.query({
        query: sql`SELECT from_ms, to_ms, state, queues, sum(sign) AS net FROM agent_intervals
          WHERE site = ${gap} AND agent_id = 'h1'
          GROUP BY from_ms, to_ms, state, queues HAVING net != 0 ORDER BY from_ms`.text,
        format: "JSONEachRow",
      })
    ).json<{ from_ms: number; to_ms: number; state: string; queues: string[]; net: number }>();
    expect(
      rows.map((r) => [Number(r.from_ms), Number(r.to_ms), r.state, r.queues, Number(r.net)]),
    ).toEqual([
      [base - 120 * H, base - 20 * H, "available", ["x"], 1],
      [base - 20 * H, 0, "on_contact", ["x"], 1],
    ]);
  });
});
