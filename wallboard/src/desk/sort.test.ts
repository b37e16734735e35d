import { describe, expect, it } from "vitest";
import { ariaSort, sortRows, toggledSort } from "./sort";

type Row = { id: string; v: number | string | null };
const rows: Row[] = [
  { id: "c", v: 2 },
  { id: "a", v: null },
  { id: "d", v: 10 },
  { id: "b", v: 2 },
];
const ids = (list: Row[]) => list.map((r) => r.id);
const value = (r: Row) => r.v;
const key = (r: Row) => r.id;

describe("table sorting", () => {
  it("orders numbers by size either way, empty values last, ties by row key", () => {
    expect(ids(sortRows(rows, value, key, "asc"))).toEqual(["b", "c", "d", "a"]);
    expect(ids(sortRows(rows, value, key, "desc"))).toEqual(["d", "b", "c", "a"]);
    expect(ids(rows)).toEqual(["c", "a", "d", "b"]);
  });

  it("orders text by the locale", () => {
    const text: Row[] = [
      { id: "1", v: "贷款" },
      { id: "2", v: "Cards" },
      { id: "3", v: "accounts" },
    ];
    expect(ids(sortRows(text, value, key, "asc"))).toEqual(["3", "2", "1"]);
  });

  it("sorts a column descending first, then the other way on each click", () => {
    const first = toggledSort(null, "wait");
    expect(first).toEqual({ id: "wait", dir: "desc" });
    expect(toggledSort(first, "wait")).toEqual({ id: "wait", dir: "asc" });
    expect(toggledSort({ id: "wait", dir: "asc" }, "wait")).toEqual({ id: "wait", dir: "desc" });
    expect(toggledSort(first, "queue")).toEqual({ id: "queue", dir: "desc" });
  });

  it("marks the sorted header for assistive technology", () => {
    expect(ariaSort({ id: "wait", dir: "asc" }, "wait")).toBe("ascending");
    expect(ariaSort({ id: "wait", dir: "desc" }, "wait")).toBe("descending");
    expect(ariaSort({ id: "wait", dir: "desc" }, "queue")).toBe("none");
    expect(ariaSort(null, "queue")).toBe("none");
  });
});
