// Writes of versioned configuration (alert rules, TV layouts): each write stores the next version,
// optionally conditional on If-Match, one at a time per item in this process.
import type { Context } from "hono";
import { ApiError } from "../errors";
import type { AppEnv } from "../types";

/**
 * 409 unless If-Match names `version`, the one this write replaces (no If-Match, or "*": any).
 * `what` names the item in the messages ("rule"); `state` follows its version ("(deleted)").
 */
export function ifMatch(c: Context<AppEnv>, what: string, version: number, state = "") {
  const want = c.req.header("if-match")?.replace(/"/g, "").trim();
  if (want === undefined || want === "*") return;
  if (!/^\d+$/.test(want))
    throw new ApiError("bad_request", `If-Match must be the ${what} version being edited`, [
      { path: "If-Match", message: "must be a version number" },
    ]);
  if (Number(want) !== version)
    throw new ApiError(
      "conflict",
      `the ${what} is at version ${version}${state ? ` ${state}` : ""}, not ${want}; read it again`,
    );
}

/**
 * Runs the writes of one item (site and id) one after another in this process. Without it,
 * concurrent PUTs that all sent If-Match: "1" all read version 1, all passed, all wrote version 2
 * (ReplacingMergeTree kept one) and all answered 200, each with whichever body won: edits silently
 * lost. ClickHouse has no compare-and-set, so writers in two API processes can still race; one
 * process cannot.
 */
export function oneWriteAtATime() {
  const writing = new Map<string, Promise<unknown>>();
  return <T>(site: string, id: string, f: () => Promise<T>): Promise<T> => {
    const key = `${site}\u0000${id}`;
    const run = (writing.get(key) ?? Promise.resolve()).then(f);
    const tail = run.catch(() => undefined);
    writing.set(key, tail);
    void tail.then(() => {
      if (writing.get(key) === tail) writing.delete(key);
    });
    return run;
  };
}
