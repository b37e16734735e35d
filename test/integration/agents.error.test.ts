// GET /api/v1/agents asked wrongly.
import { AgentList, ErrorEnvelope } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { asAdmin, useApi } from "../support/api";

describe("agents errors", () => {
  const api = useApi("agents_error", { sites: ["empty-site"] });

  it("names a missing or malformed site", async () => {
    for (const q of ["", "?site=", "?site=NO"]) {
      const res = await api.app.request(`/api/v1/agents${q}`, asAdmin);
      expect(res.status).toBe(400);
      expect(ErrorEnvelope.parse(await res.json()).error.issues?.map((i) => i.path)).toContain(
        "site",
      );
    }
  });

  it("answers a site without agents with an empty list, not an error", async () => {
    const res = await api.app.request("/api/v1/agents?site=empty-site", asAdmin);
    expect(res.status).toBe(200);
    expect(AgentList.parse(await res.json()).agents).toEqual([]);
  });
});
