// TV layouts (issue #12): GET /layouts?site=, GET/PUT/DELETE /layouts/:id?site=. Admins and
// supervisors read them (config.read); admins write them (config.write). A PUT creates a layout
// or stores its next version (If-Match: <version> makes it conditional: 409 when someone else
// wrote first); a DELETE stores a deleted version, after which the screens show the default.
// Every write is audited and reaches the open screens at once (broadcaster.refresh): no reload.
import {
  Channel,
  figureProblem,
  LayoutDraft,
  LayoutParams,
  LayoutQuery,
  type LayoutList,
  type RuleWindow,
} from "@floorwatch/contracts";
import { Hono } from "hono";
import type { Audit } from "../auth/audit";
import { allow } from "../auth/middleware";
import { ApiError, type Issue } from "../errors";
import type { Broadcaster } from "../live/broadcast";
import type { LayoutStore } from "../live/layouts";
import { splitFigure } from "../live/tv";
import { requireSite } from "../sites";
import type { AppEnv } from "../types";
import { validate } from "../validate";
import { ifMatch, oneWriteAtATime } from "./versioned";

/** What the schema cannot say of a draft: figures that exist, channels that exist, no repeats. */
export function layoutIssues(draft: LayoutDraft): Issue[] {
  const issues: Issue[] = [];
  draft.figures.forEach((f, i) => {
    const { figure, window } = splitFigure(f);
    const problem = figureProblem(figure, window as RuleWindow);
    if (problem) issues.push({ path: `figures.${i}`, message: problem });
    if (draft.figures.indexOf(f) !== i)
      issues.push({ path: `figures.${i}`, message: `"${f}" is already shown` });
  });
  draft.tiles.forEach((t, i) => {
    // A queue not seen yet is fine (its tile shows empty until it is); a channel must exist.
    if (t.startsWith("channel:") && !Channel.safeParse(t.slice(8)).success)
      issues.push({
        path: `tiles.${i}`,
        message: `no channel "${t.slice(8)}"; channels: ${Channel.options.join(", ")}`,
      });
    if (draft.tiles.indexOf(t) !== i)
      issues.push({ path: `tiles.${i}`, message: `"${t}" is already a tile` });
  });
  return issues;
}

export function layoutRoutes(layouts: LayoutStore, broadcaster: Broadcaster, audit: Audit) {
  // One write at a time per layout: without it two PUTs with the same If-Match both pass and one
  // edit is silently lost (versioned.ts).
  const oneAtATime = oneWriteAtATime();

  return new Hono<AppEnv>()
    .get("/", validate("query", LayoutQuery), async (c) => {
      const { site } = c.req.valid("query");
      allow(c, "config.read", site);
      await requireSite(c, site);
      return c.json({ site, layouts: await layouts.list(site) } satisfies LayoutList);
    })
    .get("/:id", validate("param", LayoutParams), validate("query", LayoutQuery), async (c) => {
      const { site } = c.req.valid("query");
      const { id } = c.req.valid("param");
      allow(c, "config.read", site);
      await requireSite(c, site);
      // Every id has a layout: the stored one, or the default a screen naming it shows.
      const layout = (await layouts.state(site, id)).current;
      c.header("ETag", `"${layout.version}"`);
      return c.json(layout);
    })
    .put(
      "/:id",
      validate("param", LayoutParams),
      validate("query", LayoutQuery),
      validate("json", LayoutDraft),
      async (c) => {
        const { site } = c.req.valid("query");
        const { id } = c.req.valid("param");
        const p = allow(c, "config.write", site);
        await requireSite(c, site);
        const draft = c.req.valid("json");
        const issues = layoutIssues(draft);
        if (issues.length)
          throw new ApiError(
            "bad_request",
            `invalid layout: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
            issues,
          );
        const layout = await oneAtATime(site, id, async () => {
          const { latest, current } = await layouts.state(site, id);
          // 0: the default, nothing stored or deleted.
          ifMatch(c, "layout", current.version);
          const written = await layouts.write(site, id, latest + 1, draft, p.name);
          await audit(c, "layout.update", {
            site,
            target: id,
            detail: { version: latest + 1, layout: draft },
          });
          return written;
        });
        broadcaster.refresh(site);
        c.header("ETag", `"${layout.version}"`);
        return c.json(layout);
      },
    )
    .delete("/:id", validate("param", LayoutParams), validate("query", LayoutQuery), async (c) => {
      const { site } = c.req.valid("query");
      const { id } = c.req.valid("param");
      const p = allow(c, "config.write", site);
      await requireSite(c, site);
      const version = await oneAtATime(site, id, async () => {
        const { latest, current } = await layouts.state(site, id);
        if (current.version === 0)
          throw new ApiError("not_found", `no layout "${id}" stored at site ${site}`);
        ifMatch(c, "layout", current.version);
        await layouts.write(site, id, latest + 1, null, p.name);
        await audit(c, "layout.delete", { site, target: id, detail: { version: latest + 1 } });
        return latest + 1;
      });
      broadcaster.refresh(site);
      return c.json({ site, id, version, deleted: true });
    });
}
