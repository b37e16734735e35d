// Emulates the deriver's agent path over the corpus in arrival-order chunks and compares with one pass.
import { deriveAgentIntervals, diffFacts, factId, rowFor } from "@floorwatch/ingest";
import { makeCorpus } from "./test/support/corpus";
const H = 3600_000;
const events = makeCorpus({ site: "s", contacts: 4500, endMs: Date.now(), seed: "kill" }).filter(
  (e) => e.type === "agent.state_changed",
);
const rows = events.map((e) => rowFor(e, 0).row as any);
// stored facts: fact_id -> {fact, net}
const stored = new Map<string, { fact: any; net: number }>();
const inserted: any[] = [];
let seen: any[] = [];
for (let i = 0; i < rows.length; i += 97) {
  const batch = rows.slice(i, i + 97);
  seen = seen.concat(batch);
  const spans = new Map<string, { lo: number; hi: number }>();
  for (const r of batch) {
    const s = spans.get(r.agent_id);
    if (!s) spans.set(r.agent_id, { lo: r.occurred_ms, hi: r.occurred_ms });
    else {
      s.lo = Math.min(s.lo, r.occurred_ms);
      s.hi = Math.max(s.hi, r.occurred_ms);
    }
  }
  for (const [id, s] of spans) {
    const mine = seen.filter((r) => r.agent_id === id);
    const before = mine.reduce(
      (p: number, e: any) => (e.occurred_ms < s.lo && e.occurred_ms > p ? e.occurred_ms : p),
      -Infinity,
    );
    const from = Number.isFinite(before) ? before : s.lo;
    const inRegion = (f: { from_ms: number }) => f.from_ms >= from && f.from_ms <= s.hi + 24 * H;
    const derived = deriveAgentIntervals("s", id, mine).filter(inRegion);
    const current = new Map(
      [...stored].filter(([, v]) => v.fact.agent_id === id && inRegion(v.fact) && v.net !== 0),
    );
    for (const d of diffFacts(current, derived)) {
      const cur = stored.get(d.fact_id) ?? { fact: d.fact, net: 0 };
      cur.net += d.sign;
      stored.set(d.fact_id, cur);
    }
  }
}
const oneShot = new Map<string, any>();
const byAgent = new Map<string, any[]>();
for (const r of rows) byAgent.set(r.agent_id, [...(byAgent.get(r.agent_id) ?? []), r]);
for (const [id, list] of byAgent)
  for (const f of deriveAgentIntervals("s", id, list)) oneShot.set(factId(f), f);
const inc = new Map([...stored].filter(([, v]) => v.net !== 0));
let bad = 0;
for (const [id, v] of inc)
  if (v.net !== 1 || !oneShot.has(id)) {
    bad++;
    if (bad < 5) console.log("extra", v.net, v.fact);
  }
for (const [id, f] of oneShot)
  if (!inc.has(id)) {
    bad++;
    if (bad < 10) console.log("missing", f);
  }
console.log({ inc: inc.size, one: oneShot.size, bad });
