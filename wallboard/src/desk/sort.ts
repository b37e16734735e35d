// How the desk's tables sort (parts.tsx's Table and the report's WindowedTable alike): by any
// column on a header click, the same column again the other way; empty values last either way;
// equal values in the order of their row keys, so a refresh never shuffles rows that tie.
import { createMemo, createSignal } from "solid-js";
import type { TableProps } from "./parts";

export type SortDir = "asc" | "desc";
export interface SortState {
  id: string;
  dir: SortDir;
}

type Value = number | string | null | undefined;

/** `rows` ordered by `value` in `dir` (a new array; `rows` is left as it is). */
export function sortRows<R>(
  rows: readonly R[],
  value: (row: R) => Value,
  key: (row: R) => string,
  dir: SortDir,
): R[] {
  const sign = dir === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === y) return key(a) < key(b) ? -1 : 1;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    if (typeof x === "number" && typeof y === "number") return (x - y) * sign;
    return String(x).localeCompare(String(y)) * sign;
  });
}

/** The sort a header click asks for: `id` descending first, then the other way each time. */
export const toggledSort = (current: SortState | null, id: string): SortState => ({
  id,
  dir: current?.id === id && current.dir === "desc" ? "asc" : "desc",
});

/** A header's `aria-sort` under `sort`. */
export const ariaSort = (sort: SortState | null, id: string) =>
  sort?.id === id ? (sort.dir === "asc" ? "ascending" : "descending") : "none";

/**
 * A table's sorting state: the sort, its toggle, the row keys in order and each key's row (rows
 * keyed, so a re-sort moves row elements instead of rebuilding them).
 */
export function createTableSort<R>(
  props: Pick<TableProps<R>, "columns" | "rows" | "key" | "initialSort">,
) {
  const [sort, setSort] = createSignal<SortState | null>(props.initialSort ?? null);
  const sorted = createMemo(() => {
    const s = sort();
    const col = s && props.columns.find((c) => c.id === s.id);
    return s && col ? sortRows(props.rows, col.value, props.key, s.dir) : props.rows;
  });
  const byKey = createMemo(() => new Map(props.rows.map((r) => [props.key(r), r])));
  const keys = createMemo(() => sorted().map(props.key));
  return { sort, toggle: (id: string) => setSort((s) => toggledSort(s, id)), keys, byKey };
}
