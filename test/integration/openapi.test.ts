// The OpenAPI document served at /api/v1/openapi.json: a valid OpenAPI 3.1 document, generated
// from the schemas the routes use, naming every route the API serves.
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { asAdmin, useApi } from "../support/api";

describe("the OpenAPI document", () => {
  const api = useApi("openapi");

  it("validates as OpenAPI 3.1", async () => {
    const res = await api.app.request("/api/v1/openapi.json", asAdmin);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string };
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
  });

  it("documents every route the API answers, with its parameters", async () => {
    const doc = (await (await api.app.request("/api/v1/openapi.json", asAdmin)).json()) as {
      paths: Record<string, Record<string, { parameters: { name: string }[] }>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} /api/v1${p.replace(/\{(\w+)\}/g, ":$1")}`),
    );
    const served = api.app.routes
      .filter(
        (r) =>
          r.path.startsWith("/api/v1/") && r.method !== "ALL" && r.path !== "/api/v1/openapi.json",
      )
      .map((r) => `${r.method} ${r.path.replace(/\/$/, "")}`);
    expect([...new Set(served)].sort()).toEqual([...new Set(documented)].sort());
    expect(doc.paths["/reports/intervals"]!.get!.parameters.map((p) => p.name)).toEqual([
      "site",
      "from",
      "to",
      "interval",
      "queue",
      "channel",
    ]);
  });

  it("is behind a token like every other API route", async () => {
    expect((await api.app.request("/api/v1/openapi.json")).status).toBe(401);
  });
});
