// Alert rules against misuse (issue #11): only admins and the supervisors of a site read or write
// its rules; QA, TVs and integrations never do; a refused write changes nothing and audits nothing;
// hostile strings in a rule are stored and shown as they are.
import {
  AuditList,
  ErrorEnvelope,
  Rule,
  RuleList,
  type RuleDraftInput,
} from "@floorwatch/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { asAdmin, bearer, sendJson, storedToken, useApi } from "../support/api";
import { INJECTIONS } from "../support/hostile-strings";

const A = "rules-sec-a";
const B = "rules-sec-b";

const rule = {
  kind: "threshold",
  name: "everybody answered within 2 min",
  figure: "longest_waiting_s",
  window: "now",
  scope: { kind: "site" },
  comparator: ">",
  threshold: 120,
} satisfies RuleDraftInput;

describe("alert rule security", () => {
  const api = useApi("rules_security", { sites: [A, B] });
  const started = new Date(Date.now() - 1_000).toISOString();

  const request = (method: string, path: string, token?: string, body?: unknown) =>
    sendJson(api.app, method, path, body, token ? bearer(token) : {});
  /** Every rules route of `site` with `token`: list, read, create, edit, delete. */
  const everyRoute = (site: string, token?: string) => [
    request("GET", `/api/v1/rules?site=${site}`, token),
    request("GET", `/api/v1/rules/longest-wait?site=${site}`, token),
    request("POST", `/api/v1/rules?site=${site}`, token, rule),
    request("PUT", `/api/v1/rules/longest-wait?site=${site}`, token, rule),
    request("DELETE", `/api/v1/rules/service-level?site=${site}`, token),
  ];
  const statuses = async (answers: Promise<Response>[]) =>
    Promise.all(answers.map(async (a) => (await a).status));
  const rulesOf = async (site: string) =>
    RuleList.parse(await (await api.app.request(`/api/v1/rules?site=${site}`, asAdmin)).json())
      .rules;
  let before: Record<string, unknown[]>;

  beforeAll(async () => {
    before = { [A]: await rulesOf(A), [B]: await rulesOf(B) };
  });

  it("refuses every rules route without a token, or with one that is not a token", async () => {
    expect(await statuses(everyRoute(A))).toEqual([401, 401, 401, 401, 401]);
    expect(await statuses(everyRoute(A, "fw_nonsense"))).toEqual([401, 401, 401, 401, 401]);
  });

  it("refuses QA, TVs and integrations, even of the site, every rules route", async () => {
    for (const role of ["qa", "display", "integration"] as const) {
      const { token } = await storedToken(api.h.ch, role, { sites: [A] });
      const answers = await Promise.all(everyRoute(A, token));
      expect(
        answers.map((a) => a.status),
        role,
      ).toEqual([403, 403, 403, 403, 403]);
      for (const a of answers)
        expect(ErrorEnvelope.parse(await a.json()).error.message, role).toContain("rules");
    }
  });

  it("refuses a supervisor another site's rules, before telling whether that site exists", async () => {
    const { token } = await storedToken(api.h.ch, "supervisor", { sites: [A] });
    expect(await statuses(everyRoute(B, token))).toEqual([403, 403, 403, 403, 403]);
    expect(await statuses(everyRoute("nowhere", token))).toEqual([403, 403, 403, 403, 403]);
    // A token of several sites does not open one it was not given.
    const two = await storedToken(api.h.ch, "supervisor", { sites: [A, "elsewhere"] });
    expect(await statuses(everyRoute(B, two.token))).toEqual([403, 403, 403, 403, 403]);
  });

  it("changed no rule and audited nothing for any refused request", async () => {
    expect(await rulesOf(A)).toEqual(before[A]);
    expect(await rulesOf(B)).toEqual(before[B]);
    const to = new Date(Date.now() + 1_000).toISOString();
    const res = await api.app.request(
      `/api/v1/audit?from=${encodeURIComponent(started)}&to=${encodeURIComponent(to)}`,
      asAdmin,
    );
    const actions = AuditList.parse(await res.json()).entries.map((e) => e.action);
    expect(actions.filter((a) => a.startsWith("rule."))).toEqual([]);
  });

  it("lets a supervisor of the site, and an admin, use every rules route", async () => {
    const { token } = await storedToken(api.h.ch, "supervisor", { sites: [A] });
    expect(await statuses(everyRoute(A, token))).toEqual([200, 200, 201, 200, 200]);
    const admin = asAdmin.headers.authorization.slice(7);
    expect(await statuses(everyRoute(B, admin))).toEqual([200, 200, 201, 200, 200]);
  });

  it("does not find one site's rule under another site's name, for reading, editing or deleting", async () => {
    const admin = asAdmin.headers.authorization.slice(7);
    const ofB = Rule.parse(
      await (await request("POST", `/api/v1/rules?site=${B}`, admin, rule)).json(),
    );
    const { token } = await storedToken(api.h.ch, "supervisor", { sites: [A] });
    const asA = `/api/v1/rules/${ofB.id}?site=${A}`;
    expect(
      await statuses([
        request("GET", asA, token),
        request("PUT", asA, token, { ...rule, threshold: 1 }),
        request("DELETE", asA, token),
      ]),
    ).toEqual([404, 404, 404]);
    expect((await rulesOf(B)).find((r) => r.id === ofB.id)).toEqual(ofB);
    expect((await rulesOf(A)).map((r) => r.id)).not.toContain(ofB.id);
  });

  it("stores hostile strings in a rule's names and labels as they are, and refuses them as ids", async () => {
    const admin = asAdmin.headers.authorization.slice(7);
    const made: Rule[] = [];
    for (const s of INJECTIONS) {
      const res = await request("POST", `/api/v1/rules?site=${A}`, admin, {
        ...rule,
        name: `x${s}`,
        name_zh: s,
        labels: { team: s },
      });
      expect(res.status, s).toBe(201);
      const r = Rule.parse(await res.json());
      expect(r, s).toMatchObject({ name: `x${s}`.trim(), name_zh: s.trim(), labels: { team: s } });
      made.push(r);
      const q = encodeURIComponent(s);
      expect(
        (await request("GET", `/api/v1/rules/${q}?site=${A}`, admin)).status,
        s,
      ).toBeGreaterThanOrEqual(400);
      expect((await request("GET", `/api/v1/rules?site=${q}`, admin)).status, s).toBe(400);
    }
    const listed = await rulesOf(A);
    for (const r of made) expect(listed.find((l) => l.id === r.id)).toEqual(r);
  });
});
