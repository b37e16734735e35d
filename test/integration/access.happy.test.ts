// Access, as an admin and the people they give tokens to see it: tokens made by the API and by
// `npm run token`, shown once, listed without secrets, working for their role and sites, revoked,
// and every such change in the audit log. Real ClickHouse; no ingest needed.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { AuditList, TokenCreated, TokenList, type TokenCreate } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { asAdmin, bearer, useApi } from "../support/api";
import { childEnv } from "../support/env";

const root = join(import.meta.dirname, "../..");

describe("tokens and the audit log", () => {
  const api = useApi("access_happy", {
    app: { liveTtlMs: 0 },
    sites: ["sh-pudong", "any-site"],
  });
  const started = new Date(Date.now() - 1_000).toISOString();

  const create = async (body: TokenCreate) => {
    const res = await api.app.request("/api/v1/tokens", {
      method: "POST",
      body: JSON.stringify(body),
      headers: { ...asAdmin.headers, "content-type": "application/json" },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    return TokenCreated.parse(await res.json());
  };

  it("creates a token that works at once for its role and site, and shows its secret only then", async () => {
    const made = await create({
      name: "王主管 (cards floor)",
      role: "supervisor",
      sites: ["sh-pudong"],
    });
    expect(made).toMatchObject({
      name: "王主管 (cards floor)",
      role: "supervisor",
      sites: ["sh-pudong"],
      pii: false,
      revoked_at: null,
      expires_at: null,
      created_by: "ADMIN_TOKEN",
    });
    expect(made.token).toMatch(/^fw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);

    const live = await api.app.request("/api/v1/live?site=sh-pudong", {
      headers: bearer(made.token),
    });
    expect(live.status).toBe(200);
    const report = await api.app.request(
      "/api/v1/reports/intervals?site=sh-pudong&from=2026-11-01&to=2026-11-02&interval=1d",
      { headers: bearer(made.token) },
    );
    expect(report.status).toBe(200);

    const list = TokenList.parse(await (await api.app.request("/api/v1/tokens", asAdmin)).json());
    const listed = list.tokens.find((t) => t.id === made.id)!;
    expect(listed).toMatchObject({ name: made.name, role: "supervisor", sites: ["sh-pudong"] });
    const text = JSON.stringify(list);
    expect(text).not.toContain(made.token);
    expect(text).not.toContain(made.token.slice(-43));
    expect(listed).not.toHaveProperty("token");
  });

  it("gives a TV a display token for one site that reads its live data", async () => {
    const tv = await create({
      name: "3F east TV",
      role: "display",
      sites: ["sh-pudong"],
      layout: "floor-3-east",
    });
    expect(tv.layout).toBe("floor-3-east");
    expect(
      (await api.app.request("/api/v1/live?site=sh-pudong", { headers: bearer(tv.token) })).status,
    ).toBe(200);
  });

  it("revokes a token: refused from the next request on, listed as revoked", async () => {
    const made = await create({ name: "temp", role: "qa", sites: [] });
    const query =
      "/api/v1/reports/intervals?site=any-site&from=2026-11-01&to=2026-11-02&interval=1d";
    expect((await api.app.request(query, { headers: bearer(made.token) })).status).toBe(200);
    const res = await api.app.request(`/api/v1/tokens/${made.id}`, {
      method: "DELETE",
      ...asAdmin,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { revoked_at: string | null }).revoked_at).not.toBeNull();
    expect((await api.app.request(query, { headers: bearer(made.token) })).status).toBe(401);
    const list = TokenList.parse(await (await api.app.request("/api/v1/tokens", asAdmin)).json());
    expect(list.tokens.find((t) => t.id === made.id)?.revoked_at).not.toBeNull();
  });

  it("makes the first admin token from the command line", async () => {
    const env = childEnv({
      CLICKHOUSE_DATABASE: api.h.clickhouse.database,
      CLICKHOUSE_URL: api.h.clickhouse.url,
    });
    const r = spawnSync(
      join(root, "node_modules/.bin/tsx"),
      ["api/src/cli/token.ts", "create", "--role", "admin", "--name", "first admin", "--quiet"],
      { cwd: root, env, encoding: "utf8" },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(/^fw_/);
    const res = await api.app.request("/api/v1/tokens", { headers: bearer(token) });
    expect(res.status).toBe(200);
    const list = TokenList.parse(await res.json());
    expect(list.tokens.find((t) => t.name === "first admin")).toMatchObject({
      role: "admin",
      sites: [],
      created_by: expect.stringMatching(/^cli:/),
    });
  });

  it("records every token created and revoked in the audit log, newest first", async () => {
    const to = new Date(Date.now() + 1_000).toISOString();
    const res = await api.app.request(
      `/api/v1/audit?from=${encodeURIComponent(started)}&to=${encodeURIComponent(to)}`,
      asAdmin,
    );
    expect(res.status).toBe(200);
    const { entries } = AuditList.parse(await res.json());
    const actions = entries.map((e) => `${e.action}:${e.actor.name}`);
    // Three made through the API, one on the command line.
    expect(actions.filter((a) => a === "token.create:ADMIN_TOKEN")).toHaveLength(3);
    expect(actions.filter((a) => /^token\.create:cli:/.test(a))).toHaveLength(1);
    expect(actions).toContain("token.revoke:ADMIN_TOKEN");
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort().reverse());
    const revoke = entries.find((e) => e.action === "token.revoke")!;
    expect(revoke.detail).toMatchObject({ name: "temp", role: "qa" });
    expect(revoke.request_id).not.toBe("");
    const onlyRevokes = AuditList.parse(
      await (
        await api.app.request(
          `/api/v1/audit?from=${encodeURIComponent(started)}&to=${encodeURIComponent(to)}&action=token.revoke`,
          asAdmin,
        )
      ).json(),
    );
    expect(onlyRevokes.entries.map((e) => e.action)).toEqual(["token.revoke"]);
  });
});
