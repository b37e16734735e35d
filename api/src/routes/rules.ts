// Alert rules: GET/POST /rules, GET/PUT/DELETE /rules/:id, all with ?site=. Admins, and supervisors
// for their sites. An edit is a new version (If-Match: <version> makes it conditional: 409 when
// someone else edited first); a delete is a deleted version. Every write is audited.
import { randomBytes } from "node:crypto";
import { BacktestQuery, RuleDraft, RuleId, SiteQuery, type RuleList } from "@floorwatch/contracts";
import { loadRuleVersions, runQuery, type ClickHouseClient } from "@floorwatch/sql";
import { Hono } from "hono";
import { z } from "zod";
import { currentRules, nextVersion, ruleHistory, writeRuleVersion } from "../alerts/rules";
import { ruleIssues } from "../alerts/validate-rule";
import type { Audit } from "../auth/audit";
import { allow } from "../auth/middleware";
import { ApiError, zodIssues } from "../errors";
import { backtest, backtestProblem, backtestResult } from "../alerts/backtest";
import { loadHours } from "../alerts/hours";
import { parseRange } from "./range";
import { loadSiteConfig } from "../metrics/config";
import { requireSite } from "../sites";
import type { AppEnv } from "../types";
import { validate } from "../validate";
import { ifMatch, oneWriteAtATime } from "./versioned";

const IdParam = z.object({ id: RuleId });

export function ruleRoutes(ch: ClickHouseClient, audit: Audit, opts: { now: () => number }) {
  async function checked(site: string, draft: RuleDraft) {
    const config = await loadSiteConfig(ch, site);
    const issues = ruleIssues(draft, new Set(config.queues.map((q) => q.queue)));
    if (issues.length)
      throw new ApiError(
        "bad_request",
        `invalid rule: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
        issues,
      );
  }

  /** The rule's versions and the one in force, read just before a write. */
  async function state(site: string, id: string) {
    const rows = await runQuery(ch, loadRuleVersions, { sites: [site], rule_id: id });
    const current =
      currentRules([site], rows)
        .get(site)!
        .find((r) => r.id === id) ?? null;
    return { rows, current };
  }

  // One write at a time per rule in this process (versioned.ts says what is lost without it).
  const oneAtATime = oneWriteAtATime();

  async function write(site: string, id: string, version: number, draft: RuleDraft, by: string) {
    const at = opts.now();
    await writeRuleVersion(ch, { site, id, version, draft, by, at });
    const { current } = await state(site, id);
    return current!;
  }

  return (
    new Hono<AppEnv>()
      // Replays the rule in force (or the draft in the body, for trying a rule before saving it)
      // over stored history: when it would have fired and resolved (backtest.ts).
      .post(
        "/:id/backtest",
        validate("param", IdParam),
        validate("query", BacktestQuery),
        async (c) => {
          const q = c.req.valid("query");
          const { id } = c.req.valid("param");
          allow(c, "rules", q.site);
          await requireSite(c, q.site);
          const text = await c.req.text();
          let rule: RuleDraft;
          if (text.trim()) {
            let body: unknown;
            try {
              body = JSON.parse(text);
            } catch {
              throw new ApiError("bad_request", "the body must be a rule as JSON, or empty");
            }
            const parsed = RuleDraft.safeParse(body);
            if (!parsed.success) {
              const issues = zodIssues(parsed.error);
              throw new ApiError(
                "bad_request",
                `invalid rule: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
                issues,
              );
            }
            rule = parsed.data;
          } else {
            const { current } = await state(q.site, id);
            if (!current)
              throw new ApiError("not_found", `no rule "${id}" in force at site ${q.site}`);
            rule = current;
          }
          if (rule.kind !== "threshold")
            throw new ApiError(
              "bad_request",
              "a follow-up rule has nothing to replay: GET /api/v1/followups lists every follow-up of a range",
              [{ path: "kind", message: "only threshold rules can be backtested" }],
            );
          await checked(q.site, rule);
          const problem = backtestProblem(rule);
          if (problem)
            throw new ApiError("bad_request", problem, [{ path: "figure", message: problem }]);
          const config = await loadSiteConfig(ch, q.site);
          const { from, to } = parseRange(config.tz, q.from, q.to);
          const result = await backtest(ch, config, rule, {
            from_ms: from,
            to_ms: to,
            step_ms: q.step_s * 1000,
            hours: rule.mute_outside_hours ? await loadHours(ch, q.site) : undefined,
          });
          return c.json(backtestResult(q.site, rule, result));
        },
      )
      .get("/", validate("query", SiteQuery), async (c) => {
        const { site } = c.req.valid("query");
        allow(c, "rules", site);
        await requireSite(c, site);
        const rows = await runQuery(ch, loadRuleVersions, { sites: [site] });
        return c.json({ site, rules: currentRules([site], rows).get(site)! } satisfies RuleList);
      })
      .post("/", validate("query", SiteQuery), validate("json", RuleDraft), async (c) => {
        const { site } = c.req.valid("query");
        const p = allow(c, "rules", site);
        await requireSite(c, site);
        const draft = c.req.valid("json");
        await checked(site, draft);
        const id = `r-${randomBytes(5).toString("hex")}`;
        const rule = await write(site, id, 1, draft, p.name);
        await audit(c, "rule.create", { site, target: id, detail: { version: 1, rule: draft } });
        c.header("ETag", `"${rule.version}"`);
        return c.json(rule, 201);
      })
      .get("/:id", validate("param", IdParam), validate("query", SiteQuery), async (c) => {
        const { site } = c.req.valid("query");
        const { id } = c.req.valid("param");
        allow(c, "rules", site);
        await requireSite(c, site);
        const history = await ruleHistory(ch, site, id);
        if (history.versions.length === 0)
          throw new ApiError("not_found", `no rule "${id}" at site ${site}`);
        if (history.current) c.header("ETag", `"${history.current.version}"`);
        return c.json(history);
      })
      .put(
        "/:id",
        validate("param", IdParam),
        validate("query", SiteQuery),
        validate("json", RuleDraft),
        async (c) => {
          const { site } = c.req.valid("query");
          const { id } = c.req.valid("param");
          const p = allow(c, "rules", site);
          await requireSite(c, site);
          const draft = c.req.valid("json");
          const rule = await oneAtATime(site, id, async () => {
            const { rows, current } = await state(site, id);
            const version = nextVersion(site, id, rows);
            // A deleted rule can be put back (its history stays); an id never seen cannot be made up.
            if (version === 1)
              throw new ApiError("not_found", `no rule "${id}" at site ${site}; POST creates one`);
            // The latest version is the one this write replaces: the rule in force, or the deleted
            // version of a rule being put back (else no conditional put-back could succeed).
            ifMatch(c, "rule", version - 1, current ? "" : "(deleted)");
            await checked(site, draft);
            const written = await write(site, id, version, draft, p.name);
            await audit(c, "rule.update", { site, target: id, detail: { version, rule: draft } });
            return written;
          });
          c.header("ETag", `"${rule.version}"`);
          return c.json(rule);
        },
      )
      .delete("/:id", validate("param", IdParam), validate("query", SiteQuery), async (c) => {
        const { site } = c.req.valid("query");
        const { id } = c.req.valid("param");
        const p = allow(c, "rules", site);
        await requireSite(c, site);
        const version = await oneAtATime(site, id, async () => {
          const { rows, current } = await state(site, id);
          if (!current) throw new ApiError("not_found", `no rule "${id}" in force at site ${site}`);
          ifMatch(c, "rule", current.version);
          const next = nextVersion(site, id, rows);
          await writeRuleVersion(ch, {
            site,
            id,
            version: next,
            draft: null,
            by: p.name,
            at: opts.now(),
          });
          await audit(c, "rule.delete", { site, target: id, detail: { version: next } });
          return next;
        });
        return c.json({ site, id, version, deleted: true });
      })
  );
}
