// One figure of a tile: its label, its value (the exact text of `data-metric`) and its state by
// colour, icon and text. A short pulse when the state changes, never a constant blink.
import type { TvState } from "@floorwatch/contracts";
import { createEffect, createMemo, on, Show } from "solid-js";
import { figureLabel, formatFigure, showsSlTarget } from "../figures";
import type { Lang, Translate } from "../i18n";
import { StateIcon } from "./icons";

export interface FigureProps {
  figure: string;
  value: number | null | undefined;
  state: TvState;
  slTarget: number | null;
  lang: Lang;
  t: Translate;
}

export function Figure(props: FigureProps) {
  let el!: HTMLDivElement;
  // Only a change pulses (not the first paint), once: the class is taken off and put back so a
  // second change within the animation restarts it.
  // A memo, so that a new frame with the same state is no change (`on` alone runs on every frame).
  const state = createMemo(() => props.state);
  createEffect(
    on(
      state,
      () => {
        el.classList.remove("pulse");
        void el.offsetWidth; // restart the animation
        el.classList.add("pulse");
      },
      { defer: true },
    ),
  );
  const stateText = () =>
    props.state === "breach"
      ? props.t("stateBreach")
      : props.state === "warning"
        ? props.t("stateWarning")
        : "";
  const target = () =>
    showsSlTarget(props.figure) && props.slTarget !== null
      ? props.t("target", { value: formatFigure("service_level", props.slTarget) })
      : "";

  return (
    <div
      ref={el}
      class="fig"
      data-figure={props.figure}
      data-state={props.state}
      onAnimationEnd={() => el.classList.remove("pulse")}
    >
      <div class="fig-label">{figureLabel(props.figure, props.lang)}</div>
      <div class="fig-value" data-metric={props.figure} data-state={props.state}>
        {formatFigure(props.figure, props.value)}
      </div>
      <div class="fig-note">
        <Show when={props.state !== "ok"}>
          <span class="fig-state" data-testid="figure-state">
            <StateIcon state={props.state} />
            {stateText()}
          </span>
        </Show>
        <Show when={target()}>
          <span class="fig-target">{target()}</span>
        </Show>
      </div>
    </div>
  );
}
