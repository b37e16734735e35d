// GET /api/v1/me: the sign-in screen's source. Each role is told its own name, sites and screens;
// the answer is the server's word on what the app offers, and a missing or revoked token learns
// nothing. Real ClickHouse.
import { Me, type Role } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { asAdmin, bearer, refused, storedToken, useApi } from "../support/api";

describe("GET /api/v1/me", () => {
  const api = useApi("me_api", { sites: ["me-a", "me-b"] });

  const me = async (token: string) => {
    const res = await api.app.request("/api/v1/me", { headers: bearer(token) });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    return Me.parse(await res.json());
  };

  it.each<[Role, string[]]>([
    ["supervisor", ["supervisor", "reports", "tv"]],
    ["qa", ["qa", "reports", "exports"]],
    ["display", ["tv"]],
    ["integration", []],
  ])("tells a %s token its role, sites and screens", async (role, screens) => {
    const t = await storedToken(api.h.ch, role, {
      name: `张三 ${role}`,
      sites: ["me-b"],
      expires_at: "2099-01-01T00:00:00Z",
    });
    const got = await me(t.token);
    expect(got).toMatchObject({
      token_id: t.id,
      name: `张三 ${role}`,
      role,
      sites: ["me-b"],
      pii: false,
      expires_at: "2099-01-01T00:00:00.000Z",
      screens,
    });
    expect(got.site_list).toEqual([{ site: "me-b", name: "me-b", tz: "Asia/Shanghai" }]);
    expect(got.capabilities).toContain(role === "display" ? "live" : "alerts.live");
  });

  it("lists every known site for an all-sites admin, and a granted personal-data right", async () => {
    const res = await api.app.request("/api/v1/me", asAdmin);
    const got = Me.parse(await res.json());
    expect(got.role).toBe("admin");
    expect(got.sites).toEqual([]);
    expect(got.site_list.map((s) => s.site)).toEqual(expect.arrayContaining(["me-a", "me-b"]));
    expect(got.screens).toEqual(["supervisor", "qa", "reports", "exports", "tv"]);
    const pii = await storedToken(api.h.ch, "qa", { sites: ["me-a"], pii: true });
    expect((await me(pii.token)).pii).toBe(true);
  });

  it("leaves out granted sites the service has never heard of", async () => {
    const t = await storedToken(api.h.ch, "supervisor", { sites: ["me-a", "me-never"] });
    expect((await me(t.token)).site_list.map((s) => s.site)).toEqual(["me-a"]);
  });

  it("is a 401 without a token or with a revoked one", async () => {
    await refused(api.app.request("/api/v1/me"), 401);
    const t = await storedToken(api.h.ch, "qa", { sites: ["me-a"] });
    const del = await api.app.request(`/api/v1/tokens/${t.id}`, { method: "DELETE", ...asAdmin });
    expect(del.status).toBe(200);
    await refused(api.app.request("/api/v1/me", { headers: bearer(t.token) }), 401);
  });
});
