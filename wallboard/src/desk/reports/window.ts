// Which rows of a long table to put into the page: those in view and a screenful either side, so a
// fast scroll or a jump by keyboard shows rows, not blank space, before the next frame. Pure.

export interface RowRange {
  /** First row rendered (index into the sorted rows). */
  start: number;
  /** One past the last row rendered. */
  end: number;
}

export function visibleRange(
  rows: number,
  scrollTop: number,
  viewport: number,
  rowHeight: number,
): RowRange {
  const h = Math.max(1, rowHeight);
  const perScreen = Math.ceil(Math.max(viewport, h) / h);
  const first = Math.floor(Math.max(0, scrollTop) / h);
  return {
    start: Math.max(0, Math.min(first, rows) - perScreen),
    end: Math.min(rows, first + 2 * perScreen),
  };
}
