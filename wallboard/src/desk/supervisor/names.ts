// Queue names by id in the language read, for the panels that name queues the live snapshot
// knows. A snapshot every two seconds with the same names is no change: the cells that show them
// are not written again.
import type { LiveSnapshot } from "@floorwatch/contracts";
import { type Accessor, createMemo } from "solid-js";
import { useDesk } from "../context";
import { queueName } from "../../names";

export function createQueueNames(
  live: () => LiveSnapshot | undefined,
): Accessor<ReadonlyMap<string, string>> {
  const desk = useDesk();
  return createMemo(
    () => {
      const lang = desk.lang();
      return new Map((live()?.queues ?? []).map((q) => [q.queue, queueName(q.queue, q, lang)]));
    },
    new Map<string, string>(),
    { equals: (a, b) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v) },
  );
}
