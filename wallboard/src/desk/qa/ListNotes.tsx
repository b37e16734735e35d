// The notes above each QA list's table (breaches, follow-ups): the list's failure with a Retry,
// and that the list stopped at the API's limit, so rows left out are never silently missing.
import { Show } from "solid-js";
import { useT } from "../i18n";
import { ErrorPanel } from "../parts";
import { LIST_LIMIT } from "./filters";
import type { Loaded } from "./load";
import { qaWords } from "./words";

export function ListNotes(props: {
  load: { state: () => Loaded<unknown>; reload: () => void };
  rows: number;
}) {
  const t = useT(qaWords);
  return (
    <>
      <Show when={props.load.state().status === "error"}>
        <ErrorPanel error={props.load.state().error} retry={props.load.reload} />
      </Show>
      <Show when={props.rows >= LIST_LIMIT}>
        <p class="state-warning" data-testid="limit-reached">
          {t("limitReached", { n: LIST_LIMIT })}
        </p>
      </Show>
    </>
  );
}
