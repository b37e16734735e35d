// TV layouts as an admin keeps them (issue #12): the built-in default of every id, a layout stored
// and edited in versions, read by the site's supervisors, deleted back to the default, every write
// audited.
import { AuditList, Layout, LayoutList } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { asAdmin, bearer, storedToken, useApi } from "../support/api";
import { putLayout } from "../support/tv";

describe("TV layouts", () => {
  const site = "layouts-happy";
  const api = useApi("layouts_happy", { sites: [site] });
  const started = new Date(Date.now() - 1_000).toISOString();
  const get = async (path: string, headers: Record<string, string> = asAdmin.headers) => {
    const res = await api.app.request(path, { headers });
    expect(res.status, await res.clone().text()).toBe(200);
    return { body: await res.json(), etag: res.headers.get("etag") };
  };

  it("answers the built-in default, version 0, for a layout never stored", async () => {
    const { body, etag } = await get(`/api/v1/layouts/default?site=${site}`);
    expect(Layout.parse(body)).toEqual({
      id: "default",
      site,
      name: "Default",
      version: 0,
      tiles: [],
      figures: [],
      trends: ["service_level"],
      per_page: 12,
      rotate_s: 20,
      distance_m: 5,
      updated_at: null,
      updated_by: null,
    });
    expect(etag).toBe('"0"');
    expect(LayoutList.parse((await get(`/api/v1/layouts?site=${site}`)).body).layouts).toEqual([]);
  });

  it("stores a layout, then its next version, each listed and read back as stored", async () => {
    const first = await putLayout(api.app, site, "floor-3", {
      name: "3F east",
      tiles: ["queue:cards", "channel:voice", "site"],
      figures: ["waiting", "15m.service_level", "agents.available"],
      per_page: 6,
    });
    expect(first).toMatchObject({
      id: "floor-3",
      site,
      version: 1,
      name: "3F east",
      per_page: 6,
      rotate_s: 20,
      updated_by: "ADMIN_TOKEN",
    });
    const second = await api.app.request(`/api/v1/layouts/floor-3?site=${site}`, {
      method: "PUT",
      body: JSON.stringify({ name: "3F east", tiles: ["queue:loans"], rotate_s: 30 }),
      headers: { ...asAdmin.headers, "content-type": "application/json", "if-match": '"1"' },
    });
    expect(second.status, await second.clone().text()).toBe(200);
    expect(second.headers.get("etag")).toBe('"2"');
    expect(Layout.parse(await second.json())).toMatchObject({
      version: 2,
      tiles: ["queue:loans"],
      figures: [],
      rotate_s: 30,
    });
    const { body, etag } = await get(`/api/v1/layouts/floor-3?site=${site}`);
    expect(etag).toBe('"2"');
    expect(Layout.parse(body).tiles).toEqual(["queue:loans"]);
    const listed = LayoutList.parse((await get(`/api/v1/layouts?site=${site}`)).body).layouts;
    expect(listed.map((l) => [l.id, l.version])).toEqual([["floor-3", 2]]);
  });

  it("lets the site's supervisors read layouts", async () => {
    const { token } = await storedToken(api.h.ch, "supervisor", { sites: [site] });
    const { body } = await get(`/api/v1/layouts?site=${site}`, bearer(token));
    expect(LayoutList.parse(body).layouts.map((l) => l.id)).toEqual(["floor-3"]);
  });

  it("deletes a layout back to the default, and stores it again as the next version", async () => {
    await putLayout(api.app, site, "lobby", { name: "Lobby", tiles: ["site"] });
    const res = await api.app.request(`/api/v1/layouts/lobby?site=${site}`, {
      method: "DELETE",
      headers: { ...asAdmin.headers, "if-match": '"1"' },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ site, id: "lobby", version: 2, deleted: true });
    const { body } = await get(`/api/v1/layouts/lobby?site=${site}`);
    expect(Layout.parse(body)).toMatchObject({ id: "lobby", name: "lobby", version: 0, tiles: [] });
    expect(
      LayoutList.parse((await get(`/api/v1/layouts?site=${site}`)).body).layouts.map((l) => l.id),
    ).toEqual(["floor-3"]);
    // Put back: version 3, after the deleted 2.
    expect((await putLayout(api.app, site, "lobby", { name: "Lobby" })).version).toBe(3);
  });

  it("audits every write with the layout as written", async () => {
    const q = `from=${started}&to=${new Date(Date.now() + 1_000).toISOString()}&site=${site}`;
    const updates = AuditList.parse(
      (await get(`/api/v1/audit?${q}&action=layout.update`)).body,
    ).entries;
    const deletes = AuditList.parse(
      (await get(`/api/v1/audit?${q}&action=layout.delete`)).body,
    ).entries;
    expect(updates.map((e) => [e.target, e.detail.version]).sort()).toEqual([
      ["floor-3", 1],
      ["floor-3", 2],
      ["lobby", 1],
      ["lobby", 3],
    ]);
    expect(updates.find((e) => e.detail.version === 2)?.detail.layout).toMatchObject({
      tiles: ["queue:loans"],
    });
    expect(deletes.map((e) => [e.target, e.detail.version])).toEqual([["lobby", 2]]);
  });
});
