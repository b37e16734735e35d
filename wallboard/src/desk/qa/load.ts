// Loading one API answer per address: when the address changes (a filter, the site) the request
// in flight is aborted and the new one made; the last answer stays on screen meanwhile, with the
// address it answered (`path`), so a screen says which filters the rows it shows belong to and
// a slow earlier answer never replaces a newer one.
import { QueueList } from "@floorwatch/contracts";
import { createEffect, createMemo, createSignal, on, onCleanup, untrack } from "solid-js";
import type { Api } from "../api";
import { queuesPath } from "../links";

export interface Loaded<T> {
  status: "idle" | "loading" | "ready" | "error";
  /** The address `data` answered (null before the first answer). */
  path: string | null;
  data: T | undefined;
  error: unknown;
}

export function createLoad<T>(
  path: () => string | null,
  fetch: (path: string, signal: AbortSignal) => Promise<T>,
) {
  const [state, setState] = createSignal<Loaded<T>>({
    status: "idle",
    path: null,
    data: undefined,
    error: undefined,
  });
  let inFlight: AbortController | undefined;
  const run = (p: string | null) => {
    inFlight?.abort();
    inFlight = undefined;
    if (p === null) {
      setState((s) => ({ ...s, status: "idle", error: undefined }));
      return;
    }
    const controller = new AbortController();
    inFlight = controller;
    setState((s) => ({ ...s, status: "loading", error: undefined }));
    fetch(p, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted)
          setState({ status: "ready", path: p, data, error: undefined });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ ...s, status: "error", error }));
      },
    );
  };
  // Through a memo: a change of something the address is made of that leaves it the same (another
  // tab's filter) asks nothing again.
  const address = createMemo(path);
  createEffect(on(address, run));
  onCleanup(() => inFlight?.abort());
  return { state, reload: () => run(untrack(address)) };
}

/**
 * A site's queues with their names in both languages (GET /sites/:site/queues), asked again when
 * the site changes: the QA list, a breach's page and a contact's page name queues from it. `list`
 * is empty until it answers (ids stand for names meanwhile).
 */
export function createQueueList(site: () => string, api: Pick<Api, "get">) {
  const load = createLoad(
    () => (site() ? queuesPath(site()) : null),
    (p, signal) => api.get(p, QueueList, { signal }),
  );
  return { ...load, list: () => load.state().data?.queues ?? [] };
}
