// TV layouts against misuse (issue #12): only admins write layouts; supervisors of the site read
// them; TVs, QA and integrations write nothing; another site's token is refused; a TV shows its own
// layout and cannot pick another, on the stream, GET /live or the trends.
import { ErrorEnvelope, LayoutList, TvFrame } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { asAdmin, bearer, sendJson, storedToken, useApi } from "../support/api";
import { openSse } from "../support/sse";
import { putLayout } from "../support/tv";

const A = "layouts-sec-a";
const B = "layouts-sec-b";
const draft = { name: "hijacked", tiles: ["site"] };

describe("TV layout security", () => {
  const api = useApi("layouts_security", { sites: [A, B] });
  const request = (method: string, path: string, token?: string, body?: unknown) =>
    sendJson(api.app, method, path, body, token ? bearer(token) : {});
  const writes = (site: string, token?: string) => [
    request("PUT", `/api/v1/layouts/floor?site=${site}`, token, draft),
    request("DELETE", `/api/v1/layouts/floor?site=${site}`, token),
  ];
  const reads = (site: string, token?: string) => [
    request("GET", `/api/v1/layouts?site=${site}`, token),
    request("GET", `/api/v1/layouts/floor?site=${site}`, token),
  ];
  const statuses = async (answers: Promise<Response>[]) =>
    Promise.all(answers.map(async (a) => (await a).status));
  const stored = async (site: string) =>
    LayoutList.parse(
      await (await api.app.request(`/api/v1/layouts?site=${site}`, asAdmin)).json(),
    ).layouts.map((l) => [l.id, l.name, l.version]);

  it("refuses every layouts route without a token", async () => {
    expect(await statuses([...reads(A), ...writes(A)])).toEqual([401, 401, 401, 401]);
  });

  it("refuses writes by TVs, QA, integrations and supervisors, even of the site, and changes nothing", async () => {
    await putLayout(api.app, A, "floor", { name: "Floor" });
    for (const role of ["display", "qa", "integration", "supervisor"] as const) {
      const { token } = await storedToken(api.h.ch, role, { sites: [A] });
      const answers = await Promise.all(writes(A, token));
      expect(
        answers.map((a) => a.status),
        role,
      ).toEqual([403, 403]);
      for (const a of answers)
        expect(ErrorEnvelope.parse(await a.json()).error.code).toBe("forbidden");
    }
    expect(await stored(A)).toEqual([["floor", "Floor", 1]]);
  });

  it("lets no TV read layouts through the layouts routes", async () => {
    const { token } = await storedToken(api.h.ch, "display", { sites: [A], layout: "floor" });
    expect(await statuses(reads(A, token))).toEqual([403, 403]);
  });

  it("refuses a token of another site, reading or writing", async () => {
    const { token: supervisorB } = await storedToken(api.h.ch, "supervisor", { sites: [B] });
    expect(await statuses(reads(A, supervisorB))).toEqual([403, 403]);
    const { token: siteAdminB } = await storedToken(api.h.ch, "admin", { sites: [B] });
    expect(await statuses(writes(A, siteAdminB))).toEqual([403, 403]);
    expect(await stored(A)).toEqual([["floor", "Floor", 1]]);
    // An admin of every site: a site nobody configured is a 404, not an empty list.
    expect(await statuses(reads("layouts-sec-nowhere", undefined))).toEqual([401, 401]);
    const nowhere = await api.app.request("/api/v1/layouts?site=layouts-sec-nowhere", asAdmin);
    expect(nowhere.status).toBe(404);
  });

  it("keeps a TV on its own layout: another is a 403 on GET /live, the stream and the trends", async () => {
    const { token } = await storedToken(api.h.ch, "display", { sites: [A], layout: "floor" });
    for (const path of [
      `/api/v1/live?site=${A}&view=tv&layout=lobby`,
      `/api/v1/live/stream?site=${A}&view=tv&layout=lobby`,
      `/api/v1/live/trends?site=${A}&layout=lobby`,
    ]) {
      const res = await request("GET", path, token);
      expect(res.status, path).toBe(403);
      const e = ErrorEnvelope.parse(await res.json()).error;
      expect(e.message).toContain('"floor"');
    }
    // Its own, named or not, is fine.
    const own = await request("GET", `/api/v1/live?site=${A}&view=tv&layout=floor`, token);
    expect(own.status).toBe(200);
    expect(TvFrame.parse(await own.json()).layout).toMatchObject({ id: "floor", name: "Floor" });
    // Of another site, nothing.
    expect((await request("GET", `/api/v1/live?site=${B}&view=tv`, token)).status).toBe(403);
  });

  it("lets an admin and a supervisor look at any layout of their site", async () => {
    const { token } = await storedToken(api.h.ch, "supervisor", { sites: [A] });
    const res = await request("GET", `/api/v1/live?site=${A}&view=tv&layout=floor`, token);
    expect(res.status).toBe(200);
    expect(TvFrame.parse(await res.json()).layout.id).toBe("floor");
  });

  it("keeps a TV's stream on its layout", async () => {
    const { token } = await storedToken(api.h.ch, "display", { sites: [A], layout: "floor" });
    const server = await import("@hono/node-server");
    const listening = await new Promise<{ url: string; close: () => void }>((resolve) => {
      const s = server.serve({ fetch: api.app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          close: () => {
            s.close();
            (s as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          },
        }),
      );
    });
    try {
      const stream = await openSse(
        `${listening.url}/api/v1/live/stream?site=${A}&view=tv`,
        bearer(token),
      );
      expect(stream.status).toBe(200);
      const e = await stream.next(5_000);
      expect(e.event).toBe("tv");
      expect(TvFrame.parse(JSON.parse(e.data)).layout.id).toBe("floor");
      stream.close();
    } finally {
      listening.close();
    }
  });
});
