// Follow-ups asked wrongly: a 400 naming the parameter, a 404 for a site that is not there.
import { ErrorEnvelope, FollowupList } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { asAdmin, issuePaths, useApi } from "../support/api";

describe("follow-up errors", () => {
  const api = useApi("followups_error", { sites: ["s1"] });

  const refused = async (url: string, status: number) => {
    const res = await api.app.request(url, asAdmin);
    expect(res.status, url).toBe(status);
    return ErrorEnvelope.parse(await res.json()).error;
  };
  const base = "/api/v1/followups?site=s1";

  it("names an unknown status", async () => {
    const e = await refused(`${base}&status=late`, 400);
    expect(issuePaths(e)).toEqual(["status"]);
    expect(e.message).toContain("status");
  });

  it("names a missing or malformed site, and a bad queue or limit", async () => {
    expect(issuePaths(await refused("/api/v1/followups", 400))).toEqual(["site"]);
    expect(issuePaths(await refused("/api/v1/followups?site=Not%20A%20Site", 400))).toEqual([
      "site",
    ]);
    expect(issuePaths(await refused(`${base}&limit=0`, 400))).toEqual(["limit"]);
    expect(issuePaths(await refused(`${base}&limit=1001`, 400))).toEqual(["limit"]);
    expect(issuePaths(await refused(`${base}&queue=`, 400))).toEqual(["queue"]);
  });

  it("names a bound that is not a date, or not a real one", async () => {
    expect(issuePaths(await refused(`${base}&from=yesterday`, 400))).toEqual(["from"]);
    expect(issuePaths(await refused(`${base}&to=2026-13-01`, 400))).toEqual(["to"]);
    expect(issuePaths(await refused(`${base}&from=2026-02-30&to=2026-03-02`, 400))).toEqual([
      "from",
    ]);
    expect(issuePaths(await refused(`${base}&to=2026-11-02T25:00:00Z`, 400))).toEqual(["to"]);
    expect(issuePaths(await refused(`${base}&from=1969-12-31`, 400))).toEqual(["from"]);
  });

  it("refuses a reversed or empty range, and one longer than 92 days", async () => {
    expect(issuePaths(await refused(`${base}&from=2026-11-02&to=2026-11-01`, 400))).toEqual(["to"]);
    expect(issuePaths(await refused(`${base}&from=2026-11-02&to=2026-11-02`, 400))).toEqual(["to"]);
    expect(issuePaths(await refused(`${base}&from=2026-01-01&to=2026-11-01`, 400))).toEqual([
      "from",
    ]);
  });

  it("answers a site never configured nor seen with 404", async () => {
    expect((await refused("/api/v1/followups?site=nowhere", 404)).message).toContain("nowhere");
  });

  it("answers a site without low scores with an empty list and zero counts", async () => {
    const res = await api.app.request(`${base}&from=2026-11-01&to=2026-11-08`, asAdmin);
    expect(res.status).toBe(200);
    expect(FollowupList.parse(await res.json())).toMatchObject({
      site: "s1",
      from: "2026-11-01T00:00:00+08:00",
      to: "2026-11-08T00:00:00+08:00",
      counts: { open: 0, met: 0, overdue: 0, untrackable: 0 },
      followups: [],
    });
  });
});
