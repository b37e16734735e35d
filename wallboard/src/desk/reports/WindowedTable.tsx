// A sortable, keyed table that puts only the rows in view (and a screenful either side) into the
// page: a month of 50 queues is 1,550 rows × 19 cells, and laying out 29,000 cells took seconds on
// every first paint, sort and language switch. Every row is still there to sort and to scroll to;
// the rows out of view are two spacer rows of the right height. Columns, hooks (`data-testid`,
// `data-rows`, `data-key`, `data-col`, `aria-sort`), header, cells and sorting are parts.tsx's
// Table's own (HeaderCells, RowCells, EmptyRow, sort.ts).
import { createEffect, createMemo, createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { EmptyRow, HeaderCells, RowCells, type TableProps } from "../parts";
import { createTableSort } from "../sort";
import { visibleRange } from "./window";

export function WindowedTable<R>(props: TableProps<R>) {
  const { sort, toggle, keys, byKey } = createTableSort(props);

  let wrap!: HTMLDivElement;
  let body!: HTMLTableSectionElement;
  const [scrollTop, setScrollTop] = createSignal(0);
  const [viewport, setViewport] = createSignal(800);
  // Rows are one line high (no wrapping); measured from a rendered row, the first guess a 2rem row.
  const [rowHeight, setRowHeight] = createSignal(32);
  let frame = 0;
  const onScroll = () => {
    if (!frame)
      frame = requestAnimationFrame(() => {
        frame = 0;
        setScrollTop(wrap.scrollTop);
      });
  };
  onMount(() => {
    setViewport(wrap.clientHeight || window.innerHeight);
    const ro = new ResizeObserver(() => setViewport(wrap.clientHeight || window.innerHeight));
    ro.observe(wrap);
    onCleanup(() => {
      ro.disconnect();
      cancelAnimationFrame(frame);
    });
  });
  createEffect(() => {
    keys();
    const first = body?.querySelector<HTMLElement>("tr[data-key]");
    if (first?.offsetHeight) setRowHeight(first.offsetHeight);
  });

  const range = createMemo(() => visibleRange(keys().length, scrollTop(), viewport(), rowHeight()));
  const shownKeys = createMemo(() => keys().slice(range().start, range().end));

  return (
    <div class="desk-table-wrap windowed" ref={wrap} onScroll={onScroll}>
      <table
        class="desk-table"
        data-testid={props.testid}
        data-rows={props.rows.length}
        aria-rowcount={props.rows.length + 1}
      >
        <thead>
          <tr aria-rowindex={1}>
            <HeaderCells columns={props.columns} sort={sort()} toggle={toggle} />
          </tr>
        </thead>
        <tbody ref={body}>
          <Show when={range().start > 0}>
            <tr class="spacer">
              <td
                colSpan={props.columns.length}
                style={{ height: `${range().start * rowHeight()}px` }}
              />
            </tr>
          </Show>
          <For
            each={shownKeys()}
            fallback={<EmptyRow columns={props.columns.length} text={props.empty} />}
          >
            {(k, i) => {
              const row = () => byKey().get(k) as R;
              return (
                <tr
                  data-key={k}
                  aria-rowindex={range().start + i() + 2}
                  {...(props.rowAttrs?.(row()) ?? {})}
                  classList={{
                    clickable: props.onRowClick !== undefined,
                    alt: (range().start + i()) % 2 === 1,
                  }}
                  onClick={() => props.onRowClick?.(row())}
                >
                  <RowCells columns={props.columns} row={row} />
                </tr>
              );
            }}
          </For>
          <Show when={range().end < keys().length}>
            <tr class="spacer">
              <td
                colSpan={props.columns.length}
                style={{ height: `${(keys().length - range().end) * rowHeight()}px` }}
              />
            </tr>
          </Show>
        </tbody>
      </table>
    </div>
  );
}
