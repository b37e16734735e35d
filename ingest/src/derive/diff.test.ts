// Hand-computed expectations for diffFacts and factId: the sign rows that move every stored fact
// id's net count (sum of sign) to its derived count, 1 if derived, else 0.
import { describe, expect, it } from "vitest";
import { diffFacts } from "./diff";
import { factId, type AgentInterval, type ContactFact } from "./facts";

type F = { contact_id: string; duration_ms: number };
const A: F = { contact_id: "c-1", duration_ms: 17_400 };
const B: F = { duration_ms: 17_500, contact_id: "c-1" }; // A with a changed wait
const N: F = { contact_id: "c-2", duration_ms: 5_000 };
// sha1 of the canonical form (keys sorted, [key, value] pairs as JSON), first 24 hex digits:
// printf '%s' '[["contact_id","c-1"],["duration_ms",17400]]' | sha1sum
const ID_A = "057c737f2e312453965fd0bf";
// printf '%s' '[["contact_id","c-1"],["duration_ms",17500]]' | sha1sum
const ID_B = "e91b1f34fdbf281209ff918f";
// printf '%s' '[["contact_id","c-2"],["duration_ms",5000]]' | sha1sum
const ID_N = "c16dcea2297899afb04ce293";

const stored = (...entries: [string, F, number][]) =>
  new Map(entries.map(([id, fact, net]) => [id, { fact, net }] as const));

describe("factId", () => {
  it("is the first 24 hex digits of the sha1 of the sorted [key, value] pairs", () => {
    expect(factId(A)).toBe(ID_A);
    expect(factId(B)).toBe(ID_B);
    expect(factId(N)).toBe(ID_N);
  });

  it("is the same whatever the order of the keys", () => {
    expect(factId({ duration_ms: 17_400, contact_id: "c-1" })).toBe(ID_A);
    expect(factId({ a: 1, b: "x", c: [1, 2] })).toBe(factId({ c: [1, 2], b: "x", a: 1 }));
  });

  it("differs when any single value of a contact fact differs", () => {
    const fact: ContactFact = {
      site: "sh-pudong",
      kind: "visit",
      anchor_ms: 1_795_324_517_400,
      start_ms: 1_795_324_500_000,
      contact_id: "c-881",
      queue: "credit_card",
      channel: "voice",
      agent_id: "",
      outcome: "answered",
      duration_ms: 17_400,
      detail: "",
      tier: "vip",
      start_event_id: "e-1",
      end_event_id: "e-2",
    };
    const ids = new Set([factId(fact)]);
    for (const key of Object.keys(fact) as (keyof ContactFact)[]) {
      const value = fact[key];
      const changed = { ...fact, [key]: typeof value === "number" ? value + 1 : `${value}x` };
      ids.add(factId(changed));
    }
    // the original plus one distinct id per each of the 14 fields
    expect(ids.size).toBe(15);
  });

  it("differs when a value changes type or an agent's queues change", () => {
    expect(factId({ n: 1 })).not.toBe(factId({ n: "1" }));
    const interval: AgentInterval = {
      site: "s",
      agent_id: "a",
      from_ms: 1,
      to_ms: 0,
      state: "available",
      reason: "",
      queues: ["loans", "wealth"],
      team: "",
      name: "",
      event_id: "e",
    };
    expect(factId(interval)).not.toBe(factId({ ...interval, queues: ["loans"] }));
    expect(factId(interval)).not.toBe(factId({ ...interval, queues: ["wealth", "loans"] }));
    expect(factId(interval)).toBe(factId({ ...interval, queues: ["loans", "wealth"] }));
  });
});

describe("diffFacts", () => {
  it("writes nothing when the stored fact is derived unchanged", () => {
    expect(diffFacts(stored([ID_A, A, 1]), [A])).toEqual([]);
    expect(diffFacts(stored([ID_A, A, 1]), [{ duration_ms: 17_400, contact_id: "c-1" }])).toEqual(
      [],
    );
  });

  it("writes nothing when nothing is stored or derived", () => {
    expect(diffFacts(stored(), [])).toEqual([]);
  });

  it("adds a newly derived fact with +1", () => {
    expect(diffFacts(stored(), [N])).toEqual([{ fact: N, fact_id: ID_N, sign: 1 }]);
  });

  it("adds a fact derived twice only once", () => {
    expect(diffFacts(stored(), [N, { ...N }])).toEqual([{ fact: N, fact_id: ID_N, sign: 1 }]);
  });

  it("retracts a stored fact that is no longer derived with -1", () => {
    expect(diffFacts(stored([ID_A, A, 1]), [])).toEqual([{ fact: A, fact_id: ID_A, sign: -1 }]);
  });

  it("writes a changed fact as one -1 of the old and one +1 of the new", () => {
    expect(diffFacts(stored([ID_A, A, 1]), [B])).toEqual([
      { fact: A, fact_id: ID_A, sign: -1 },
      { fact: B, fact_id: ID_B, sign: 1 },
    ]);
  });

  it("mends a fact stored twice and still derived with one -1", () => {
    // net 2 → 1
    expect(diffFacts(stored([ID_A, A, 2]), [A])).toEqual([{ fact: A, fact_id: ID_A, sign: -1 }]);
  });

  it("retracts a fact stored twice and no longer derived with two -1", () => {
    // net 2 → 0
    expect(diffFacts(stored([ID_A, A, 2]), [])).toEqual([
      { fact: A, fact_id: ID_A, sign: -1 },
      { fact: A, fact_id: ID_A, sign: -1 },
    ]);
  });

  it("writes two +1 for a derived fact whose retraction arrived alone", () => {
    // net -1 → 1
    expect(diffFacts(stored([ID_A, A, -1]), [A])).toEqual([
      { fact: A, fact_id: ID_A, sign: 1 },
      { fact: A, fact_id: ID_A, sign: 1 },
    ]);
  });

  it("cancels a lone retraction of a fact no longer derived with one +1", () => {
    // net -1 → 0
    expect(diffFacts(stored([ID_A, A, -1]), [])).toEqual([{ fact: A, fact_id: ID_A, sign: 1 }]);
  });

  it("treats a stored fact of net 0 as absent", () => {
    expect(diffFacts(stored([ID_A, A, 0]), [])).toEqual([]);
    expect(diffFacts(stored([ID_A, A, 0]), [A])).toEqual([{ fact: A, fact_id: ID_A, sign: 1 }]);
  });

  it("handles kept, changed, duplicated and new facts of one contact together", () => {
    // A net 2 and derived: -1; B derived, not stored: +1; N net 1 and not derived: -1
    const rows = diffFacts(stored([ID_A, A, 2], [ID_N, N, 1]), [A, B]);
    expect(rows).toEqual([
      { fact: A, fact_id: ID_A, sign: -1 },
      { fact: N, fact_id: ID_N, sign: -1 },
      { fact: B, fact_id: ID_B, sign: 1 },
    ]);
  });
});
