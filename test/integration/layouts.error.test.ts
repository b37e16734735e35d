// TV layouts written wrongly (issue #12): a 400 naming each problem (figures that exist nowhere or
// in another window, channels that are not one, repeats, fields the schema refuses), 409 for an
// edit of a version someone else already replaced, 404 for what is not there.
import { Layout } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { asAdmin, issuePaths, refused, sendJson, useApi } from "../support/api";
import { putLayout } from "../support/tv";

describe("TV layout errors", () => {
  const site = "layouts-error";
  const api = useApi("layouts_error", { sites: [site] });
  const path = (id: string, s = site) => `/api/v1/layouts/${id}?site=${s}`;
  const send = (
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => sendJson(api.app, method, url, body, { ...asAdmin.headers, ...headers });
  const invalid = async (body: unknown) => refused(await send("PUT", path("floor"), body), 400);

  it("names an unknown figure, with the figures it knows", async () => {
    const e = await invalid({ name: "x", figures: ["waiting", "15m.queue_mood"] });
    expect(issuePaths(e)).toEqual(["figures.1"]);
    expect(e.message).toContain('"queue_mood"');
    expect(e.message).toContain("service_level");
  });

  it("names a figure read in the wrong window, or of no kind the TV knows", async () => {
    // waiting is a figure of the queue now, not of a window; offered needs its window.
    const e = await invalid({ name: "x", figures: ["agents.mood", "today.waiting"] });
    expect(issuePaths(e)).toEqual(["figures.0", "figures.1"]);
    expect(e.message).toContain('"waiting" is a figure of the queue now');
    expect(issuePaths(await invalid({ name: "x", figures: ["waiting", "offered"] }))).toEqual([
      "figures.1",
    ]);
  });

  it("names a channel that is not one, and repeated tiles and figures", async () => {
    const e = await invalid({
      name: "x",
      tiles: ["queue:a", "channel:callback", "queue:a"],
      figures: ["waiting", "waiting"],
    });
    expect(issuePaths(e).sort()).toEqual(["figures.1", "tiles.1", "tiles.2"]);
    expect(e.message).toContain('no channel "callback"');
  });

  it("names what the schema refuses: tile keys, unknown fields, limits, the id", async () => {
    const e = await invalid({
      name: "",
      tiles: ["queues:a"],
      per_page: 30,
      rotate_s: 1,
      colour: "red",
    });
    expect(issuePaths(e).sort()).toEqual(["(root)", "name", "per_page", "rotate_s", "tiles.0"]);
    const badId = await refused(await send("PUT", path("Floor 3"), { name: "x" }), 400);
    expect(issuePaths(badId)).toEqual(["id"]);
    expect(issuePaths(await refused(await send("PUT", path("floor"), "{not json"), 400))).toEqual(
      expect.any(Array),
    );
    expect(
      issuePaths(await refused(await api.app.request("/api/v1/layouts", asAdmin), 400)),
    ).toEqual(["site"]);
  });

  it("refuses an edit of a version someone else already replaced, and changes nothing", async () => {
    await putLayout(api.app, site, "floor", { name: "v1" });
    await putLayout(api.app, site, "floor", { name: "v2" });
    const e = await refused(
      await send("PUT", path("floor"), { name: "v3" }, { "if-match": '"1"' }),
      409,
    );
    expect(e.code).toBe("conflict");
    expect(e.message).toContain("version 2");
    await refused(await send("DELETE", path("floor"), undefined, { "if-match": '"1"' }), 409);
    await refused(await send("PUT", path("floor"), { name: "v3" }, { "if-match": "two" }), 400);
    const now = Layout.parse(await (await api.app.request(path("floor"), asAdmin)).json());
    expect([now.name, now.version]).toEqual(["v2", 2]);
    // A layout never stored is at version 0: creating it conditionally says so.
    await refused(await send("PUT", path("fresh"), { name: "x" }, { "if-match": '"1"' }), 409);
    expect((await send("PUT", path("fresh"), { name: "x" }, { "if-match": '"0"' })).status).toBe(
      200,
    );
  });

  it("answers 404 for a site that does not exist, and for deleting what is not stored", async () => {
    await refused(await api.app.request(path("floor", "no-such-site"), asAdmin), 404);
    await refused(await send("PUT", path("floor", "no-such-site"), { name: "x" }), 404);
    await refused(await send("DELETE", path("never-stored")), 404);
    await putLayout(api.app, site, "gone", { name: "gone" });
    expect((await send("DELETE", path("gone"))).status).toBe(200);
    await refused(await send("DELETE", path("gone")), 404);
  });

  it("refuses a view or layout the live routes do not know, naming it", async () => {
    const live = async (q: string) =>
      issuePaths(
        await refused(await api.app.request(`/api/v1/live?site=${site}${q}`, asAdmin), 400),
      );
    expect(await live("&view=wall")).toEqual(["view"]);
    expect(await live("&view=tv&layout=Not%20An%20Id")).toEqual(["layout"]);
    expect(await live("&layout=floor")).toEqual(["layout"]);
    const stream = await api.app.request(`/api/v1/live/stream?site=${site}&view=tvs`, asAdmin);
    expect(issuePaths(await refused(stream, 400))).toEqual(["view"]);
  });
});
