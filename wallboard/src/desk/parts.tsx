// Pieces every desk screen uses: the screen's root (its test hook and "ready" mark for the first
// meaningful paint), the error panel, and the sortable table.
import { createEffect, createMemo, For, type JSX, Show } from "solid-js";
import { errorText } from "./api";
import { useDesk } from "./context";
import { common, useT } from "./i18n";
import { ariaSort, createTableSort, type SortState } from "./sort";

/**
 * A screen's root: `data-screen="<name>"`, and `data-ready="true"` with a performance mark
 * `floorwatch:ready:<name>` once its first meaningful content (the data it exists for) is on
 * screen. The bench and the browser tests wait for that mark, not for a timer.
 */
export function ScreenRoot(props: { name: string; ready: boolean; children: JSX.Element }) {
  let marked = false;
  createEffect(() => {
    if (props.ready && !marked) {
      marked = true;
      // After the browser has painted the frame that shows the data.
      requestAnimationFrame(() =>
        setTimeout(() => performance.mark(`floorwatch:ready:${props.name}`), 0),
      );
    }
  });
  return (
    <section
      class="desk-screen"
      data-screen={props.name}
      data-ready={props.ready ? "true" : "false"}
    >
      {props.children}
    </section>
  );
}

export function ErrorPanel(props: { error: unknown; retry?: () => void }) {
  const t = useT(common);
  return (
    <div class="desk-error" role="alert" data-testid="error">
      <span>{t("error", { message: errorText(props.error, t) })}</span>
      <Show when={props.retry}>
        <button type="button" onClick={() => props.retry?.()}>
          {t("retry")}
        </button>
      </Show>
    </div>
  );
}

export interface Column<R> {
  /** Stable id: the header's `data-col` and the sort key. */
  id: string;
  label: string;
  /** The value sorted by (null sorts last either way). */
  value: (row: R) => number | string | null | undefined;
  /** What the cell shows; default the value as text. */
  render?: (row: R) => JSX.Element;
  align?: "start" | "end";
  title?: string;
}

/** A desk table's rows, columns and hooks (Table here, the report's WindowedTable alike). */
export interface TableProps<R> {
  columns: Column<R>[];
  rows: R[];
  key: (row: R) => string;
  initialSort?: SortState;
  testid?: string;
  rowAttrs?: (row: R) => Record<string, string | undefined>;
  onRowClick?: (row: R) => void;
  empty?: string;
}

/**
 * A table of every row (no cap, no paging: the screens are bounded by what the API answers), sorted
 * by any column on a click (again: the other way), `aria-sort` on the sorted header. Rows keyed by
 * `key`: a refresh with new row objects keeps every row and cell element and only re-renders
 * cell contents, and a re-sort moves rows instead of rebuilding them.
 */
export function Table<R>(props: TableProps<R>) {
  const { sort, toggle, keys, byKey } = createTableSort(props);
  return (
    <div class="desk-table-wrap">
      <table class="desk-table" data-testid={props.testid} data-rows={props.rows.length}>
        <thead>
          <tr>
            <HeaderCells columns={props.columns} sort={sort()} toggle={toggle} />
          </tr>
        </thead>
        <tbody>
          <For
            each={keys()}
            fallback={<EmptyRow columns={props.columns.length} text={props.empty} />}
          >
            {(k) => {
              // A memo: a refresh that hands back the same row object re-renders none of its cells.
              const row = createMemo(() => byKey().get(k) as R);
              return (
                <tr
                  data-key={k}
                  {...(props.rowAttrs?.(row()) ?? {})}
                  class={props.onRowClick ? "clickable" : undefined}
                  onClick={() => props.onRowClick?.(row())}
                >
                  <RowCells columns={props.columns} row={row} />
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
    </div>
  );
}

/** A sortable table's header cells: `data-col`, `aria-sort`, and a button that sorts (sort.ts). */
export function HeaderCells<R>(props: {
  columns: Column<R>[];
  sort: SortState | null;
  toggle: (id: string) => void;
}) {
  return (
    <For each={props.columns}>
      {(c) => (
        <th
          data-col={c.id}
          class={c.align === "end" ? "num" : undefined}
          title={c.title}
          aria-sort={ariaSort(props.sort, c.id)}
        >
          <button type="button" onClick={() => props.toggle(c.id)}>
            {c.label}
          </button>
        </th>
      )}
    </For>
  );
}

/** A row's cells (`data-col`): a column's render, else its value as text. */
export function RowCells<R>(props: { columns: Column<R>[]; row: () => R }) {
  return (
    <For each={props.columns}>
      {(c) => (
        <td data-col={c.id} class={c.align === "end" ? "num" : undefined}>
          {c.render ? c.render(props.row()) : String(c.value(props.row()) ?? "")}
        </td>
      )}
    </For>
  );
}

/** The row a table shows when it has none: the screen's own words, else "Nothing to show". */
export function EmptyRow(props: { columns: number; text?: string }) {
  const t = useT(common);
  return (
    <tr>
      <td class="desk-empty" colSpan={props.columns}>
        {props.text ?? t("none")}
      </td>
    </tr>
  );
}

/** A list's CSV export, offered only to a token that may export (the server is still the judge). */
export function ExportButton(props: {
  testid: string;
  disabled: boolean;
  onClick: () => void;
  children: JSX.Element;
}) {
  const desk = useDesk();
  return (
    <Show when={desk.me()?.capabilities.includes("export")}>
      <button
        type="button"
        data-testid={props.testid}
        disabled={props.disabled}
        onClick={() => props.onClick()}
      >
        {props.children}
      </button>
    </Show>
  );
}
