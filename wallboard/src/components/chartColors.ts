// The charts' colours, one set for the TV's trends, the supervisor's trend and the report's chart
// (each had its own copy, and the two desk charts' axes and grids had drifted a shade apart). The
// palette of styles.css: Okabe-Ito, which readers with a colour vision deficiency tell apart, on the
// dark panel; canvas strokes cannot read CSS variables, hence the values again here.

/** Okabe-Ito sky blue (`--blue`): a figure's line or bars. */
export const SKY = "#56b4e9";
/** Sky blue at `alpha`: the fill under a line, or bars drawn as fill. */
export const skyFill = (alpha: number) => `rgba(86, 180, 233, ${alpha})`;
/** Okabe-Ito bluish green (`--green`): a second figure beside bars in sky blue. */
export const GREEN = "#009e73";
/** A target, drawn dashed in light grey. */
export const TARGET = "#c9d3de";
/** Axis labels (`--muted`). */
export const AXIS = "#a3b0bf";
/** Grid lines and ticks (`--panel-edge`). */
export const GRID = "#1f2833";
