// Alert rules written wrongly: a 400 naming each problem (issue path and message), 404 for what is
// not there, 409 for an edit of a version someone else already replaced, 413 for a huge body.
import { Rule, RuleList, RuleVersions } from "@floorwatch/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { slRule, waitRule } from "../support/alerts";
import { asAdmin, issuePaths, refused, sendJson, useApi } from "../support/api";

describe("alert rule errors", () => {
  const site = "rules-error";
  const api = useApi("rules_error", { sites: [site] });
  const base = `/api/v1/rules?site=${site}`;

  const send = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => sendJson(api.app, method, path, body, { ...asAdmin.headers, ...headers });
  /** A POST of `body` refused with 400; the error. */
  const invalid = async (body: unknown) => refused(await send("POST", base, body), 400);
  const listed = async () =>
    RuleList.parse(await (await api.app.request(base, asAdmin)).json()).rules.map((r) => r.id);

  beforeAll(async () => {
    const res = await send("PUT", `/api/v1/sites/${site}/queues/cards`, { channel: "voice" });
    expect(res.status).toBe(201);
  });

  it("names an unknown figure, and lists the figures it knows", async () => {
    const e = await invalid({ ...waitRule, figure: "queue_mood" });
    expect(issuePaths(e)).toEqual(["figure"]);
    expect(e.message).toContain('"queue_mood"');
    expect(e.message).toContain("longest_waiting_s");
  });

  it("refuses a figure of the queue now over a period, and a figure over a period now", async () => {
    const instant = await invalid({ ...waitRule, window: "15m" });
    expect(issuePaths(instant)).toEqual(["figure"]);
    expect(instant.message).toContain('"longest_waiting_s" is a figure of the queue now');
    const windowed = await invalid({ ...slRule, window: "now", min_volume: undefined });
    expect(issuePaths(windowed)).toEqual(["figure"]);
    expect(windowed.message).toContain('"service_level" is a figure over a period');
  });

  it("names a queue in scope or in except that the site does not have", async () => {
    const one = await invalid({ ...waitRule, scope: { kind: "queue", queue: "mortgages" } });
    expect(issuePaths(one)).toEqual(["scope.queue"]);
    expect(one.message).toContain('"mortgages"');
    const except = await invalid({
      ...slRule,
      scope: { kind: "each_queue", except: ["cards", "mortgages"] },
    });
    expect(issuePaths(except)).toEqual(["scope.except"]);
    expect(except.message).toContain('"mortgages"');
    expect(except.message).not.toContain('"cards"');
  });

  it("refuses a recovery threshold on the breaching side of the threshold", async () => {
    const above = await invalid({ ...waitRule, recovery_threshold: 150 });
    expect(issuePaths(above)).toEqual(["recovery_threshold"]);
    expect(above.message).toContain("at most the threshold (120)");
    const below = await invalid({ ...slRule, recovery_threshold: 0.7 });
    expect(issuePaths(below)).toEqual(["recovery_threshold"]);
    expect(below.message).toContain("at least the threshold (0.8)");
  });

  it("refuses sl_target on a figure other than service_level", async () => {
    const e = await invalid({
      ...slRule,
      figure: "abandon_rate",
      comparator: ">",
      threshold: "sl_target",
    });
    expect(issuePaths(e)).toEqual(["threshold"]);
    expect(e.message).toContain("sl_target");
  });

  it("refuses min_volume on a figure of the queue now", async () => {
    const e = await invalid({ ...waitRule, min_volume: 5 });
    expect(issuePaths(e)).toEqual(["min_volume"]);
  });

  it("names a volume figure it does not know, and a guard with no volume to count", async () => {
    const unknown = await invalid({ ...slRule, volume_figure: "callers" });
    expect(issuePaths(unknown)).toEqual(["volume_figure"]);
    expect(unknown.message).toContain('"callers"');
    // `offered` counts contacts: it has no volume of its own to guard it by default.
    const none = await invalid({ ...slRule, figure: "offered", comparator: ">", threshold: 100 });
    expect(issuePaths(none)).toEqual(["volume_figure"]);
  });

  it("names every problem of one rule at once", async () => {
    const e = await invalid({
      ...waitRule,
      scope: { kind: "queue", queue: "mortgages" },
      recovery_threshold: 150,
      min_volume: 5,
    });
    expect(issuePaths(e).sort()).toEqual(["min_volume", "recovery_threshold", "scope.queue"]);
  });

  it("refuses a field the rule does not have, in the rule and in its scope", async () => {
    const e = await invalid({ ...waitRule, escalate_to: "ops" });
    expect(e.message).toContain("escalate_to");
    const scoped = await invalid({ ...waitRule, scope: { kind: "site", queue: "cards" } });
    expect(scoped.message).toContain("queue");
  });

  it("refuses a missing, malformed or unknown site", async () => {
    const missing = await refused(await send("POST", "/api/v1/rules", waitRule), 400);
    expect(issuePaths(missing)).toEqual(["site"]);
    expect(issuePaths(await refused(await send("GET", "/api/v1/rules"), 400))).toEqual(["site"]);
    expect(
      issuePaths(await refused(await send("GET", "/api/v1/rules?site=Not%20A%20Site"), 400)),
    ).toEqual(["site"]);
    const unknown = await refused(await send("POST", "/api/v1/rules?site=nowhere", waitRule), 404);
    expect(unknown.message).toContain("nowhere");
    await refused(await send("GET", "/api/v1/rules?site=nowhere"), 404);
    await refused(await send("GET", "/api/v1/rules/longest-wait?site=nowhere"), 404);
  });

  it("answers 409 conflict to an edit whose If-Match is no longer the current version", async () => {
    const made = await send("POST", base, waitRule);
    const rule = Rule.parse(await made.json());
    const first = await send(
      "PUT",
      `/api/v1/rules/${rule.id}?site=${site}`,
      { ...waitRule, threshold: 150 },
      { "if-match": '"1"' },
    );
    expect(first.status).toBe(200);
    // A second editor who read version 1 too.
    const stale = await refused(
      await send(
        "PUT",
        `/api/v1/rules/${rule.id}?site=${site}`,
        { ...waitRule, threshold: 200 },
        { "if-match": '"1"' },
      ),
      409,
    );
    expect(stale.code).toBe("conflict");
    expect(stale.message).toContain("version 2");
    const staleDelete = await refused(
      await send("DELETE", `/api/v1/rules/${rule.id}?site=${site}`, undefined, {
        "if-match": '"1"',
      }),
      409,
    );
    expect(staleDelete.code).toBe("conflict");
    // Nothing was written by either.
    const current = await api.app.request(`/api/v1/rules/${rule.id}?site=${site}`, asAdmin);
    expect(current.headers.get("etag")).toBe('"2"');
    expect(RuleVersions.parse(await current.json()).current).toMatchObject({ threshold: 150 });
  });

  it("lets one of three simultaneous edits of the same version through and refuses the others with 409", async () => {
    const rule = Rule.parse(await (await send("POST", base, waitRule)).json());
    const answers = await Promise.all(
      [130, 140, 150].map((threshold) =>
        send(
          "PUT",
          `/api/v1/rules/${rule.id}?site=${site}`,
          { ...waitRule, threshold },
          { "if-match": '"1"' },
        ),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    const won = (await answers.find((a) => a.status === 200)!.json()) as { threshold: number };
    const h = RuleVersions.parse(
      await (await api.app.request(`/api/v1/rules/${rule.id}?site=${site}`, asAdmin)).json(),
    );
    // The winner's answer is what is stored, and no edit was written over another.
    expect(h.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(h.current).toMatchObject({ version: 2, threshold: won.threshold });
    expect((await send("DELETE", `/api/v1/rules/${rule.id}?site=${site}`)).status).toBe(200);
  });

  it("refuses an If-Match that is not a version", async () => {
    const e = await refused(
      await send("PUT", `/api/v1/rules/longest-wait?site=${site}`, waitRule, {
        "if-match": '"abc"',
      }),
      400,
    );
    expect(e.message).toContain("If-Match");
  });

  it("answers 404 to a read, edit or delete of a rule id the site never had", async () => {
    const url = `/api/v1/rules/r-0000000000?site=${site}`;
    expect((await refused(await send("GET", url), 404)).message).toContain("r-0000000000");
    expect((await refused(await send("PUT", url, waitRule), 404)).message).toContain(
      "POST creates one",
    );
    await refused(await send("DELETE", url), 404);
    expect(await listed()).not.toContain("r-0000000000");
  });

  it("answers 404 to a delete of a rule already deleted", async () => {
    const rule = Rule.parse(await (await send("POST", base, waitRule)).json());
    expect((await send("DELETE", `/api/v1/rules/${rule.id}?site=${site}`)).status).toBe(200);
    await refused(await send("DELETE", `/api/v1/rules/${rule.id}?site=${site}`), 404);
  });

  it("refuses a malformed rule id with 400", async () => {
    const e = await refused(await send("GET", `/api/v1/rules/Not_An_Id!?site=${site}`), 400);
    expect(issuePaths(e)).toEqual(["id"]);
  });

  it("refuses a body that is not JSON with 400", async () => {
    const e = await refused(await send("POST", base, '{"kind": "threshold",'), 400);
    expect(e.code).toBe("bad_request");
    await refused(await send("PUT", `/api/v1/rules/longest-wait?site=${site}`, "not json"), 400);
  });

  it("refuses a body over 64 KiB with 413, before reading it", async () => {
    const huge = { ...waitRule, name: "x".repeat(70 * 1024) };
    const e = await refused(await send("POST", base, huge), 413);
    expect(e.code).toBe("payload_too_large");
  });

  it("wrote nothing for any refused request", async () => {
    const custom = (await listed()).filter((id) => id.startsWith("r-"));
    // The conflict test's rule only: every other rule posted here was refused or deleted.
    expect(custom).toHaveLength(1);
  });
});
