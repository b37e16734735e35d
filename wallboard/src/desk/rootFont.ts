// The desk's root font (Shell.tsx sizes it from the viewport) as a signal for the charts: a canvas
// cannot follow rem, and uPlot reads its options once, so a chart is made with the size read here
// and made again (a keyed remount) when the rounded size changes, as when the window moves from a
// 1080p desk to a 4K panel; resizes that keep the size only resize it.
import { type Accessor, createSignal, onCleanup } from "solid-js";

export interface RootFont {
  /** The root font size, whole CSS px. */
  px: number;
  family: string;
}

function readRootFont(): RootFont {
  const style = getComputedStyle(document.documentElement);
  return {
    px: Math.round(Number.parseFloat(style.fontSize)) || 16,
    family: style.fontFamily || "sans-serif",
  };
}

export function createRootFont(): Accessor<RootFont> {
  const [font, setFont] = createSignal(readRootFont(), { equals: (a, b) => a.px === b.px });
  // Shell's resize listener was added when it mounted, before any screen's, so it has set the new
  // size by the time this one reads it.
  const update = () => setFont(readRootFont());
  window.addEventListener("resize", update);
  onCleanup(() => window.removeEventListener("resize", update));
  return font;
}
