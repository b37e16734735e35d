// GET /api/v1/screens and DELETE /api/v1/screens/:id (issue #12) against misuse: only admins see
// or revoke screens; an admin token limited to a site neither sees nor revokes another site's.
import { ErrorEnvelope, ScreenList, type Role } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { asAdmin, bearer, storedToken, useApi } from "../support/api";

const site = "screens-sec-a";
const other = "screens-sec-b";

describe("screens security", () => {
  const t = useApi("screens_security", { sites: [site, other] });

  const call = (path: string, init: RequestInit) => t.app.request(`/api/v1${path}`, init);
  const listed = async (headers: Record<string, string>, query = "") => {
    const res = await call(`/screens${query}`, { headers });
    expect(res.status).toBe(200);
    return ScreenList.parse(await res.json()).screens.map((s) => s.token_id);
  };

  it("refuses every role but admin, for listing and for revoking", async () => {
    const tv = await storedToken(t.h.ch, "display", { sites: [site] });
    for (const role of ["supervisor", "qa", "display", "integration"] as Role[]) {
      const { token } = await storedToken(t.h.ch, role, { sites: [site] });
      for (const query of ["", `?site=${site}`]) {
        const res = await call(`/screens${query}`, { headers: bearer(token) });
        expect(res.status, `${role} GET /screens${query}`).toBe(403);
        expect(ErrorEnvelope.parse(await res.json()).error.code).toBe("forbidden");
      }
      const del = await call(`/screens/${tv.id}`, { method: "DELETE", headers: bearer(token) });
      expect(del.status, `${role} DELETE`).toBe(403);
    }
    // None of those refusals revoked the screen: it still reads its live figures.
    expect((await call(`/live?site=${site}`, { headers: bearer(tv.token) })).status).toBe(200);
    // The screen itself cannot revoke itself either, nor any request without a token.
    expect(
      (await call(`/screens/${tv.id}`, { method: "DELETE", headers: bearer(tv.token) })).status,
    ).toBe(403);
    expect((await call("/screens", {})).status).toBe(401);
    expect((await call(`/screens/${tv.id}`, { method: "DELETE" })).status).toBe(401);
  });

  it("shows an admin limited to a site that site's screens only, and revokes none of another's", async () => {
    const mine = await storedToken(t.h.ch, "display", { sites: [site] });
    const theirs = await storedToken(t.h.ch, "display", { sites: [other] });
    const { token: admin } = await storedToken(t.h.ch, "admin", { sites: [site] });

    const seen = await listed(bearer(admin));
    expect(seen).toContain(mine.id);
    expect(seen).not.toContain(theirs.id);
    expect(await listed(bearer(admin), `?site=${site}`)).toContain(mine.id);
    const res = await call(`/screens?site=${other}`, { headers: bearer(admin) });
    expect(res.status).toBe(403);

    // Another site's screen is not found for this admin, and stays unrevoked.
    const del = await call(`/screens/${theirs.id}`, { method: "DELETE", headers: bearer(admin) });
    expect(del.status).toBe(404);
    expect((await call(`/live?site=${other}`, { headers: bearer(theirs.token) })).status).toBe(200);
    // Its own site's screen it may revoke.
    const ok = await call(`/screens/${mine.id}`, { method: "DELETE", headers: bearer(admin) });
    expect(ok.status).toBe(200);
    expect((await call(`/live?site=${site}`, { headers: bearer(mine.token) })).status).toBe(401);

    // An admin of every site sees both.
    expect(await listed(asAdmin.headers)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
  });

  it("rejects a malformed id and an unknown query parameter", async () => {
    const bad = await call("/screens/not-an-id", { method: "DELETE", ...asAdmin });
    expect(bad.status).toBe(400);
    const misspelt = await call(`/screens?sites=${site}`, asAdmin);
    expect(misspelt.status).toBe(400);
  });
});
