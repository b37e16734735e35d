// A polled panel's trouble and first wait, said alike by the supervisor's panels: the last
// failure with a Retry (a refusal stops the polling until then), and "Loading…" until the first
// answer where the panel has nothing else to show meanwhile.
import { Show } from "solid-js";
import { common, useT } from "../i18n";
import { ErrorPanel } from "../parts";
import type { Polled } from "./polled";

export function PollState(props: { polled: Polled<unknown>; loading?: boolean }) {
  const c = useT(common);
  return (
    <>
      <Show when={props.polled.error()}>
        <ErrorPanel error={props.polled.error()} retry={() => props.polled.refresh()} />
      </Show>
      <Show when={props.loading && !props.polled.value() && !props.polled.error()}>
        <p class="desk-loading">{c("loading")}</p>
      </Show>
    </>
  );
}
