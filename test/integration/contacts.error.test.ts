// The drill-down, asked wrongly: a 400 naming the parameter, a 404 for what is not there.
import { ErrorEnvelope } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { asAdmin, issuePaths, useApi } from "../support/api";

describe("drill-down errors", () => {
  const api = useApi("drill_error", { sites: ["s1"] });

  const refused = async (url: string, status: number) => {
    const res = await api.app.request(url, asAdmin);
    expect(res.status, url).toBe(status);
    return ErrorEnvelope.parse(await res.json()).error;
  };
  const base = "/api/v1/contacts?site=s1&queue=cards&from=2026-11-01&to=2026-11-02";

  it("names a missing queue, site, or range", async () => {
    expect(
      issuePaths(await refused("/api/v1/contacts?site=s1&from=2026-11-01&to=2026-11-02", 400)),
    ).toEqual(["queue"]);
    expect(
      issuePaths(await refused("/api/v1/contacts?queue=cards&from=2026-11-01&to=2026-11-02", 400)),
    ).toEqual(["site"]);
    expect(issuePaths(await refused("/api/v1/contacts?site=s1&queue=cards", 400)).sort()).toEqual([
      "from",
      "to",
    ]);
  });

  it("names a bad outcome, flag, wait, sort, limit or cursor", async () => {
    expect(issuePaths(await refused(`${base}&outcome=lost`, 400))).toEqual(["outcome"]);
    expect(issuePaths(await refused(`${base}&within_sl=maybe`, 400))).toEqual(["within_sl"]);
    expect(issuePaths(await refused(`${base}&min_wait_s=-1`, 400))).toEqual(["min_wait_s"]);
    expect(issuePaths(await refused(`${base}&sort=random`, 400))).toEqual(["sort"]);
    expect(issuePaths(await refused(`${base}&limit=501`, 400))).toEqual(["limit"]);
    expect(issuePaths(await refused(`${base}&cursor=not-a-cursor`, 400))).toEqual(["cursor"]);
  });

  it("refuses a reversed range", async () => {
    expect(
      issuePaths(
        await refused("/api/v1/contacts?site=s1&queue=cards&from=2026-11-02&to=2026-11-01", 400),
      ),
    ).toEqual(["to"]);
  });

  it("answers a contact it cannot find with 404, and a bad hint with 400", async () => {
    expect(
      (await refused("/api/v1/contacts/nobody?site=s1&around=2026-11-01T10:00:00Z", 404)).message,
    ).toContain("nobody");
    expect(issuePaths(await refused("/api/v1/contacts/c1?site=s1&around=soon", 400))).toEqual([
      "around",
    ]);
    expect(issuePaths(await refused("/api/v1/contacts/c1", 400))).toEqual(["site"]);
  });
});
