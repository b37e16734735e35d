// Alerts, breaches and acknowledgements asked wrongly: a 400 naming the parameter, a 404 for a site,
// breach or alert that is not there. No alert needs to exist: every refusal comes before one is read.
import { ErrorEnvelope } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { asAdmin, issuePaths, useApi } from "../support/api";

describe("alert errors", () => {
  const site = "alerts-error";
  const api = useApi("alerts_error", { sites: [site] });
  const range = "from=2026-11-01&to=2026-11-02";
  /** Well-formed (24 hex, as the evaluator derives them) but never raised. */
  const unknownId = "0123456789abcdef01234567";

  const refused = async (res: Response | Promise<Response>, status: number) => {
    const r = await res;
    expect(r.status, await r.clone().text()).toBe(status);
    return ErrorEnvelope.parse(await r.json()).error;
  };
  const get = (url: string) => api.app.request(url, asAdmin);
  const ack = (id: string, body: unknown) =>
    api.app.request(`/api/v1/alerts/${id}/ack`, {
      method: "POST",
      body: typeof body === "string" ? body : JSON.stringify(body),
      headers: { ...asAdmin.headers, "content-type": "application/json" },
    });

  it("refuses /alerts without a site, or with a malformed one, naming site", async () => {
    expect(issuePaths(await refused(get("/api/v1/alerts"), 400))).toEqual(["site"]);
    expect(issuePaths(await refused(get("/api/v1/alerts?site=Not%20A%20Site"), 400))).toEqual([
      "site",
    ]);
  });

  it("names a state that is neither pending nor firing", async () => {
    const e = await refused(get(`/api/v1/alerts?site=${site}&state=resolved`), 400);
    expect(issuePaths(e)).toEqual(["state"]);
    expect(e.message).toContain("state");
  });

  it("refuses a misspelt parameter instead of answering every alert (status for state)", async () => {
    const e = await refused(get(`/api/v1/alerts?site=${site}&status=firing`), 400);
    expect(e.message).toContain("status");
  });

  it("answers a site never configured nor seen with 404, on every alert route", async () => {
    expect((await refused(get("/api/v1/alerts?site=nowhere"), 404)).message).toContain("nowhere");
    await refused(get(`/api/v1/breaches?site=nowhere&${range}`), 404);
    await refused(get(`/api/v1/breaches/${unknownId}?site=nowhere`), 404);
    await refused(ack(unknownId, { site: "nowhere", note: "" }), 404);
  });

  it("refuses a breach range with from after to, or from equal to to", async () => {
    const reversed = `/api/v1/breaches?site=${site}&from=2026-11-02&to=2026-11-01`;
    expect(issuePaths(await refused(get(reversed), 400))).toEqual(["to"]);
    const empty = `/api/v1/breaches?site=${site}&from=2026-11-02T00:00:00Z&to=2026-11-02T00:00:00Z`;
    expect(issuePaths(await refused(get(empty), 400))).toEqual(["to"]);
  });

  it("names a missing or malformed bound of the breach range", async () => {
    expect(issuePaths(await refused(get(`/api/v1/breaches?site=${site}`), 400)).sort()).toEqual([
      "from",
      "to",
    ]);
    expect(
      issuePaths(
        await refused(get(`/api/v1/breaches?site=${site}&from=yesterday&to=2026-11-02`), 400),
      ),
    ).toEqual(["from"]);
  });

  it("names a severity that is not info, warning or critical", async () => {
    const e = await refused(get(`/api/v1/breaches?site=${site}&${range}&severity=fatal`), 400);
    expect(issuePaths(e)).toEqual(["severity"]);
  });

  it("names a limit below 1 or above 1000", async () => {
    for (const limit of ["0", "-1", "1001", "ten"])
      expect(
        issuePaths(
          await refused(get(`/api/v1/breaches?site=${site}&${range}&limit=${limit}`), 400),
        ),
        limit,
      ).toEqual(["limit"]);
  });

  it("refuses a breach parameter it does not know, rather than ignoring a misspelt filter", async () => {
    const e = await refused(get(`/api/v1/breaches?site=${site}&${range}&severty=critical`), 400);
    expect(e.message).toContain("severty");
  });

  it("refuses an alert or breach id that is not an id", async () => {
    for (const id of ["not-an-id", "0123456789ABCDEF01234567", "0123456789abcdef0123456"])
      expect(
        issuePaths(await refused(get(`/api/v1/breaches/${id}?site=${site}`), 400)),
        id,
      ).toEqual(["id"]);
    expect(issuePaths(await refused(ack("not-an-id", { site, note: "" }), 400))).toEqual(["id"]);
  });

  it("answers 404 to a well-formed breach id that was never raised", async () => {
    const e = await refused(get(`/api/v1/breaches/${unknownId}?site=${site}`), 404);
    expect(e.message).toContain(unknownId);
  });

  it("answers 404 to an acknowledgement of an alert that was never raised", async () => {
    const e = await refused(ack(unknownId, { site, note: "taking it" }), 404);
    expect(e.message).toContain(unknownId);
  });

  it("refuses an acknowledgement note over 1000 characters, naming note", async () => {
    const e = await refused(ack(unknownId, { site, note: "x".repeat(1001) }), 400);
    expect(issuePaths(e)).toEqual(["note"]);
  });

  it("refuses an acknowledgement without a site, with a field it does not know, or not JSON", async () => {
    expect(issuePaths(await refused(ack(unknownId, { note: "on it" }), 400))).toEqual(["site"]);
    const extra = await refused(ack(unknownId, { site, note: "", by: "someone else" }), 400);
    expect(extra.message).toContain("by");
    expect((await refused(ack(unknownId, "{"), 400)).code).toBe("bad_request");
  });
});
