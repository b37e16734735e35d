// Configuration against misuse: only admins write; readers see only their sites; hostile names inert.
import { QueueList, SiteList } from "@floorwatch/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { asAdmin, bearer, storedToken, TEST_ADMIN_TOKEN, useApi } from "../support/api";
import { INJECTIONS } from "../support/hostile-strings";

describe("configuration security", () => {
  const api = useApi("config_security");
  const put = (path: string, body: unknown, token = TEST_ADMIN_TOKEN) =>
    api.app.request(path, {
      method: "PUT",
      body: JSON.stringify(body),
      headers: { ...bearer(token), "content-type": "application/json" },
    });

  beforeAll(async () => {
    for (const s of ["site-a", "site-b"])
      expect((await put(`/api/v1/sites/${s}`, { name: s, tz: "Asia/Shanghai" })).status).toBe(200);
  });

  it("lets no one but an admin change configuration", async () => {
    for (const role of ["supervisor", "qa", "display", "integration"] as const) {
      const { token } = await storedToken(api.h.ch, role, { sites: ["site-a"] });
      expect(
        (await put("/api/v1/sites/site-a", { name: "mine now", tz: "UTC" }, token)).status,
        role,
      ).toBe(403);
      expect(
        (await put("/api/v1/sites/site-a/queues/q", { sl_threshold_s: 999 }, token)).status,
        role,
      ).toBe(403);
      expect((await put("/api/v1/sites/site-a/hours", { weekly: [] }, token)).status, role).toBe(
        403,
      );
    }
    const sites = SiteList.parse(await (await api.app.request("/api/v1/sites", asAdmin)).json());
    expect(sites.sites.find((s) => s.site === "site-a")).toEqual({
      site: "site-a",
      name: "site-a",
      tz: "Asia/Shanghai",
    });
  });

  it("shows a supervisor only the sites of their token", async () => {
    const { token } = await storedToken(api.h.ch, "supervisor", { sites: ["site-a"] });
    const sites = SiteList.parse(
      await (await api.app.request("/api/v1/sites", { headers: bearer(token) })).json(),
    );
    expect(sites.sites.map((s) => s.site)).toEqual(["site-a"]);
    expect(
      (await api.app.request("/api/v1/sites/site-b/queues", { headers: bearer(token) })).status,
    ).toBe(403);
  });

  it("stores hostile queue names as text", async () => {
    const names = INJECTIONS.filter((s) => !/[\u0000-\u001f]/.test(s)).slice(0, 12);
    for (const [i, s] of names.entries())
      expect(
        (await put(`/api/v1/sites/site-b/queues/q${i}`, { name_zh: s, name_en: s })).status,
        s,
      ).toBe(201);
    const list = QueueList.parse(
      await (await api.app.request("/api/v1/sites/site-b/queues", asAdmin)).json(),
    );
    expect(list.queues.map((q) => q.name_en).sort()).toEqual(names.map((s) => s.trim()).sort());
  });
});
