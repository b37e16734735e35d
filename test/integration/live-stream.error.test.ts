// GET /api/v1/live/stream, asked wrongly: the error envelope, never a stream.
import type { RunningServer } from "@floorwatch/api";
import { ErrorEnvelope } from "@floorwatch/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asAdmin, bearer, startTestServer } from "../support/api";
import { createHarness, type Harness } from "../support/harness";

describe("live stream errors", () => {
  let h: Harness;
  let server: RunningServer;

  beforeAll(async () => {
    h = await createHarness("stream_error");
    server = await startTestServer(h);
  });
  afterAll(async () => {
    await server?.close();
    await h?.cleanup();
  });

  const refused = async (query: string, headers: Record<string, string>, status: number) => {
    const res = await fetch(`${server.url}/api/v1/live/stream${query}`, { headers });
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/json");
    return ErrorEnvelope.parse(await res.json()).error;
  };

  it("answers a missing or malformed site with 400 naming it", async () => {
    for (const q of ["", "?site=", "?site=Not%20A%20Site"])
      expect((await refused(q, asAdmin.headers, 400)).issues?.map((i) => i.path)).toContain("site");
  });

  it("answers a missing or unknown token with 401", async () => {
    await refused("?site=demo", {}, 401);
    await refused("?site=demo", bearer(`fw_${"a".repeat(12)}_${"B".repeat(43)}`), 401);
  });
});
