// ClickHouse's analyzer (on by default since 24.3, the only one from 26.9) refuses an alias
// declared twice in one SELECT unless both copies resolve identically, and has false positives for
// `expr AS name` repeated in SELECT and GROUP BY. 18.16 accepts either, so only reading the SQL
// text catches it here: every statement declares each alias once per scope and groups by the name.
import { describe, expect, it } from "vitest";
import type { SqlFragment } from "./escape";
import {
  agentWindowTime,
  factContactSums,
  factSurveySums,
  firstPublications,
  liveSignature,
  openAgentIntervals,
  openVisits,
  rollupHistograms,
  rollupSums,
} from "./queries/reports";
import { repairInsert, rollupCellsCompared, rollupParts } from "./queries/rollup";
import type { NamedQuery } from "./query";

/**
 * Aliases declared more than once in one scope: the text directly inside one pair of parentheses
 * (or the top level), split at UNION ALL, whose branches are separate SELECTs.
 */
export function duplicateAliases(text: string): string[] {
  const scopes: string[] = [""];
  const closed: string[] = [];
  for (const c of text) {
    if (c === "(") scopes.push("");
    else if (c === ")") {
      closed.push(scopes.pop() ?? "");
      scopes[scopes.length - 1] += " ";
    } else scopes[scopes.length - 1] += c;
  }
  closed.push(...scopes);
  const dups: string[] = [];
  for (const scope of closed)
    for (const select of scope.split(/\bUNION\s+ALL\b/i)) {
      const seen = new Set<string>();
      for (const m of select.matchAll(/\bAS\s+`?([A-Za-z_][A-Za-z0-9_]*)`?/gi)) {
        const name = m[1]!;
        if (seen.has(name)) dups.push(name);
        seen.add(name);
      }
    }
  return dups;
}

const HOUR = 3_600_000;
const range = {
  site: "s",
  tz: "Asia/Shanghai",
  from_ms: 1_780_000_000_000,
  to_ms: 1_780_000_000_000 + 24 * HOUR,
  queues: ["q1", "q2"],
  segments: [{ queue: "q1", version: 2, from_ms: 1_780_000_000_000 + HOUR }],
};
const froms = [range.to_ms - HOUR, range.to_ms - HOUR / 4];

// biome-ignore lint/suspicious/noExplicitAny: a table of queries of different parameter types
const built = (q: NamedQuery<any, any>, p: unknown): [string, string] => [
  q.name,
  q.build(q.params.parse(p)).text,
];

const statements: [string, string][] = [
  built(rollupSums, { ...range, grain: "1h" }),
  built(rollupSums, { ...range, grain: "1d", segments: [] }),
  built(rollupHistograms, { ...range, grain: "15m" }),
  built(factContactSums, { ...range, grain: "1h" }),
  built(factContactSums, { ...range, histograms: false }),
  built(factContactSums, { ...range, froms, histograms: false }),
  built(factContactSums, { ...range, froms, exact: true }),
  built(factSurveySums, range),
  built(factSurveySums, { ...range, froms }),
  built(agentWindowTime, { site: "s", froms, to_ms: range.to_ms }),
  built(openAgentIntervals, { site: "s", to_ms: range.to_ms, queue: "q1" }),
  built(openVisits, { site: "s", from_ms: range.from_ms, to_ms: range.to_ms }),
  built(firstPublications, { site: "s", grain: "1h", from_ms: 0, to_ms: range.to_ms }),
  built(liveSignature, { site: "s" }),
  built(rollupCellsCompared, { site: "s", quarters: [1_780_000_200, 1_780_001_100] }),
  built(rollupParts, { site: "s", from_s: 1_780_000_200, to_s: 1_780_001_100 }),
  [
    "repair_insert",
    (repairInsert as (...a: unknown[]) => SqlFragment)(
      [
        {
          site: "s",
          queue: "q1",
          quarter_s: 1_780_000_200,
          version: 1,
          sums: [1, 2],
          answered_hist: [[3], [1]],
          abandoned_hist: [[], []],
        },
      ],
      1,
    ).text,
  ],
];

describe("SQL aliases", () => {
  it("finds an alias declared twice in one scope, and none across scopes or UNION ALL branches", () => {
    expect(duplicateAliases("SELECT a + 1 AS x FROM t GROUP BY a + 1 AS x")).toEqual(["x"]);
    expect(duplicateAliases("SELECT 1 AS x FROM (SELECT 2 AS x) UNION ALL SELECT 3 AS x")).toEqual(
      [],
    );
    expect(duplicateAliases("SELECT CAST(a AS Int64) AS a2, CAST(b AS Int64) AS b2")).toEqual([]);
  });

  it.each(statements)("%s declares every alias once per SELECT", (_name, text) => {
    expect(duplicateAliases(text)).toEqual([]);
  });
});
