// How many columns the queue grid gets. The whole floor reads one screen, so there is no
// scrolling: tiles share the area, and the numbers grow with the tiles.

export interface GridShape {
  cols: number;
  rows: number;
}

/**
 * The column count that makes the tiles largest, given the area and the tile shape that suits
 * the content (`tileAspect` = ideal width / height; two numbers side by side plus a sparkline).
 */
export function gridShape(
  count: number,
  width: number,
  height: number,
  tileAspect = 1.6,
): GridShape {
  if (count <= 0 || width <= 0 || height <= 0) return { cols: 1, rows: 1 };
  let best: GridShape = { cols: 1, rows: count };
  let bestScale = -1;
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    // The largest tile of the ideal shape that fits in one cell.
    const scale = Math.min(width / cols / tileAspect, height / rows);
    if (scale > bestScale + 1e-9) {
      bestScale = scale;
      best = { cols, rows };
    }
  }
  return best;
}
