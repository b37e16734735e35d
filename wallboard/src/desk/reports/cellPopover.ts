// Which figure cell's formula is open, and where: one popover for a table of thousands of cells,
// driven by listeners delegated from the table. Hover shows a cell's formula, focus shows it and
// keeps it while the focus stays (a stationary pointer over a table that scrolls under it must not
// steal it), a click or Enter pins it until Escape or a click elsewhere.
import { type Accessor, createMemo, createSignal, onCleanup } from "solid-js";

export type OpenedBy = "hover" | "focus" | "pin";

export interface OpenCell<F extends string> {
  key: string;
  figure: F;
  td: HTMLElement;
  by: OpenedBy;
}

/** The cell's box on screen (viewport coordinates). */
export interface CellPlace {
  top: number;
  bottom: number;
  left: number;
}

const POPOVER = ".formula-popover";
const inPopover = (el: EventTarget | null) => el instanceof Element && el.closest(POPOVER) !== null;

export function createCellPopover<F extends string>(
  isFigure: (col: string) => col is F,
  popoverId: string,
) {
  const [open, setOpen] = createSignal<OpenCell<F> | undefined>();
  let table: HTMLElement | undefined;
  const [moved, setMoved] = createSignal(0);

  /** Where the open cell is now; undefined once it scrolled out of the table's view. */
  const place: Accessor<CellPlace | undefined> = createMemo(() => {
    moved();
    const r = open()?.td.getBoundingClientRect();
    const view = table?.querySelector(".desk-table-wrap")?.getBoundingClientRect();
    if (!r || r.height === 0 || (view && (r.bottom <= view.top || r.top >= view.bottom)))
      return undefined;
    return { top: r.top, bottom: r.bottom, left: r.left };
  });

  const cellOf = (target: EventTarget | null) => {
    const td = target instanceof Element ? target.closest<HTMLElement>("td[data-col]") : null;
    const key = td?.closest<HTMLElement>("tr[data-key]")?.dataset.key;
    const figure = td?.dataset.col;
    if (!td || !key || !figure || !isFigure(figure)) return null;
    return { td, key, figure };
  };
  /** Opens the formula of the cell `target` is in; false when it is in no figure cell. */
  const show = (target: EventTarget | null, by: OpenedBy) => {
    const cell = cellOf(target);
    if (!cell) return false;
    const cur = open();
    if (by === "hover" && cur && cur.by !== "hover") return true;
    setOpen({ ...cell, by });
    cell.td.querySelector(".fig")?.setAttribute("aria-describedby", popoverId);
    return true;
  };
  const hide = () => setOpen(undefined);
  const hideIf = (by: OpenedBy) => {
    if (open()?.by === by) hide();
  };

  /** The table's delegated listeners (a ref callback). */
  const listen = (el: HTMLElement) => {
    table = el;
    el.addEventListener("mouseover", (e) => {
      if (!show(e.target, "hover")) hideIf("hover");
    });
    el.addEventListener("mouseleave", (e) => {
      if (!inPopover(e.relatedTarget)) hideIf("hover");
    });
    el.addEventListener("focusin", (e) => show(e.target, "focus"));
    el.addEventListener("focusout", (e) => {
      if (!inPopover(e.relatedTarget)) hideIf("focus");
    });
    el.addEventListener("click", (e) => {
      if (e.target instanceof Element && !e.target.closest("a")) show(e.target, "pin");
    });
    el.addEventListener("keydown", (e) => {
      if ((e.key === "Enter" || e.key === " ") && e.target instanceof HTMLSpanElement) {
        e.preventDefault();
        show(e.target, "pin");
      }
    });
  };

  /** The popover's own pointer leaving: back onto the table keeps it (the table decides). */
  const leftPopover = (e: MouseEvent) => {
    if (!(e.relatedTarget instanceof Node && table?.contains(e.relatedTarget))) hideIf("hover");
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") hide();
  };
  const onDocClick = (e: MouseEvent) => {
    if (open()?.by === "pin" && !inPopover(e.target) && !table?.contains(e.target as Node)) hide();
  };
  let frame = 0;
  const onScroll = () => {
    if (open() && !frame)
      frame = requestAnimationFrame(() => {
        frame = 0;
        setMoved((n) => n + 1);
      });
  };
  document.addEventListener("keydown", onKey);
  document.addEventListener("click", onDocClick);
  window.addEventListener("scroll", onScroll, true);
  onCleanup(() => {
    document.removeEventListener("keydown", onKey);
    document.removeEventListener("click", onDocClick);
    window.removeEventListener("scroll", onScroll, true);
    cancelAnimationFrame(frame);
  });

  return { open, place, listen, leftPopover, hide };
}
