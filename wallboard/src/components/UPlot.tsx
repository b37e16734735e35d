// The one uPlot wrapper: the chart is created once, then only fed with setData and setSize, and
// destroyed with the component. Re-creating a chart per update leaks canvases and janks a TV.
import { createEffect, on, onCleanup, onMount } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface UPlotProps {
  /** Read once, when the chart is created; later changes are ignored. */
  options: Omit<uPlot.Options, "width" | "height">;
  data: uPlot.AlignedData;
  class?: string;
}

export function UPlot(props: UPlotProps) {
  let el!: HTMLDivElement;
  let chart: uPlot | undefined;

  const size = () => ({
    width: Math.max(1, Math.floor(el.clientWidth)),
    height: Math.max(1, Math.floor(el.clientHeight)),
  });

  onMount(() => {
    chart = new uPlot({ ...props.options, ...size() }, props.data, el);
    const ro = new ResizeObserver(() => chart?.setSize(size()));
    ro.observe(el);
    onCleanup(() => {
      ro.disconnect();
      chart?.destroy();
      chart = undefined;
    });
  });

  createEffect(
    on(
      () => props.data,
      (data) => chart?.setData(data),
      { defer: true },
    ),
  );

  return <div ref={el} class={props.class ? `uplot-host ${props.class}` : "uplot-host"} />;
}
