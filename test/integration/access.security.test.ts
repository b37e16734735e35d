// Access, against someone trying: tokens stored only as hashes, no figure of one site through a
// token of another, roles held to their capabilities, revocation and expiry effective, guessing
// slowed, oversized bodies refused, hostile strings in every string parameter harmless.
import { createApp } from "@floorwatch/api";
import { ErrorEnvelope, TokenList } from "@floorwatch/contracts";
import { runQuery, loadTokens } from "@floorwatch/sql";
import { describe, expect, it } from "vitest";
import { asAdmin, bearer, storedToken, TEST_ADMIN_TOKEN, useApi } from "../support/api";
import { eventually } from "../support/harness";
import { INJECTIONS } from "../support/hostile-strings";

describe("access under attack", () => {
  const api = useApi("access_security", {
    app: { liveTtlMs: 0, failureLimit: { maxFailures: 5, windowMs: 60_000 } },
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

  it("refuses an expired token", async () => {
    const { token } = await storedToken(api.h.ch, "qa", {
      expires_at: new Date(Date.now() - 1_000).toISOString(),
    });
    expect((await get(reportOf("x"), token)).status).toBe(401);
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

  // Last: it blocks this test's address (api.app.request has none: "unknown") for a minute.
  it("slows guessing: after 5 unknown tokens from one address, 429 even for a good token", async () => {
    const { token: revoked, id } = await storedToken(api.h.ch, "qa");
    await api.app.request(`/api/v1/tokens/${id}`, { method: "DELETE", ...asAdmin });
    // A revoked token left on a TV is not guessing: it never locks the address out.
    for (let i = 0; i < 10; i++) expect((await get(reportOf("x"), revoked)).status).toBe(401);
    for (let i = 0; i < 5; i++)
      expect(
        (await get(reportOf("x"), `fw_${"0".repeat(12)}_${String(i).padStart(43, "A")}`)).status,
      ).toBe(401);
    const res = await get(reportOf("x"), TEST_ADMIN_TOKEN);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(ErrorEnvelope.parse(await res.json()).error.code).toBe("rate_limited");
  });
});
