// Access, when the request is wrong: every mistake gets the single error envelope with a status
// and a message that names the problem, and nothing of the server's insides.
import { ErrorEnvelope } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { asAdmin, bearer, issuePaths, useApi } from "../support/api";

describe("access errors", () => {
  const api = useApi("access_error");

  const error = async (res: Response, status: number) => {
    expect(res.status).toBe(status);
    const body = ErrorEnvelope.parse(await res.json());
    expect(body.error.requestId).not.toBe("");
    expect(JSON.stringify(body)).not.toMatch(/ClickHouse|DB::Exception|at .*\.ts:\d+/);
    return body.error;
  };
  const post = (body: unknown, headers: Record<string, string> = asAdmin.headers) =>
    api.app.request("/api/v1/tokens", {
      method: "POST",
      body: typeof body === "string" ? body : JSON.stringify(body),
      headers: { ...headers, "content-type": "application/json" },
    });

  it("asks for a bearer token when there is none, and says how to send one", async () => {
    const res = await api.app.request("/api/v1/live?site=demo");
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
    expect((await error(res, 401)).message).toContain("Authorization: Bearer");
  });

  it("refuses a token it does not know, or a header that is not a bearer token, with 401", async () => {
    await error(
      await api.app.request("/api/v1/live?site=demo", {
        headers: bearer(`fw_000000000000_${"A".repeat(43)}`),
      }),
      401,
    );
    await error(
      await api.app.request("/api/v1/live?site=demo", {
        headers: { authorization: `Basic ${btoa("a:b")}` },
      }),
      401,
    );
    await error(
      await api.app.request("/api/v1/live?site=demo", { headers: bearer("not-a-token") }),
      401,
    );
  });

  it("names every problem of a token to create", async () => {
    const e = await error(
      await post({ name: "", role: "boss", sites: ["Bad Site"], pii: "yes" }),
      400,
    );
    expect(e.code).toBe("bad_request");
    expect(e.issues!.map((i) => i.path).sort()).toEqual(["name", "pii", "role", "sites.0"]);
  });

  it("refuses a display token for no site or several, personal data for a display, unknown fields, a bad expiry", async () => {
    expect(
      (await error(await post({ name: "tv", role: "display", sites: [] }), 400)).issues!.map(
        (i) => i.path,
      ),
    ).toEqual(["sites"]);
    expect(
      (
        await error(await post({ name: "tv", role: "display", sites: ["a", "b"] }), 400)
      ).issues!.map((i) => i.path),
    ).toEqual(["sites"]);
    expect(
      (
        await error(await post({ name: "tv", role: "display", sites: ["a"], pii: true }), 400)
      ).issues!.map((i) => i.path),
    ).toEqual(["pii"]);
    expect(
      (await error(await post({ name: "x", role: "qa", admin: true }), 400)).message,
    ).toContain("admin");
    expect(
      issuePaths(await error(await post({ name: "x", role: "qa", expires_at: "next week" }), 400)),
    ).toEqual(["expires_at"]);
  });

  it("answers a body that is not JSON with 400", async () => {
    expect((await error(await post("{not json"), 400)).code).toBe("bad_request");
  });

  it("answers a revocation of a malformed id with 400 and of an unknown one with 404", async () => {
    expect(
      (
        await error(
          await api.app.request("/api/v1/tokens/xyz", { method: "DELETE", ...asAdmin }),
          400,
        )
      ).issues!.map((i) => i.path),
    ).toEqual(["id"]);
    expect(
      (
        await error(
          await api.app.request("/api/v1/tokens/0123456789ab", { method: "DELETE", ...asAdmin }),
          404,
        )
      ).message,
    ).toContain("0123456789ab");
  });

  it("names a bad or reversed audit range", async () => {
    expect(
      issuePaths(
        await error(
          await api.app.request("/api/v1/audit?from=yesterday&to=2026-11-02T00:00:00Z", asAdmin),
          400,
        ),
      ),
    ).toEqual(["from"]);
    expect(
      (
        await error(
          await api.app.request(
            "/api/v1/audit?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z",
            asAdmin,
          ),
          400,
        )
      ).issues!.map((i) => i.path),
    ).toEqual(["to"]);
    expect(
      (
        await error(
          await api.app.request(
            "/api/v1/audit?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&action=delete.everything",
            asAdmin,
          ),
          400,
        )
      ).issues!.map((i) => i.path),
    ).toEqual(["action"]);
  });

  it("answers an unknown route with 404 once the caller is known", async () => {
    expect((await error(await api.app.request("/api/v1/nope", asAdmin), 404)).code).toBe(
      "not_found",
    );
  });
});
