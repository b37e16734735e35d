// GET /api/v1/agents against misuse: supervisors of the site only.
import { describe, expect, it } from "vitest";
import { bearer, storedToken, useApi } from "../support/api";

describe("agents security", () => {
  const api = useApi("agents_security", { sites: ["site-a"] });

  it("shows agents to supervisors of the site and to no one else but admins", async () => {
    const sup = await storedToken(api.h.ch, "supervisor", { sites: ["site-a"] });
    expect(
      (await api.app.request("/api/v1/agents?site=site-a", { headers: bearer(sup.token) })).status,
    ).toBe(200);
    expect(
      (await api.app.request("/api/v1/agents?site=site-b", { headers: bearer(sup.token) })).status,
    ).toBe(403);
    for (const role of ["qa", "display", "integration"] as const) {
      const t = await storedToken(api.h.ch, role, { sites: ["site-a"] });
      expect(
        (await api.app.request("/api/v1/agents?site=site-a", { headers: bearer(t.token) })).status,
        role,
      ).toBe(403);
    }
    expect((await api.app.request("/api/v1/agents?site=site-a")).status).toBe(401);
  });
});
