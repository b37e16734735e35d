// GET /api/v1/agents asked wrongly.
import { createApp } from "@floorwatch/api";
import { AgentList, ErrorEnvelope } from "@floorwatch/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asAdmin, TEST_ADMIN_TOKEN } from "../support/api";
import { createHarness, type Harness } from "../support/harness";

describe("agents errors", () => {
  let h: Harness;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    h = await createHarness("agents_error");
    app = createApp({ ch: h.ch, log: h.log, adminToken: TEST_ADMIN_TOKEN });
  });
  afterAll(async () => h?.cleanup());

  it("names a missing or malformed site", async () => {
    for (const q of ["", "?site=", "?site=NO"]) {
      const res = await app.request(`/api/v1/agents${q}`, asAdmin);
      expect(res.status).toBe(400);
      expect(ErrorEnvelope.parse(await res.json()).error.issues?.map((i) => i.path)).toContain("site");
    }
  });

  it("answers a site without agents with an empty list, not an error", async () => {
    const res = await app.request("/api/v1/agents?site=empty-site", asAdmin);
    expect(res.status).toBe(200);
    expect(AgentList.parse(await res.json()).agents).toEqual([]);
  });
});
