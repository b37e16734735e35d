// The screen's geometry: a type scale from the viewport and the reading distance, and the slow
// drift of the static parts against burn-in. Pure: the component only writes the results to CSS.

/**
 * The root font size in px: 1/60 of the shorter side (18 px at 1080p, 36 px at 4K, so the header is
 * as readable on either), times a factor for the layout's reading distance (5 m reads 1×; 10 m
 * reads 1.25×, capped so a tile's contents still fit).
 */
export function rootFontPx(width: number, height: number, distanceM: number): number {
  const vmin = Math.max(0, Math.min(width, height));
  const d = Number.isFinite(distanceM) && distanceM > 0 ? distanceM : 5;
  const factor = Math.min(1.35, Math.max(0.85, Math.sqrt(d / 5) * 1.0));
  return Math.max(10, Math.round((vmin / 60) * factor * 100) / 100);
}

/**
 * The offset of the static parts at `nowMs`: a slow ellipse of at most `amplitudePx` (periods of
 * 13 and 17 minutes), so the same pixels do not show the same edges for weeks. It moves at most
 * a few hundredths of a pixel per second: never a visible jump.
 */
export function driftAt(nowMs: number, amplitudePx = 4): { x: number; y: number } {
  const t = nowMs / 1000;
  const x = amplitudePx * Math.sin((2 * Math.PI * t) / (13 * 60));
  const y = amplitudePx * Math.cos((2 * Math.PI * t) / (17 * 60));
  return { x: Math.round(x * 100) / 100, y: Math.round(y * 100) / 100 };
}
