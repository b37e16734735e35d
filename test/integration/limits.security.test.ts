// Documented limits, held against someone testing them: no configuration version set far ahead
// (and none such, once stored, blocking every change after it), no date outside what ClickHouse's
// DateTime holds on any date parameter (outside it times wrap around and answers are silently
// wrong), no token that has expired already.
import { ErrorEnvelope, QueueInfo } from "@floorwatch/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { asAdmin, issuePaths, useApi } from "../support/api";
import { defineQueues } from "../support/sites";

describe("documented limits", () => {
  const api = useApi("limits_security");
  const site = "limits";
  const send = (method: string, path: string, body: unknown) =>
    api.app.request(path, {
      method,
      body: JSON.stringify(body),
      headers: { ...asAdmin.headers, "content-type": "application/json" },
    });
  const refusal = async (res: Response) => {
    expect(res.status).toBe(400);
    return issuePaths(ErrorEnvelope.parse(await res.json()).error);
  };
  const quarter = 15 * 60_000;
  const nextQuarter = () => Math.ceil((Date.now() + 1) / quarter) * quarter;

  beforeAll(async () => {
    expect((await send("PUT", `/api/v1/sites/${site}`, { name: site, tz: "UTC" })).status).toBe(
      200,
    );
    expect(
      (await send("PUT", `/api/v1/sites/${site}/queues/q`, { sl_threshold_s: 20 })).status,
    ).toBe(201);
  });

  it("refuses a definition version or business hours starting far ahead, naming valid_from", async () => {
    for (const valid_from of ["2099-01-01T00:00:00Z", new Date(nextQuarter() + quarter * 2)])
      expect(
        await refusal(
          await send("PUT", `/api/v1/sites/${site}/queues/q`, {
            sl_threshold_s: 30,
            valid_from: valid_from instanceof Date ? valid_from.toISOString() : valid_from,
          }),
        ),
      ).toEqual(["valid_from"]);
    expect(
      await refusal(
        await send("PUT", `/api/v1/sites/${site}/hours`, {
          weekly: [],
          valid_from: "2099-01-01T00:00:00Z",
        }),
      ),
    ).toEqual(["valid_from"]);
    // The next quarter hour (the default) is accepted.
    const ok = await send("PUT", `/api/v1/sites/${site}/queues/q`, {
      sl_threshold_s: 25,
      valid_from: new Date(nextQuarter()).toISOString(),
    });
    expect(ok.status).toBe(201);
  });

  it("lets a change in the present replace a version stored for the far future, not be refused by it", async () => {
    // As an older API accepted it: version 2 from 2099.
    await defineQueues(api.h.ch, site, [
      { queue: "legacy" },
      {
        queue: "legacy",
        version: 2,
        valid_from_ms: Date.parse("2099-01-01T00:00:00Z"),
        sl_threshold_s: 99,
      },
    ]);
    const present = new Date(Math.floor(Date.now() / quarter) * quarter).toISOString();
    const res = await send("PUT", `/api/v1/sites/${site}/queues/legacy`, {
      sl_threshold_s: 30,
      valid_from: present,
    });
    expect(res.status).toBe(201);
    const q = QueueInfo.parse(await res.json());
    expect(q.versions.map((v) => [v.version, v.sl_threshold_s, v.valid_from])).toEqual([
      [1, 20, "1970-01-01T00:00:00.000Z"],
      [2, 30, present],
    ]);
    expect(q.current).toMatchObject({ version: 2, sl_threshold_s: 30 });
    // A change before the start of the version in force is still refused.
    expect(
      await refusal(
        await send("PUT", `/api/v1/sites/${site}/queues/legacy`, {
          sl_threshold_s: 40,
          valid_from: new Date(Date.parse(present) - quarter).toISOString(),
        }),
      ),
    ).toEqual(["valid_from"]);
  });

  it("refuses every date parameter outside 1970-01-01 … 2106-02-07T06:28:15Z with a 400 naming it", async () => {
    const report = (from: string, to: string) =>
      `/api/v1/reports/intervals?site=${site}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&interval=1d`;
    const contacts = (from: string, to: string) =>
      `/api/v1/contacts?site=${site}&queue=q&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const cases: [string, string][] = [
      [report("2106-02-01T00:00:00Z", "2106-02-07T06:28:16Z"), "to"],
      [report("1969-12-31T23:59:59Z", "1970-01-02T00:00:00Z"), "from"],
      [report("1969-12-31", "1970-01-02"), "from"],
      [report("2106-02-01", "2106-02-08"), "to"],
      [contacts("2106-02-01T00:00:00Z", "2106-02-07T06:28:16Z"), "to"],
      [contacts("1960-01-01", "2020-01-01"), "from"],
      [`/api/v1/contacts/c1?site=${site}&around=2200-01-01`, "around"],
      [`/api/v1/audit?from=1969-01-01T00:00:00Z&to=2026-01-01T00:00:00Z`, "from"],
      [`/api/v1/audit?from=2026-01-01T00:00:00Z&to=2107-01-01T00:00:00Z`, "to"],
    ];
    for (const [path, parameter] of cases)
      expect(await refusal(await api.app.request(path, asAdmin)), path).toEqual([parameter]);
    // One second inside the range is an ordinary answer.
    expect(
      (await api.app.request(report("2106-02-01T00:00:00Z", "2106-02-07T06:28:15Z"), asAdmin))
        .status,
    ).toBe(200);
    // A local date whose midnight in the site's zone is before 1970 (UTC+8: 1969-12-31T16:00Z).
    expect(
      (await send("PUT", `/api/v1/sites/${site}-east`, { name: "east", tz: "Asia/Shanghai" }))
        .status,
    ).toBe(200);
    expect(
      await refusal(
        await api.app.request(
          `/api/v1/reports/intervals?site=${site}-east&from=1970-01-01&to=1970-01-03&interval=1d`,
          asAdmin,
        ),
      ),
    ).toEqual(["from"]);
    // Bodies too: a token expiring after 2106, a version from before 1970.
    expect(
      await refusal(
        await send("POST", "/api/v1/tokens", {
          name: "x",
          role: "qa",
          expires_at: "2107-01-01T00:00:00Z",
        }),
      ),
    ).toEqual(["expires_at"]);
    expect(
      await refusal(
        await send("PUT", `/api/v1/sites/${site}/hours`, {
          weekly: [],
          valid_from: "1969-12-31T23:45:00Z",
        }),
      ),
    ).toEqual(["valid_from"]);
  });
});
