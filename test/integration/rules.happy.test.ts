// Alert rules as an admin and a supervisor set them up (issue #11): every site starts with the
// defaults of the bank service plans, each edit is a new version with who and when, a deleted
// rule keeps its history and can be put back, and every write is in the audit log. Real
// ClickHouse; no ingest needed (the queue a rule names is configured through the API).
import {
  AuditList,
  Rule,
  RuleList,
  RuleVersions,
  type RuleDraftInput,
} from "@floorwatch/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { createRule, waitRule } from "../support/alerts";
import { asAdmin, bearer, storedToken, useApi } from "../support/api";

const DEFAULT_IDS = [
  "longest-wait",
  "speed-of-answer",
  "service-level",
  "about-to-breach",
  "satisfaction",
  "resolution",
  "abandon",
  "low-score-followup",
];

/** What PUT takes: the rule without what the server adds to it. */
function draftOf(rule: Rule): RuleDraftInput {
  const {
    id: _id,
    site: _site,
    version: _v,
    builtin: _b,
    updated_at: _at,
    updated_by: _by,
    ...draft
  } = rule;
  return draft as RuleDraftInput;
}

describe("alert rules", () => {
  const site = "rules-happy";
  const fresh = "rules-fresh";
  const api = useApi("rules_happy", { sites: [site, fresh] });
  const started = new Date(Date.now() - 1_000).toISOString();

  const send = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = asAdmin.headers,
  ) =>
    api.app.request(path, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      headers: { ...headers, "content-type": "application/json" },
    });
  const rules = async (s = site) => {
    const res = await api.app.request(`/api/v1/rules?site=${s}`, asAdmin);
    expect(res.status).toBe(200);
    return RuleList.parse(await res.json()).rules;
  };
  const history = async (id: string) => {
    const res = await api.app.request(`/api/v1/rules/${id}?site=${site}`, asAdmin);
    expect(res.status).toBe(200);
    return RuleVersions.parse(await res.json());
  };
  const create = (body: RuleDraftInput) => createRule(api.app, site, body);
  const defaultRule = async (id: string) => (await rules()).find((r) => r.id === id)!;

  beforeAll(async () => {
    const res = await send("PUT", `/api/v1/sites/${site}/queues/cards`, { channel: "voice" });
    expect(res.status).toBe(201);
  });

  it("lists the eight default rules for a new site, each builtin at version 1", async () => {
    const listed = await rules(fresh);
    expect(listed.map((r) => r.id).sort()).toEqual([...DEFAULT_IDS].sort());
    for (const r of listed)
      expect(r, r.id).toMatchObject({
        site: fresh,
        version: 1,
        builtin: true,
        enabled: true,
        updated_by: "floorwatch (default)",
      });
    expect(listed.find((r) => r.id === "longest-wait")).toMatchObject({
      kind: "threshold",
      figure: "longest_waiting_s",
      window: "now",
      comparator: ">",
      threshold: 300,
      scope: { kind: "each_queue", except: [] },
    });
    expect(listed.find((r) => r.id === "service-level")).toMatchObject({
      threshold: "sl_target",
      min_volume: 20,
    });
    expect(listed.find((r) => r.id === "low-score-followup")).toMatchObject({ kind: "followup" });
  });

  it("makes an edit of a default its version 2, and lists both versions with who and when", async () => {
    const shipped = await defaultRule("speed-of-answer");
    const res = await send("PUT", `/api/v1/rules/speed-of-answer?site=${site}`, {
      ...draftOf(shipped),
      threshold: 120,
      recovery_threshold: 110,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("etag")).toBe('"2"');
    expect(Rule.parse(await res.json())).toMatchObject({
      id: "speed-of-answer",
      version: 2,
      builtin: true,
      threshold: 120,
      updated_by: "ADMIN_TOKEN",
    });
    expect(await defaultRule("speed-of-answer")).toMatchObject({ version: 2, threshold: 120 });

    const h = await history("speed-of-answer");
    expect(h.current).toMatchObject({ version: 2, threshold: 120 });
    expect(h.versions.map((v) => [v.version, v.deleted, v.by])).toEqual([
      [1, false, "floorwatch (default)"],
      [2, false, "ADMIN_TOKEN"],
    ]);
    expect(h.versions[0]!.rule).toMatchObject({ threshold: 180 });
    expect(h.versions[1]!.rule).toMatchObject({ threshold: 120 });
    expect(h.versions[1]!.at >= started).toBe(true);
    expect(h.versions[1]!.at <= new Date().toISOString()).toBe(true);
  });

  it('creates a custom rule at version 1 with ETag "1", listed beside the defaults', async () => {
    const res = await send("POST", `/api/v1/rules?site=${site}`, waitRule);
    expect(res.status, await res.clone().text()).toBe(201);
    expect(res.headers.get("etag")).toBe('"1"');
    const rule = Rule.parse(await res.json());
    expect(rule).toMatchObject({
      ...waitRule,
      site,
      version: 1,
      builtin: false,
      enabled: true,
      severity: "warning",
      updated_by: "ADMIN_TOKEN",
    });
    expect(rule.id).toMatch(/^r-[0-9a-f]{10}$/);
    expect((await rules()).find((r) => r.id === rule.id)).toEqual(rule);
    const got = await api.app.request(`/api/v1/rules/${rule.id}?site=${site}`, asAdmin);
    expect(got.headers.get("etag")).toBe('"1"');
  });

  it("edits a rule when If-Match names its current version", async () => {
    const rule = await create({ ...waitRule, name: "conditional edit" });
    const v2 = await send(
      "PUT",
      `/api/v1/rules/${rule.id}?site=${site}`,
      { ...waitRule, name: "conditional edit", threshold: 150 },
      { ...asAdmin.headers, "if-match": '"1"' },
    );
    expect(v2.status, await v2.clone().text()).toBe(200);
    expect(v2.headers.get("etag")).toBe('"2"');
    const v3 = await send(
      "PUT",
      `/api/v1/rules/${rule.id}?site=${site}`,
      { ...waitRule, name: "conditional edit", threshold: 180 },
      { ...asAdmin.headers, "if-match": v2.headers.get("etag")! },
    );
    expect(v3.status, await v3.clone().text()).toBe(200);
    expect(Rule.parse(await v3.json())).toMatchObject({ version: 3, threshold: 180 });
    expect((await history(rule.id)).versions.map((v) => v.version)).toEqual([1, 2, 3]);
  });

  it("deletes a rule as a deleted version, and leaves it out of the list", async () => {
    const rule = await create({ ...waitRule, name: "short-lived" });
    const res = await send("DELETE", `/api/v1/rules/${rule.id}?site=${site}`);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ site, id: rule.id, version: 2, deleted: true });
    expect((await rules()).map((r) => r.id)).not.toContain(rule.id);
    const h = await history(rule.id);
    expect(h.current).toBeNull();
    expect(h.versions.map((v) => [v.version, v.deleted, v.rule === null])).toEqual([
      [1, false, false],
      [2, true, true],
    ]);
  });

  it("puts a deleted default back as its next version", async () => {
    const shipped = await defaultRule("abandon");
    expect((await send("DELETE", `/api/v1/rules/abandon?site=${site}`)).status).toBe(200);
    expect((await rules()).map((r) => r.id)).not.toContain("abandon");

    const res = await send("PUT", `/api/v1/rules/abandon?site=${site}`, draftOf(shipped));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(Rule.parse(await res.json())).toMatchObject({
      id: "abandon",
      version: 3,
      builtin: true,
      threshold: 0.1,
    });
    expect(await defaultRule("abandon")).toMatchObject({ version: 3 });

    // Conditionally too: If-Match names the deleted version being replaced.
    expect((await send("DELETE", `/api/v1/rules/abandon?site=${site}`)).status).toBe(200);
    const again = await send("PUT", `/api/v1/rules/abandon?site=${site}`, draftOf(shipped), {
      ...asAdmin.headers,
      "if-match": '"4"',
    });
    expect(again.status, await again.clone().text()).toBe(200);
    expect(again.headers.get("etag")).toBe('"5"');
    expect((await history("abandon")).versions.map((v) => [v.version, v.deleted])).toEqual([
      [1, false],
      [2, true],
      [3, false],
      [4, true],
      [5, false],
    ]);
  });

  it("keeps a disabled rule listed, marked as not enabled", async () => {
    const rule = await create({ ...waitRule, name: "switched off", enabled: false });
    expect(rule.enabled).toBe(false);
    expect((await rules()).find((r) => r.id === rule.id)).toMatchObject({ enabled: false });

    const shipped = await defaultRule("resolution");
    const res = await send("PUT", `/api/v1/rules/resolution?site=${site}`, {
      ...draftOf(shipped),
      enabled: false,
    });
    expect(res.status).toBe(200);
    expect(await defaultRule("resolution")).toMatchObject({ version: 2, enabled: false });
  });

  it("lets a supervisor of the site read and write its rules, in their name", async () => {
    const sup = await storedToken(api.h.ch, "supervisor", {
      sites: [site],
      name: "王主管 (cards floor)",
    });
    const as = { ...bearer(sup.token) };
    expect((await api.app.request(`/api/v1/rules?site=${site}`, { headers: as })).status).toBe(200);
    const made = await send(
      "POST",
      `/api/v1/rules?site=${site}`,
      { ...waitRule, name: "supervisor's own" },
      as,
    );
    expect(made.status, await made.clone().text()).toBe(201);
    const rule = Rule.parse(await made.json());
    expect(rule.updated_by).toBe("王主管 (cards floor)");
    const edited = await send(
      "PUT",
      `/api/v1/rules/${rule.id}?site=${site}`,
      { ...waitRule, name: "supervisor's own", threshold: 200 },
      { ...as, "if-match": '"1"' },
    );
    expect(edited.status).toBe(200);
    const satisfaction = await defaultRule("satisfaction");
    expect(
      (
        await send(
          "PUT",
          `/api/v1/rules/satisfaction?site=${site}`,
          { ...draftOf(satisfaction), threshold: 0.8, recovery_threshold: 0.8 },
          as,
        )
      ).status,
    ).toBe(200);
    expect(
      (await send("DELETE", `/api/v1/rules/${rule.id}?site=${site}`, undefined, as)).status,
    ).toBe(200);
  });

  it("records every create, edit and delete in the audit log with the rule and its version", async () => {
    const to = new Date(Date.now() + 1_000).toISOString();
    const read = async (action: string) => {
      const res = await api.app.request(
        `/api/v1/audit?from=${encodeURIComponent(started)}&to=${encodeURIComponent(to)}&site=${site}&action=${action}`,
        asAdmin,
      );
      expect(res.status).toBe(200);
      return AuditList.parse(await res.json()).entries;
    };
    const [creates, updates, deletes] = await Promise.all([
      read("rule.create"),
      read("rule.update"),
      read("rule.delete"),
    ]);
    // The tests above: 5 rules created (one by the supervisor), 8 edits, 4 deletes.
    expect(creates).toHaveLength(5);
    expect(updates).toHaveLength(8);
    expect(deletes).toHaveLength(4);
    expect(updates.find((e) => e.target === "speed-of-answer")).toMatchObject({
      site,
      actor: { name: "ADMIN_TOKEN", role: "admin" },
      detail: { version: 2, rule: { figure: "asa_s", threshold: 120 } },
    });
    expect(
      deletes
        .filter((e) => e.target === "abandon")
        .map((e) => e.detail)
        .reverse(),
    ).toEqual([{ version: 2 }, { version: 4 }]);
    const bySupervisor = [...creates, ...updates, ...deletes].filter(
      (e) => e.actor.role === "supervisor",
    );
    expect(bySupervisor.map((e) => e.action).sort()).toEqual([
      "rule.create",
      "rule.delete",
      "rule.update",
      "rule.update",
    ]);
    for (const e of [...creates, ...updates, ...deletes]) expect(e.request_id).not.toBe("");
  });
});
