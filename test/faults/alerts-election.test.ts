// Exactly one alert evaluator however many API processes run (issue #11): two real API processes
// join the election (a Kafka consumer group on a one-partition topic); the one evaluating is killed
// with SIGKILL while an alert is pending; the other takes over within 15 s, resumes the pending
// alert where it was, fires it when its `for` is over and resolves it: each transition stored once.
import { randomBytes } from "node:crypto";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { sql } from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seenSites, storedToken } from "../support/api";
import { spawnApi, type ApiProcess } from "../support/api-process";
import { answered, produceAll, queued } from "../support/events";
import { createHarness, eventually, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";

const site = "election";
const S = 1_000;

interface Row {
  kind: string;
  at_ms: number;
  since_ms: number;
  evaluator: string;
}

describe("the alert evaluator's election", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let admin: string;
  const apis: ApiProcess[] = [];
  const topic = `t.election.${randomBytes(4).toString("hex")}`;

  const metric = async (p: ApiProcess, name: string) => {
    const res = await fetch(`${await p.url}/metrics`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const m = new RegExp(`^${name} (\\S+)$`, "m").exec(await res.text());
    return Number(m?.[1]);
  };
  const leaders = async () =>
    Promise.all(
      apis.map(async (p) =>
        p.child.exitCode === null && p.child.signalCode === null
          ? metric(p, "floorwatch_api_alert_evaluator_leader")
          : 0,
      ),
    );
  let rule = "";
  const transitions = async (): Promise<Row[]> => {
    const rs = await h.ch.query({
      query:
        sql`SELECT kind, at_ms, since_ms, evaluator FROM alert_transitions WHERE rule_id = ${rule} ORDER BY at_ms, kind`
          .text,
      format: "JSONEachRow",
      clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
    });
    return rs.json<Row>();
  };

  beforeAll(async () => {
    h = await createHarness("election");
    await seenSites(h.ch, [site]);
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    admin = (await storedToken(h.ch, "admin")).token;
    const env = {
      ALERTS_TICK_MS: "1000",
      ALERTS_ELECTION_TOPIC: topic,
      ALERTS_ELECTION_GROUP: `g-${topic}`,
      ALERTS_SESSION_TIMEOUT_MS: "8000",
    };
    apis.push(spawnApi(h, env), spawnApi(h, env));
    await Promise.all(apis.map((p) => p.url));
  });

  afterAll(async () => {
    for (const p of apis) if (p.child.exitCode === null) p.child.kill("SIGTERM");
    await Promise.all(apis.map((p) => p.exited));
    await ingest?.stop();
    await h?.cleanup();
  });

  it("hands a pending alert to the survivor within 15 s of a SIGKILL, losing and doubling nothing", async () => {
    // A rule with a 20 s `for`: long enough that the kill falls inside it.
    const res = await fetch(`${await apis[0]!.url}/api/v1/rules?site=${site}`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify({
        kind: "threshold",
        name: "wait over 30 s",
        figure: "longest_waiting_s",
        window: "now",
        scope: { kind: "site" },
        comparator: ">",
        threshold: 30,
        for_s: 20,
        keep_firing_for_s: 0,
      }),
    });
    expect(res.status).toBe(201);
    const ruleId = ((await res.json()) as { id: string }).id;
    rule = ruleId;

    // Exactly one process evaluates.
    await eventually(async () => expect((await leaders()).sort()).toEqual([0, 1]), 30_000);

    const produced = await produceAll(h.kafka, h.config.topics, [
      queued({ site, at: Date.now() - 25 * S, contact: "c1", queue: "cards" }),
    ]);
    await waitForIngested(h, produced);
    // The leader sees the wait pass 30 s: pending.
    const pending = await eventually(async () => {
      const rows = await transitions();
      expect(rows.map((r) => r.kind)).toEqual(["pending"]);
      return rows[0]!;
    }, 30_000);

    const leaderIndex = (await leaders()).indexOf(1);
    expect(leaderIndex).toBeGreaterThanOrEqual(0);
    const killed = apis[leaderIndex]!;
    const survivor = apis[1 - leaderIndex]!;
    const killedAt = Date.now();
    killed.child.kill("SIGKILL");
    await killed.exited;

    // The survivor is elected within 15 s of the kill.
    await eventually(
      async () => expect(await metric(survivor, "floorwatch_api_alert_evaluator_leader")).toBe(1),
      20_000,
      100,
    );
    const replacedAfter = Date.now() - killedAt;
    expect(replacedAfter).toBeLessThanOrEqual(15_000);

    // It fires the same alert at its `for` after the pending the killed one recorded.
    const firing = await eventually(async () => {
      const rows = await transitions();
      expect(rows.map((r) => r.kind)).toEqual(["pending", "firing"]);
      return rows[1]!;
    }, 40_000);
    expect(firing.since_ms).toBe(pending.since_ms);
    expect(firing.at_ms - pending.at_ms).toBeGreaterThanOrEqual(20 * S);
    expect(firing.evaluator).not.toBe(pending.evaluator);

    // And resolves it once the caller is answered.
    const more = await produceAll(h.kafka, h.config.topics, [
      answered({ site, at: Date.now(), contact: "c1", queue: "cards" }),
    ]);
    await waitForIngested(h, more);
    await eventually(async () => {
      const rows = await transitions();
      expect(rows.map((r) => r.kind)).toEqual(["pending", "firing", "resolved"]);
    }, 30_000);
    // Nothing stored twice (the raw rows, before any merge could hide a copy).
    const raw = await transitions();
    expect(raw).toHaveLength(3);
    console.info(`evaluator replaced ${replacedAfter} ms after SIGKILL`);
  });
});
