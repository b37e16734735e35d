// A polled panel's trouble and first wait, said alike by the supervisor's panels: the last
// failure with a Retry (a refusal stops the polling until then), and "Loading…" until the first
// answer where the panel has nothing else to show meanwhile.
import { type JSX, Show } from "solid-js";
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

/** A list panel's header: its title, and its counts once the first answer is in. */
export function CountedHead(props: {
  title: string;
  polled: Polled<unknown>;
  countTestid: string;
  count: () => JSX.Element;
}) {
  return (
    <>
      <header class="sup-head">
        <h2>{props.title}</h2>
        <span class="desk-spacer" />
        <Show when={props.polled.value()}>
          <span class="muted" data-testid={props.countTestid}>
            {props.count()}
          </span>
        </Show>
      </header>
      <PollState polled={props.polled} loading />
    </>
  );
}
