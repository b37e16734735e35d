// Access, against someone trying: tokens stored only as hashes, no figure of one site through a
// token of another, roles held to their capabilities, revocation and expiry effective, guessing
// slowed, oversized bodies refused, hostile strings in every string parameter harmless.
import { createApp } from "@floorwatch/api";
import { AuditList, ErrorEnvelope, TokenList } from "@floorwatch/contracts";
import { runQuery, loadTokens } from "@floorwatch/sql";
import { describe, expect, it } from "vitest";
import {
  asAdmin,
  bearer,
  issuePaths,
  seenSites,
  storedToken,
  TEST_ADMIN_TOKEN,
  useApi,
} from "../support/api";
import { countingClient } from "../support/counting";
import { eventually } from "../support/harness";
import { INJECTIONS } from "../support/hostile-strings";

describe("access under attack", () => {
  const api = useApi("access_security", {
    app: { liveTtlMs: 0, failureLimit: { maxFailures: 5, windowMs: 60_000 } },
    sites: ["site-a", "x"],
  });
  const get = (path: string, token: string) => api.app.request(path, { headers: bearer(token) });
  const reportOf = (site: string) =>
    `/api/v1/reports/intervals?site=${site}&from=2026-11-01&to=2026-11-02&interval=1d`;

  it("stores a hash of each token, never the token", async () => {
    const { id, token } = await storedToken(api.h.ch, "supervisor", { sites: ["a"] });
    const rows = await runQuery(api.h.ch, loadTokens, {});
    const row = rows.find((r) => r.token_id === id)!;
    expect(row.secret_sha256).toMatch(/^[0-9a-f]{64}$/);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(token.slice(-43));
  });

  it("never shows one site's figures to a token of another", async () => {
    const { token } = await storedToken(api.h.ch, "supervisor", { sites: ["site-a"] });
    expect((await get("/api/v1/live?site=site-a", token)).status).toBe(200);
    expect((await get(reportOf("site-a"), token)).status).toBe(200);
    for (const path of ["/api/v1/live?site=site-b", reportOf("site-b")]) {
      const res = await get(path, token);
      expect(res.status, path).toBe(403);
      expect(ErrorEnvelope.parse(await res.json()).error.message).toContain("site-b");
    }
    const tv = await storedToken(api.h.ch, "display", { sites: ["site-a"] });
    expect((await get("/api/v1/live?site=site-b", tv.token)).status).toBe(403);
  });

  it("holds every role to what it may do", async () => {
    const role = async (r: "supervisor" | "qa" | "display" | "integration") =>
      (await storedToken(api.h.ch, r)).token;
    const expectations: [string, string, number][] = [
      ["display", reportOf("x"), 403],
      ["display", "/api/v1/tokens", 403],
      ["qa", "/api/v1/live?site=x", 403],
      ["qa", reportOf("x"), 200],
      ["supervisor", "/api/v1/tokens", 403],
      ["supervisor", "/api/v1/audit?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z", 403],
      ["integration", "/api/v1/live?site=x", 403],
      ["integration", reportOf("x"), 403],
    ];
    const tokens = {
      supervisor: await role("supervisor"),
      qa: await role("qa"),
      display: await storedToken(api.h.ch, "display", { sites: ["x"] }).then((t) => t.token),
      integration: await role("integration"),
    };
    for (const [r, path, status] of expectations)
      expect((await get(path, tokens[r as keyof typeof tokens])).status, `${r} ${path}`).toBe(
        status,
      );
    // Nor may anyone but an admin make tokens, least of all an admin token for themselves.
    const res = await api.app.request("/api/v1/tokens", {
      method: "POST",
      body: JSON.stringify({ name: "me", role: "admin" }),
      headers: { ...bearer(tokens.supervisor), "content-type": "application/json" },
    });
    expect(res.status).toBe(403);
  });

  it("refuses an expired token, and to make one that has expired already", async () => {
    const { token } = await storedToken(api.h.ch, "qa", {
      expires_at: new Date(Date.now() + 1_000).toISOString(),
    });
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await get(reportOf("x"), token)).status).toBe(401);
    const past = await api.app.request("/api/v1/tokens", {
      method: "POST",
      body: JSON.stringify({ name: "old", role: "qa", expires_at: "2020-01-01T00:00:00Z" }),
      headers: { ...asAdmin.headers, "content-type": "application/json" },
    });
    expect(past.status).toBe(400);
    expect(issuePaths(ErrorEnvelope.parse(await past.json()).error)).toEqual(["expires_at"]);
    const { token: later } = await storedToken(api.h.ch, "qa", {
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect((await get(reportOf("x"), later)).status).toBe(200);
  });

  it("makes a revocation by one API process take effect in another within seconds", async () => {
    const { id, token } = await storedToken(api.h.ch, "qa");
    const other = createApp({ ch: api.h.ch, log: api.h.log, adminToken: TEST_ADMIN_TOKEN });
    expect((await other.request(reportOf("x"), { headers: bearer(token) })).status).toBe(200);
    expect(
      (await api.app.request(`/api/v1/tokens/${id}`, { method: "DELETE", ...asAdmin })).status,
    ).toBe(200);
    await eventually(
      async () =>
        expect((await other.request(reportOf("x"), { headers: bearer(token) })).status).toBe(401),
      10_000,
      500,
    );
  });

  it("refuses a body larger than 64 KiB with 413, before reading it into a token", async () => {
    const res = await api.app.request("/api/v1/tokens", {
      method: "POST",
      body: JSON.stringify({ name: "x".repeat(100_000), role: "qa" }),
      headers: { ...asAdmin.headers, "content-type": "application/json" },
    });
    expect(res.status).toBe(413);
    expect(ErrorEnvelope.parse(await res.json()).error.code).toBe("payload_too_large");
    const list = TokenList.parse(await (await api.app.request("/api/v1/tokens", asAdmin)).json());
    expect(list.tokens.some((t) => t.name.length > 1000)).toBe(false);
  });

  it("keeps hostile strings in every string parameter inert", async () => {
    for (const s of INJECTIONS) {
      const q = encodeURIComponent(s);
      // Sites must be plain identifiers: refused before any SQL is built.
      expect((await get(`/api/v1/live?site=${q}`, TEST_ADMIN_TOKEN)).status, s).toBe(400);
      // A queue or a channel may be any printable text: the report for it is empty, not another's.
      const res = await get(`${reportOf("site-a")}&queue=${q}`, TEST_ADMIN_TOKEN);
      if (res.status === 200)
        expect(
          ((await res.json()) as { rows: { queue: string }[] }).rows.every((r) => r.queue === s),
          s,
        ).toBe(true);
      else expect(res.status, s).toBe(400);
      expect(
        (
          await get(
            `/api/v1/audit?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&site=${q}`,
            TEST_ADMIN_TOKEN,
          )
        ).status,
        s,
      ).toBe(400);
      expect(
        (await api.app.request(`/api/v1/tokens/${q}`, { method: "DELETE", ...asAdmin })).status,
        s,
      ).toBeOneOf([400, 404]);
    }
    // Names are free text: stored and listed back exactly, whatever they hold.
    const name = INJECTIONS.find((s) => s.includes("DROP TABLE"))!;
    const res = await api.app.request("/api/v1/tokens", {
      method: "POST",
      body: JSON.stringify({ name, role: "qa" }),
      headers: { ...asAdmin.headers, "content-type": "application/json" },
    });
    expect(res.status).toBe(201);
    const list = TokenList.parse(await (await api.app.request("/api/v1/tokens", asAdmin)).json());
    expect(list.tokens.map((t) => t.name)).toContain(name.trim());
  });

  it("answers 404 for a site never configured nor seen on every read route, at no per-tick cost", async () => {
    const facts = countingClient(api.h.ch, /FROM contact_facts/);
    const app = createApp({ ch: facts.client, log: api.h.log, adminToken: TEST_ADMIN_TOKEN });
    const reads = (s: string) => [
      `/api/v1/live?site=${s}`,
      `/api/v1/live/stream?site=${s}`,
      reportOf(s),
      `/api/v1/contacts?site=${s}&queue=q&from=2026-11-01&to=2026-11-02`,
      `/api/v1/contacts/c1?site=${s}`,
      `/api/v1/agents?site=${s}`,
      `/api/v1/sites/${s}/queues`,
      `/api/v1/sites/${s}/hours`,
    ];
    for (let i = 0; i < 25; i++)
      for (const path of reads(`made-up-${i}`)) {
        const res = await app.request(path, asAdmin);
        expect(res.status, path).toBe(404);
        expect(ErrorEnvelope.parse(await res.json()).error.message).toContain(`made-up-${i}`);
      }
    expect(facts.count()).toBe(0);
    // A token of another site learns nothing about it: 403 comes first.
    const { token } = await storedToken(api.h.ch, "supervisor", { sites: ["site-a"] });
    expect((await get("/api/v1/live?site=made-up-0", token)).status).toBe(403);
    // A site whose first events arrive (the ingest writes its row then) is readable within seconds.
    expect((await app.request("/api/v1/live?site=new-site", asAdmin)).status).toBe(404);
    await seenSites(api.h.ch, ["new-site"]);
    await eventually(
      async () =>
        expect((await app.request("/api/v1/live?site=new-site", asAdmin)).status).toBe(200),
      5_000,
      200,
    );
    // And one configured by an admin of this process at once.
    const put = await app.request("/api/v1/sites/fresh-site", {
      method: "PUT",
      body: JSON.stringify({ name: "Fresh", tz: "UTC" }),
      headers: { ...asAdmin.headers, "content-type": "application/json" },
    });
    expect(put.status).toBe(200);
    expect((await app.request(reportOf("fresh-site"), asAdmin)).status).toBe(200);
  });

  it("keeps the API's own request id in the audit log, a client's X-Request-Id only beside it", async () => {
    const since = new Date().toISOString();
    const create = () =>
      api.app.request("/api/v1/tokens", {
        method: "POST",
        body: JSON.stringify({ name: "same id twice", role: "qa" }),
        headers: {
          ...asAdmin.headers,
          "content-type": "application/json",
          "x-request-id": "chosen-by-client",
        },
      });
    const answers = [await create(), await create()];
    const ours = answers.map((r) => r.headers.get("x-request-id"));
    expect(ours[0]).not.toBe("chosen-by-client");
    expect(ours[0]).not.toBe(ours[1]);
    const audit = AuditList.parse(
      await (
        await api.app.request(
          `/api/v1/audit?from=${since}&to=${new Date(Date.now() + 1_000).toISOString()}&action=token.create`,
          asAdmin,
        )
      ).json(),
    );
    const rows = audit.entries.filter((e) => e.detail.name === "same id twice");
    expect(rows.map((e) => e.request_id).sort()).toEqual([...ours].sort());
    expect(rows.map((e) => e.client_request_id)).toEqual(["chosen-by-client", "chosen-by-client"]);
  });

  it("does the same work for an unknown token id as for a known one, so timing tells nothing", async () => {
    const reads = countingClient(api.h.ch, /FROM api_tokens/);
    const app = createApp({
      ch: reads.client,
      log: api.h.log,
      adminToken: TEST_ADMIN_TOKEN,
      failureLimit: { maxFailures: 1_000, windowMs: 60_000 },
    });
    const { id, token } = await storedToken(api.h.ch, "qa");
    const readsOf = async (t: string) => {
      const before = reads.count();
      const res = await app.request(reportOf("x"), { headers: bearer(t) });
      return { status: res.status, reads: reads.count() - before };
    };
    // The holder's token is read once, then remembered.
    expect(await readsOf(token)).toEqual({ status: 200, reads: 1 });
    expect(await readsOf(token)).toEqual({ status: 200, reads: 0 });
    // A guess at that id and a guess at an id that does not exist: one point read each, alike.
    const guess = (tokenId: string, n: number) => `fw_${tokenId}_${String(n).padStart(43, "B")}`;
    for (let i = 0; i < 3; i++) {
      expect(await readsOf(guess(id, i))).toEqual({ status: 401, reads: 1 });
      expect(await readsOf(guess("0123456789ab", i))).toEqual({ status: 401, reads: 1 });
    }
    // (Timing itself is left to this structure: medians on two shared cores are noise.)
  });

  // Last: it blocks this test's address (api.app.request has none: "unknown") for a minute.
  it("slows guessing: after 5 unknown tokens from one address, 429 for guesses, never for good tokens", async () => {
    const { token: revoked, id } = await storedToken(api.h.ch, "qa");
    await api.app.request(`/api/v1/tokens/${id}`, { method: "DELETE", ...asAdmin });
    const supervisor = await storedToken(api.h.ch, "supervisor");
    expect((await get(reportOf("x"), supervisor.token)).status).toBe(200);
    // A revoked token left on a TV is not guessing: it never locks the address out.
    for (let i = 0; i < 10; i++) expect((await get(reportOf("x"), revoked)).status).toBe(401);
    for (let i = 0; i < 5; i++)
      expect(
        (await get(reportOf("x"), `fw_${"0".repeat(12)}_${String(i).padStart(43, "A")}`)).status,
      ).toBe(401);
    const res = await get(reportOf("x"), `fw_${"0".repeat(12)}_${"Z".repeat(43)}`);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(ErrorEnvelope.parse(await res.json()).error.code).toBe("rate_limited");
    // Everyone else behind that address goes on working: admins, supervisors, a token made after
    // the block (by another process), and a TV opening its stream.
    expect((await get(reportOf("x"), TEST_ADMIN_TOKEN)).status).toBe(200);
    expect((await get(reportOf("x"), supervisor.token)).status).toBe(200);
    const later = await storedToken(api.h.ch, "supervisor");
    expect((await get(reportOf("x"), later.token)).status).toBe(200);
    const tv = await storedToken(api.h.ch, "display", { sites: ["x"] });
    const stream = await get("/api/v1/live/stream?site=x", tv.token);
    expect(stream.status).toBe(200);
    await stream.body?.cancel();
    // Revoked tokens stay a plain 401, and guesses stay refused.
    expect((await get(reportOf("x"), revoked)).status).toBe(401);
    expect((await get(reportOf("x"), `fw_${"1".repeat(12)}_${"Z".repeat(43)}`)).status).toBe(429);
  });
});
