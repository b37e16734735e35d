// GET /api/v1/breaches?acknowledged=true|false (the QA screen's filter, issue #14): only the
// breaches someone took on, or only those nobody did, as the acknowledgements stored by
// POST /alerts/:id/ack say, together with the other filters, the limit counted after the filter,
// and never missing an acknowledged breach because newer ones crowd it out.
// The breaches are stored as the evaluator stores them (firing and resolved transitions of
// alert_transitions, api/src/alerts/evaluator.ts `record`); the acknowledgements go through the API.
import { randomBytes } from "node:crypto";
import { BreachList } from "@floorwatch/contracts";
import { ALERT_TRANSITIONS_TABLE, type AlertTransitionRow, insertRows } from "@floorwatch/sql";
import { beforeAll, describe, expect, it } from "vitest";
import { asAdmin, bearer, refused, seenSites, storedToken, useApi } from "../support/api";

const site = "breaches-ack";
const MIN = 60_000;
const DAY = 86_400_000;

/** A breach of `rule` over `queue`, fired at `firedMs` and resolved 5 minutes later. */
function storedBreach(b: {
  id: string;
  rule: string;
  queue: string;
  severity: "info" | "warning" | "critical";
  firedMs: number;
}): AlertTransitionRow[] {
  const detail = {
    rule_name: `rule ${b.rule}`,
    rule_name_zh: `规则 ${b.rule}`,
    severity: b.severity,
    labels: {},
    figure: "longest_waiting_s",
    window: "now",
    comparator: ">",
    threshold: 300,
    recovery_threshold: 240,
    scope: { key: `queue:${b.queue}`, queue: b.queue, channel: "voice", survey_id: null },
    definition_version: 1,
  };
  const common = {
    site,
    alert_id: b.id,
    rule_id: b.rule,
    rule_version: 1,
    scope_key: `queue:${b.queue}`,
    queue: b.queue,
    severity: b.severity,
    since_ms: b.firedMs,
    fired_ms: b.firedMs,
    value: 320,
    peak: 330,
    peak_ms: b.firedMs + MIN,
    threshold: 300,
    definition_version: 1,
    detail: JSON.stringify(detail),
    evaluator: "test",
  };
  return [
    { ...common, kind: "firing", at_ms: b.firedMs, recorded_ms: b.firedMs },
    { ...common, kind: "resolved", at_ms: b.firedMs + 5 * MIN, recorded_ms: b.firedMs + 5 * MIN },
  ];
}

const newId = () => randomBytes(12).toString("hex");

describe("the breach list filtered by acknowledgement", () => {
  const api = useApi("breaches_ack", { sites: [site] });
  // Yesterday and the day before, whole minutes: a range of dates holds every breach below.
  const T0 = Math.floor((Date.now() - 2 * DAY) / MIN) * MIN;
  const range = `from=${new Date(T0 - DAY).toISOString()}&to=${new Date(T0 + DAY).toISOString()}`;
  const breaches = [
    { id: newId(), rule: "wait", queue: "cards", severity: "critical", firedMs: T0 + 1 * MIN },
    { id: newId(), rule: "wait", queue: "loans", severity: "critical", firedMs: T0 + 2 * MIN },
    { id: newId(), rule: "asa", queue: "cards", severity: "warning", firedMs: T0 + 3 * MIN },
    { id: newId(), rule: "asa", queue: "loans", severity: "warning", firedMs: T0 + 4 * MIN },
    { id: newId(), rule: "wait", queue: "cards", severity: "critical", firedMs: T0 + 5 * MIN },
    { id: newId(), rule: "asa", queue: "cards", severity: "warning", firedMs: T0 + 6 * MIN },
  ] as const;
  /** Taken on: the first (twice: the latest counts), the third and the sixth. */
  const acked = new Set([breaches[0].id, breaches[2].id, breaches[5].id]);
  let supervisor: string;

  const list = async (query: string) => {
    const res = await api.app.request(`/api/v1/breaches?site=${site}&${range}${query}`, asAdmin);
    expect(res.status, await res.clone().text()).toBe(200);
    return BreachList.parse(await res.json()).breaches;
  };
  const ids = async (query: string) => (await list(query)).map((b) => b.id);
  /** Newest first, as the list orders them. */
  const expected = (keep: (b: (typeof breaches)[number]) => boolean) =>
    breaches
      .filter(keep)
      .sort((a, b) => b.firedMs - a.firedMs)
      .map((b) => b.id);
  const ack = async (id: string, note: string) => {
    const res = await api.app.request(`/api/v1/alerts/${id}/ack`, {
      method: "POST",
      body: JSON.stringify({ site, note }),
      headers: { ...bearer(supervisor), "content-type": "application/json" },
    });
    expect(res.status, await res.clone().text()).toBe(200);
  };

  beforeAll(async () => {
    supervisor = (await storedToken(api.h.ch, "supervisor", { sites: [site], name: "王主管" }))
      .token;
    await insertRows(api.h.ch, ALERT_TRANSITIONS_TABLE, breaches.flatMap(storedBreach));
    await ack(breaches[0].id, "first look");
    await ack(breaches[0].id, "called the team lead");
    await ack(breaches[2].id, "");
    await ack(breaches[5].id, "ASA known: system outage");
  });

  it("lists only the acknowledged breaches with true, only the others with false", async () => {
    const all = await ids("");
    expect(all).toEqual(expected(() => true));
    const yes = await ids("&acknowledged=true");
    const no = await ids("&acknowledged=false");
    expect(yes).toEqual(expected((b) => acked.has(b.id)));
    expect(no).toEqual(expected((b) => !acked.has(b.id)));
    // Together exactly the unfiltered list, nothing in both.
    expect([...yes, ...no].sort()).toEqual([...all].sort());
  });

  it("shows the latest acknowledgement of each breach it keeps, and none on the others", async () => {
    const yes = await list("&acknowledged=true");
    expect(yes.find((b) => b.id === breaches[0].id)?.acknowledged).toMatchObject({
      by: "王主管",
      note: "called the team lead",
    });
    expect(yes.every((b) => b.acknowledged !== null)).toBe(true);
    expect((await list("&acknowledged=false")).every((b) => b.acknowledged === null)).toBe(true);
  });

  it("takes 1 and 0 for true and false", async () => {
    expect(await ids("&acknowledged=1")).toEqual(await ids("&acknowledged=true"));
    expect(await ids("&acknowledged=0")).toEqual(await ids("&acknowledged=false"));
  });

  it("narrows together with rule, queue and severity", async () => {
    expect(await ids("&acknowledged=true&rule=wait")).toEqual(
      expected((b) => acked.has(b.id) && b.rule === "wait"),
    );
    expect(await ids("&acknowledged=false&queue=cards")).toEqual(
      expected((b) => !acked.has(b.id) && b.queue === "cards"),
    );
    expect(await ids("&acknowledged=true&severity=warning&queue=cards")).toEqual(
      expected((b) => acked.has(b.id) && b.severity === "warning" && b.queue === "cards"),
    );
    expect(await ids("&acknowledged=false&severity=warning&queue=cards")).toEqual([]);
  });

  it("applies the limit to the breaches that match, newest first", async () => {
    expect(await ids("&acknowledged=true&limit=2")).toEqual(
      expected((b) => acked.has(b.id)).slice(0, 2),
    );
    expect(await ids("&acknowledged=false&limit=1")).toEqual(
      expected((b) => !acked.has(b.id)).slice(0, 1),
    );
  });

  it("refuses a word other than true, false, 1 or 0", async () => {
    const e = await refused(
      api.app.request(`/api/v1/breaches?site=${site}&${range}&acknowledged=yes`, asAdmin),
      400,
    );
    expect(e.code).toBe("bad_request");
  });

  it("finds an acknowledged breach however many newer ones nobody took on", async () => {
    // A busy afternoon of another site: 1,200 breaches, one every 10 s (3 h 20 min), the oldest
    // the only one acknowledged. More than one read of the list holds (1,000), so the filter must
    // not pick from the newest ones only.
    const busy = "breaches-ack-busy";
    await seenSites(api.h.ch, [busy]);
    const many = Array.from({ length: 1_200 }, (_, i) => ({
      id: newId(),
      rule: "wait",
      queue: `q${i % 7}`,
      severity: "critical" as const,
      firedMs: T0 + i * 10_000,
    }));
    await insertRows(
      api.h.ch,
      ALERT_TRANSITIONS_TABLE,
      many.flatMap((b) => storedBreach(b).map((r) => ({ ...r, site: busy }))),
    );
    const oldest = many[0]!.id;
    const res = await api.app.request(`/api/v1/alerts/${oldest}/ack`, {
      method: "POST",
      body: JSON.stringify({ site: busy, note: "seen" }),
      headers: { ...asAdmin.headers, "content-type": "application/json" },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const read = async (q: string) => {
      const r = await api.app.request(
        `/api/v1/breaches?site=${busy}&${range}&limit=1000${q}`,
        asAdmin,
      );
      expect(r.status, await r.clone().text()).toBe(200);
      return BreachList.parse(await r.json()).breaches.map((b) => b.id);
    };
    expect(await read("&acknowledged=true")).toEqual([oldest]);
    const others = await read("&acknowledged=false");
    expect(others).toHaveLength(1_000);
    expect(others).not.toContain(oldest);
    // The newest 1,000, as without the filter.
    expect(others).toEqual(await read(""));
  });
});
