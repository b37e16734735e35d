// GET /api/v1/agents against misuse: supervisors of the site only.
import { createApp } from "@floorwatch/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, storedToken, TEST_ADMIN_TOKEN } from "../support/api";
import { createHarness, type Harness } from "../support/harness";

describe("agents security", () => {
  let h: Harness;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    h = await createHarness("agents_security");
    app = createApp({ ch: h.ch, log: h.log, adminToken: TEST_ADMIN_TOKEN });
  });
  afterAll(async () => h?.cleanup());

  it("shows agents to supervisors of the site and to no one else but admins", async () => {
    const sup = await storedToken(h.ch, "supervisor", { sites: ["site-a"] });
    expect((await app.request("/api/v1/agents?site=site-a", { headers: bearer(sup.token) })).status).toBe(200);
    expect((await app.request("/api/v1/agents?site=site-b", { headers: bearer(sup.token) })).status).toBe(403);
    for (const role of ["qa", "display", "integration"] as const) {
      const t = await storedToken(h.ch, role, { sites: ["site-a"] });
      expect((await app.request("/api/v1/agents?site=site-a", { headers: bearer(t.token) })).status, role).toBe(403);
    }
    expect((await app.request("/api/v1/agents?site=site-a")).status).toBe(401);
  });
});
