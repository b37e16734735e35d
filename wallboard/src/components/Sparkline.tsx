// A queue's waiting count over the last minutes, as a small step chart without axes.
import uPlot from "uplot";
import type { Series } from "../history";
import { UPlot } from "./UPlot";

// Counts change in whole steps; a sloped line would suggest 2.5 callers between two polls.
const stepped = uPlot.paths.stepped?.({ align: 1 });

export interface SparklineProps {
  data: Series;
  /** Width of the time window in seconds; the newest point sits at the right edge. */
  windowS: number;
  label: string;
}

export function Sparkline(props: SparklineProps) {
  // Read once by the wrapper, as its options are.
  const windowS = props.windowS;
  const options: Omit<uPlot.Options, "width" | "height"> = {
    pxAlign: false,
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    legend: { show: false },
    padding: [6, 2, 2, 2],
    scales: {
      // A fixed window, so a queue that just appeared does not stretch one minute over the width.
      x: {
        time: false,
        range: (_u, _min, max) => (max == null ? [0, windowS] : [max - windowS, max]),
      },
      // At least 0..5, so one caller does not look like a flood.
      y: { range: (_u, _min, max) => [0, Math.max(5, max ?? 0)] },
    },
    axes: [{ show: false }, { show: false }],
    series: [
      {},
      {
        stroke: "#5cb8ff",
        fill: "rgba(92, 184, 255, 0.18)",
        width: 3,
        points: { show: false },
        spanGaps: false,
        paths: stepped,
      },
    ],
  };

  return (
    <figure class="spark" aria-label={props.label}>
      <UPlot options={options} data={props.data} class="spark-plot" />
      <figcaption>{props.label}</figcaption>
    </figure>
  );
}
