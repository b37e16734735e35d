// GET /api/v1/screens and DELETE /api/v1/screens/:id (issue #12) against a real API server and
// ClickHouse: a screen that opened a stream is connected and was seen just now, its heartbeats are
// written in one insert per flush and outlive the process that heard them, and revoking it through
// the screens route ends its stream with a `revoked` event, audited like a token revocation.
import type { RunningServer } from "@floorwatch/api";
import { AuditList, ScreenList, Screen } from "@floorwatch/contracts";
import { SCREEN_HEARTBEATS_TABLE, sql, type ClickHouseClient } from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asAdmin, bearer, seenSites, startTestServer, storedToken } from "../support/api";
import { createHarness, type Harness } from "../support/harness";
import { openSse } from "../support/sse";

/** The real client, with the inserts into the heartbeats table counted. */
function countingInserts(inner: ClickHouseClient) {
  let n = 0;
  const client = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === "insert")
        return (params: Parameters<ClickHouseClient["insert"]>[0]) => {
          if (params.table === SCREEN_HEARTBEATS_TABLE) n++;
          return target.insert(params);
        };
      return Reflect.get(target, prop, receiver);
    },
  });
  return { client, inserts: () => n };
}

describe("screens: last seen, connected, revoke", () => {
  let h: Harness;
  let server: RunningServer;
  const site = "screens-a";
  const other = "screens-b";
  /** Heartbeats flushed every this often here (30 s in production). */
  const EVERY_MS = 300;

  beforeAll(async () => {
    h = await createHarness("screens_happy");
    await seenSites(h.ch, [site, other]);
    server = await startTestServer(h, { seenEveryMs: EVERY_MS });
  });
  afterAll(async () => {
    await server?.close();
    await h?.cleanup();
  });

  const get = async (path: string, init: RequestInit = asAdmin) => {
    const res = await fetch(`${server.url}/api/v1${path}`, init);
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const screens = async (query = "") => {
    const res = await get(`/screens${query}`);
    expect(res.status).toBe(200);
    return ScreenList.parse(res.body).screens;
  };
  const storedSeen = async (tokenId: string): Promise<number[]> => {
    const rs = await h.ch.query({
      query: sql`SELECT seen_ms FROM screen_heartbeats WHERE token_id = ${tokenId} ORDER BY seen_ms`
        .text,
      format: "JSONEachRow",
    });
    return (await rs.json<{ seen_ms: string }>()).map((r) => Number(r.seen_ms));
  };
  const until = async <T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await check();
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  it("shows a screen with a stream open as connected and seen just now, one never heard as never seen", async () => {
    const tv = await storedToken(h.ch, "display", {
      sites: [site],
      name: "Floor 3 TV",
      layout: "floor3",
    });
    const idle = await storedToken(h.ch, "display", { sites: [site], name: "Spare TV" });
    const elsewhere = await storedToken(h.ch, "display", { sites: [other], name: "Other TV" });
    const supervisor = await storedToken(h.ch, "supervisor", { sites: [site] });
    const stream = await openSse(`${server.url}/api/v1/live/stream?site=${site}`, bearer(tv.token));
    try {
      expect((await stream.next(5_000)).event).toBe("snapshot");
      const opened = Date.now();
      const list = await screens(`?site=${site}`);
      // Display tokens of the site only, by name: no supervisor, no other site's screen.
      expect(list.map((s) => s.token_id)).toEqual([tv.id, idle.id]);
      const [shown, spare] = list;
      expect(shown).toMatchObject({
        token_id: tv.id,
        name: "Floor 3 TV",
        site,
        layout: "floor3",
        connected: true,
        revoked_at: null,
        expires_at: null,
      });
      expect(Math.abs(Date.parse(shown!.last_seen_at!) - opened)).toBeLessThan(5_000);
      expect(spare).toMatchObject({ token_id: idle.id, connected: false, last_seen_at: null });
      // Without ?site=, every site's screens.
      const all = (await screens()).map((s) => s.token_id);
      expect(all).toEqual(expect.arrayContaining([tv.id, idle.id, elsewhere.id]));
      expect(all).not.toContain(supervisor.id);

      // The open stream is heard at every flush, written by the flush, not by a request.
      const before = Date.now();
      const written = await until(async () => {
        const seen = await storedSeen(tv.id);
        expect(seen.at(-1)).toBeGreaterThanOrEqual(before);
        return seen;
      });
      expect(written.length).toBeGreaterThanOrEqual(1);
    } finally {
      stream.close();
    }
  });

  it("writes a screen's requests in one insert per flush, never one per request, and on close", async () => {
    const tv = await storedToken(h.ch, "display", { sites: [other], name: "Polling TV" });
    const own = countingInserts(h.ch);
    // No flush but the closing one: what 20 requests cost is exactly what one flush writes.
    const api = await startTestServer(h, { ch: own.client, seenEveryMs: 3_600_000 });
    let lastAsked = 0;
    for (let i = 0; i < 20; i++) {
      lastAsked = Date.now();
      const res = await fetch(`${api.url}/api/v1/live?site=${other}`, {
        headers: bearer(tv.token),
      });
      expect(res.status).toBe(200);
    }
    expect(own.inserts()).toBe(0);
    expect(await storedSeen(tv.id)).toEqual([]);
    await api.close();
    expect(own.inserts()).toBe(1);
    const rows = await storedSeen(tv.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toBeGreaterThanOrEqual(lastAsked);

    // Another API process over the same database (nothing in its memory) reads the stored heartbeat.
    const second = await startTestServer(h);
    try {
      const res = await fetch(`${second.url}/api/v1/screens?site=${other}`, asAdmin);
      const shown = ScreenList.parse(await res.json()).screens.find((s) => s.token_id === tv.id);
      expect(shown?.connected).toBe(false);
      expect(Date.parse(shown!.last_seen_at!)).toBe(rows[0]);
    } finally {
      await second.close();
    }
  });

  it("revokes a screen: its stream gets a revoked event, the revocation is audited as a token's", async () => {
    const tv = await storedToken(h.ch, "display", { sites: [site], name: "Revoked TV" });
    const stream = await openSse(`${server.url}/api/v1/live/stream?site=${site}`, bearer(tv.token));
    expect((await stream.next(5_000)).event).toBe("snapshot");
    const res = await fetch(`${server.url}/api/v1/screens/${tv.id}`, {
      method: "DELETE",
      headers: { ...asAdmin.headers, "x-request-id": "revoke-screen-1" },
    });
    expect(res.status).toBe(200);
    const revoked = Screen.parse(await res.json());
    expect(revoked.token_id).toBe(tv.id);
    expect(revoked.revoked_at).not.toBeNull();
    let e = await stream.next(5_000);
    while (e.event === "snapshot") e = await stream.next(5_000); // one may have been on its way
    expect(e.event).toBe("revoked");
    await stream.ended;

    // Listed as revoked; its token no longer opens anything.
    const shown = (await screens(`?site=${site}`)).find((s) => s.token_id === tv.id);
    expect(shown?.revoked_at).toBe(revoked.revoked_at);
    expect((await get(`/live?site=${site}`, { headers: bearer(tv.token) })).status).toBe(401);

    const audit = await get(
      `/audit?from=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}&action=token.revoke`,
    );
    const entry = AuditList.parse(audit.body).entries.find((x) => x.target === tv.id);
    expect(entry).toMatchObject({
      action: "token.revoke",
      actor: { name: "ADMIN_TOKEN", role: "admin" },
      site,
      client_request_id: "revoke-screen-1",
    });
    expect(entry?.detail).toEqual({ name: "Revoked TV", role: "display" });

    // Revoking again changes nothing and still answers with the screen.
    const again = await fetch(`${server.url}/api/v1/screens/${tv.id}`, {
      method: "DELETE",
      ...asAdmin,
    });
    expect(again.status).toBe(200);
    expect(Screen.parse(await again.json()).revoked_at).toBe(revoked.revoked_at);
  });

  it("answers 404 for a token that is not a screen's and for an unknown id, revoking nothing", async () => {
    const supervisor = await storedToken(h.ch, "supervisor", { sites: [site] });
    const res = await fetch(`${server.url}/api/v1/screens/${supervisor.id}`, {
      method: "DELETE",
      ...asAdmin,
    });
    expect(res.status).toBe(404);
    expect((await get(`/live?site=${site}`, { headers: bearer(supervisor.token) })).status).toBe(
      200,
    );
    const unknown = await fetch(`${server.url}/api/v1/screens/0123456789ab`, {
      method: "DELETE",
      ...asAdmin,
    });
    expect(unknown.status).toBe(404);
  });
});
