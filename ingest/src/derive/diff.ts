// What to write so that the stored facts become the derived ones: for every fact id, the stored
// net count (sum of sign) moves to the derived count (0 or 1). Re-deriving unchanged data writes
// nothing; a changed fact is one -1 and one +1; and a fact stored twice (two processes deriving
// the same contact during a rebalance) is mended by a -1, not left to double a figure.
import { factId } from "./facts";

export interface SignedRow<F> {
  fact: F;
  fact_id: string;
  sign: 1 | -1;
}

export function diffFacts<F extends object>(
  stored: ReadonlyMap<string, { fact: F; net: number }>,
  derived: readonly F[],
): SignedRow<F>[] {
  const want = new Map<string, F>();
  for (const f of derived) want.set(factId(f), f);
  const out: SignedRow<F>[] = [];
  for (const [id, { fact, net }] of stored) {
    const target = want.has(id) ? 1 : 0;
    for (let n = net; n > target; n--) out.push({ fact, fact_id: id, sign: -1 });
    for (let n = net; n < target; n++) out.push({ fact, fact_id: id, sign: 1 });
  }
  for (const [id, fact] of want) if (!stored.has(id)) out.push({ fact, fact_id: id, sign: 1 });
  return out;
}
