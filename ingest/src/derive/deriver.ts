// After every flush: re-derive the facts of what the flush touched, from the stored events, and
// write the difference to what is stored (diff.ts). Runs before the flush's offsets are committed,
// so a crash re-reads the messages and derives again, which writes nothing twice. The parts:
// families.ts re-derives one fact family (and says which windows it reads), definitions-cache.ts
// keeps each site's definition versions, repair-suspects.ts the quarters to compare with the facts
// after an insert of facts failed; this file creates missing configuration and writes the rows.
import { channelDefaults, DEFAULT_TIME_ZONE } from "@floorwatch/contracts";
import {
  AGENT_CURRENT_TABLE,
  AGENT_INTERVALS_TABLE,
  CONTACT_FACTS_TABLE,
  insertRows,
  listSites,
  loadDefinedQueues,
  loadDefinitions,
  loadSites,
  OPEN_VISITS_TABLE,
  quartersOf,
  QUEUE_DEFINITIONS_TABLE,
  repairRollup,
  runQuery,
  SITES_TABLE,
  SURVEY_FACTS_TABLE,
  type ClickHouseClient,
  type QueueDefinitionRow,
  type SiteRow,
} from "@floorwatch/sql";
import { makeDefinitionsCache } from "./definitions-cache";
import type { SignedRow } from "./diff";
import type { AgentInterval, SurveyFact } from "./facts";
import {
  clickhouseReads,
  rederiveAgents,
  rederiveContacts,
  rederiveSurveys,
  touchedBy,
  type JudgedContactFact,
  type Touched,
} from "./families";
import { makeRepairSuspects } from "./repair-suspects";

export { judge, touchedBy, type JudgedContactFact, type Touched } from "./families";

export interface DeriveReport {
  contactFacts: number;
  agentIntervals: number;
  surveyFacts: number;
  retracted: number;
  /** Rollup cells repaired after an insert of facts had failed (rollup-repair.ts). */
  repairedCells: number;
}

export interface Deriver {
  derive(rowsByTable: ReadonlyMap<string, readonly object[]>): Promise<DeriveReport>;
  /** Quarters per site whose rollup is still to be compared with the facts (see `derive`). */
  pendingRepairs(): Map<string, number[]>;
}

/**
 * `auditHours`: before the first derivation, the last that many hours of every site are added to
 * the quarters to compare with the facts. A process that died with ClickHouse (the machine lost)
 * took its list of failed inserts with it; the one that starts next compares recent quarters.
 */
export function makeDeriver(
  ch: ClickHouseClient,
  opts: { settleMs?: number; auditHours?: number } = {},
): Deriver {
  // Sites and queues known to have a configuration; a miss costs one lookup, then never again.
  const knownSites = new Set<string>();
  const knownQueues = new Set<string>();
  const definitions = makeDefinitionsCache((site) => loadDefinitions(ch, site));
  const suspects = makeRepairSuspects((site, quarters) =>
    repairRollup(ch, site, quarters, { settleMs: opts.settleMs }),
  );
  const reads = clickhouseReads(ch);
  let audited = !opts.auditHours;

  // A process that died with ClickHouse took its list of failed inserts with it: the one that
  // starts next compares the recent quarters of every site.
  async function auditOnStart() {
    const last = Math.floor(Date.now() / 900_000) * 900;
    const quarters = Array.from({ length: opts.auditHours! * 4 }, (_, i) => last - i * 900);
    for (const { site } of await runQuery(ch, listSites, {})) suspects.add(site, quarters);
    audited = true;
  }

  async function insertFacts<R extends { site: string }>(
    table: string,
    rows: R[],
    quarters: (r: R) => number[],
  ) {
    try {
      await insertRows(ch, table, rows);
    } catch (err) {
      for (const r of rows) suspects.add(r.site, quarters(r));
      throw err;
    }
  }

  async function ensureConfig(queues: Touched["queues"]) {
    const newSites = [...queues.keys()].filter((s) => !knownSites.has(s));
    if (newSites.length > 0) {
      const have = new Set((await runQuery(ch, loadSites, { sites: newSites })).map((r) => r.site));
      const rows: SiteRow[] = newSites
        .filter((s) => !have.has(s))
        .map((site) => ({
          site,
          tz: DEFAULT_TIME_ZONE,
          name: site,
          updated_ms: 0,
          updated_by: "auto",
        }));
      await insertRows(ch, SITES_TABLE, rows);
      for (const s of newSites) knownSites.add(s);
    }
    const key = (site: string, q: string) => `${site}\u0000${q}`;
    const missing: [string, string, string][] = [];
    for (const [site, m] of queues)
      for (const [q, channel] of m)
        if (!knownQueues.has(key(site, q))) missing.push([site, q, channel]);
    if (missing.length === 0) return;
    const defined = new Set(
      (await runQuery(ch, loadDefinedQueues, { sites: [...new Set(missing.map(([s]) => s))] })).map(
        (r) => key(r.site, r.queue),
      ),
    );
    const rows: QueueDefinitionRow[] = missing
      .filter(([site, q, channel]) => !defined.has(key(site, q)) && channel !== "")
      .map(([site, queue, channel]) => ({
        site,
        queue,
        version: 1,
        valid_from_ms: 0,
        channel,
        ...channelDefaults(channel),
        name_zh: "",
        name_en: "",
        created_ms: 0,
        created_by: "auto",
      }));
    // Identical rows from two processes fold together: (site, queue, version 1, created_ms 0).
    await insertRows(ch, QUEUE_DEFINITIONS_TABLE, rows);
    for (const r of rows) definitions.forget(r.site);
    for (const [site, q, channel] of missing)
      if (defined.has(key(site, q)) || channel !== "") knownQueues.add(key(site, q));
  }

  return {
    async derive(rowsByTable) {
      const t = touchedBy(rowsByTable);
      if (!audited) await auditOnStart();
      await ensureConfig(t.queues);
      const contactRows: SignedRow<JudgedContactFact>[] = [];
      const agentRows: SignedRow<AgentInterval>[] = [];
      const surveyRows: SignedRow<SurveyFact>[] = [];
      for (const [site, spans] of t.contacts)
        contactRows.push(
          ...(await rederiveContacts(reads, site, spans, await definitions.versionsOf(site))),
        );
      const current: AgentInterval[] = [];
      for (const [site, spans] of t.agents) {
        const agents = await rederiveAgents(reads, site, spans);
        agentRows.push(...agents.rows);
        current.push(...agents.current);
      }
      for (const [site, spans] of t.surveys)
        surveyRows.push(...(await rederiveSurveys(reads, site, spans)));
      // One insert per table, each one block: a fact's -1 and +1 land together.
      const stored = (r: SignedRow<JudgedContactFact>) => ({
        ...r.fact,
        anchor_at: Math.floor(r.fact.anchor_ms / 1000),
        fact_id: r.fact_id,
        sign: r.sign,
      });
      // Open visits apart: the live snapshot reads only those (sql/migrations/0003_metrics.sql).
      await insertFacts(
        CONTACT_FACTS_TABLE,
        contactRows.filter((r) => r.fact.kind !== "open").map(stored),
        quartersOf,
      );
      await insertRows(
        ch,
        OPEN_VISITS_TABLE,
        contactRows.filter((r) => r.fact.kind === "open").map(stored),
      );
      await insertRows(
        ch,
        AGENT_CURRENT_TABLE,
        current.map(({ site, agent_id, from_ms, state, reason, queues, team, name }) => ({
          site,
          agent_id,
          from_ms,
          state,
          reason,
          queues,
          team,
          name,
        })),
      );
      await insertFacts(
        AGENT_INTERVALS_TABLE,
        agentRows.map((r) => ({
          ...r.fact,
          from_at: Math.floor(r.fact.from_ms / 1000),
          fact_id: r.fact_id,
          sign: r.sign,
        })),
        quartersOf,
      );
      await insertFacts(
        SURVEY_FACTS_TABLE,
        surveyRows.map((r) => ({
          ...r.fact,
          anchor_at: Math.floor(r.fact.anchor_ms / 1000),
          fact_id: r.fact_id,
          sign: r.sign,
        })),
        quartersOf,
      );
      const repairedCells = await suspects.repair();
      const all = [...contactRows, ...agentRows, ...surveyRows];
      return {
        contactFacts: contactRows.length,
        agentIntervals: agentRows.length,
        surveyFacts: surveyRows.length,
        retracted: all.filter((r) => r.sign < 0).length,
        repairedCells,
      };
    },
    pendingRepairs: () => suspects.pending(),
  };
}
