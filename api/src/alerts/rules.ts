// Alert rules of a site: the defaults (defaults.ts) as version 1, and every stored version
// (sql/migrations/0009_alerts.sql alert_rules). An edit inserts the next version, a delete a
// deleted version; nothing is rewritten, so every alert names a version that can still be read.
import { RuleDraft, type Rule, type RuleVersions } from "@floorwatch/contracts";
import {
  ALERT_RULES_TABLE,
  insertRows,
  loadRuleVersions,
  runQuery,
  type AlertRuleRow,
  type ClickHouseClient,
} from "@floorwatch/sql";
import { DEFAULT_RULES } from "./defaults";

/** When the defaults count as written: they are in force from the start of time. */
const SHIPPED = "1970-01-01T00:00:00.000Z";
const SHIPPED_BY = "floorwatch (default)";

type VersionRow = Pick<
  AlertRuleRow,
  "site" | "rule_id" | "version" | "deleted" | "body" | "created_ms" | "created_by"
>;

const clone = <T>(x: T): T => structuredClone(x);

/**
 * Stored bodies parsed once: the evaluator reads every rule of every site each tick, and parsing a
 * thousand bodies again each time cost more than the tick's observations. Bounded: a body is a
 * few hundred bytes, and the cache starts over past 20,000 of them.
 */
const parsed = new Map<string, RuleDraft | null>();

function parseBody(body: string): RuleDraft | null {
  const hit = parsed.get(body);
  if (hit !== undefined) return hit === null ? null : clone(hit);
  let rule: RuleDraft | null = null;
  try {
    const r = RuleDraft.safeParse(JSON.parse(body));
    rule = r.success ? r.data : null;
  } catch {
    rule = null;
  }
  if (parsed.size >= 20_000) parsed.clear();
  parsed.set(body, rule);
  return rule === null ? null : clone(rule);
}

/** Every version of one rule, oldest first (the default's version 1 included). */
export function versionsOf(site: string, id: string, rows: readonly VersionRow[]) {
  const stored = rows
    .filter((r) => r.site === site && r.rule_id === id)
    .sort((a, b) => a.version - b.version)
    .map((r) => ({
      version: r.version,
      deleted: r.deleted === 1,
      rule: r.deleted === 1 ? null : parseBody(r.body),
      at: new Date(r.created_ms).toISOString(),
      by: r.created_by,
    }));
  const builtin = DEFAULT_RULES[id];
  if (builtin && !stored.some((v) => v.version === 1))
    stored.unshift({
      version: 1,
      deleted: false,
      rule: clone(builtin),
      at: SHIPPED,
      by: SHIPPED_BY,
    });
  return stored;
}

/** The rules in force per site: the defaults, then each rule's latest stored version. Pure. */
export function currentRules(
  sites: readonly string[],
  rows: readonly VersionRow[],
): Map<string, Rule[]> {
  // Each rule's latest stored version, found in one pass (a thousand rules a tick).
  const latest = new Map<string, VersionRow>();
  for (const r of rows) {
    const key = `${r.site}\u0000${r.rule_id}`;
    const seen = latest.get(key);
    if (!seen || r.version > seen.version) latest.set(key, r);
  }
  const out = new Map<string, Rule[]>();
  for (const site of sites) out.set(site, []);
  const add = (
    site: string,
    id: string,
    rule: RuleDraft,
    version: number,
    at: string,
    by: string,
  ) =>
    out.get(site)?.push({
      ...rule,
      id,
      site,
      version,
      builtin: id in DEFAULT_RULES,
      updated_at: at,
      updated_by: by,
    } as Rule);
  for (const site of sites)
    for (const [id, rule] of Object.entries(DEFAULT_RULES))
      if (!latest.has(`${site}\u0000${id}`)) add(site, id, clone(rule), 1, SHIPPED, SHIPPED_BY);
  for (const r of latest.values()) {
    if (!out.has(r.site) || r.deleted === 1) continue;
    const rule = parseBody(r.body);
    if (rule)
      add(r.site, r.rule_id, rule, r.version, new Date(r.created_ms).toISOString(), r.created_by);
  }
  for (const rules of out.values()) rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}

export async function loadRules(
  ch: ClickHouseClient,
  sites: readonly string[],
): Promise<Map<string, Rule[]>> {
  if (sites.length === 0) return new Map();
  const rows = await runQuery(ch, loadRuleVersions, { sites: [...sites] });
  return currentRules(sites, rows);
}

export async function ruleHistory(
  ch: ClickHouseClient,
  site: string,
  id: string,
): Promise<RuleVersions> {
  const rows = await runQuery(ch, loadRuleVersions, { sites: [site], rule_id: id });
  const current =
    currentRules([site], rows)
      .get(site)!
      .find((r) => r.id === id) ?? null;
  return { site, id, current, versions: versionsOf(site, id, rows) };
}

/** The version a write of rule `id` gets: one past the latest stored or shipped. */
export function nextVersion(site: string, id: string, rows: readonly VersionRow[]): number {
  return (versionsOf(site, id, rows).at(-1)?.version ?? 0) + 1;
}

/** Stores a new version of a rule (a draft) or its deletion (null). */
export async function writeRuleVersion(
  ch: ClickHouseClient,
  row: {
    site: string;
    id: string;
    version: number;
    draft: RuleDraft | null;
    by: string;
    at: number;
  },
): Promise<void> {
  await insertRows(ch, ALERT_RULES_TABLE, [
    {
      site: row.site,
      rule_id: row.id,
      version: row.version,
      deleted: row.draft ? 0 : 1,
      body: row.draft ? JSON.stringify(row.draft) : "",
      created_ms: row.at,
      created_by: row.by,
    } satisfies AlertRuleRow,
  ]);
}
