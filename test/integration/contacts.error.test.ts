// The drill-down, asked wrongly: a 400 naming the parameter, a 404 for what is not there.
import { createApp } from "@floorwatch/api";
import { ErrorEnvelope } from "@floorwatch/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asAdmin, TEST_ADMIN_TOKEN } from "../support/api";
import { createHarness, type Harness } from "../support/harness";

describe("drill-down errors", () => {
  let h: Harness;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    h = await createHarness("drill_error");
    app = createApp({ ch: h.ch, log: h.log, adminToken: TEST_ADMIN_TOKEN });
  });
  afterAll(async () => h?.cleanup());

  const refused = async (url: string, status: number) => {
    const res = await app.request(url, asAdmin);
    expect(res.status, url).toBe(status);
    return ErrorEnvelope.parse(await res.json()).error;
  };
  const paths = (e: { issues?: { path: string }[] }) => [...new Set((e.issues ?? []).map((i) => i.path))];
  const base = "/api/v1/contacts?site=s1&queue=cards&from=2026-11-01&to=2026-11-02";

  it("names a missing queue, site, or range", async () => {
    expect(paths(await refused("/api/v1/contacts?site=s1&from=2026-11-01&to=2026-11-02", 400))).toEqual(["queue"]);
    expect(paths(await refused("/api/v1/contacts?queue=cards&from=2026-11-01&to=2026-11-02", 400))).toEqual(["site"]);
    expect(paths(await refused("/api/v1/contacts?site=s1&queue=cards", 400)).sort()).toEqual(["from", "to"]);
  });

  it("names a bad outcome, flag, wait, sort, limit or cursor", async () => {
    expect(paths(await refused(`${base}&outcome=lost`, 400))).toEqual(["outcome"]);
    expect(paths(await refused(`${base}&within_sl=maybe`, 400))).toEqual(["within_sl"]);
    expect(paths(await refused(`${base}&min_wait_s=-1`, 400))).toEqual(["min_wait_s"]);
    expect(paths(await refused(`${base}&sort=random`, 400))).toEqual(["sort"]);
    expect(paths(await refused(`${base}&limit=501`, 400))).toEqual(["limit"]);
    expect(paths(await refused(`${base}&cursor=not-a-cursor`, 400))).toEqual(["cursor"]);
  });

  it("refuses a reversed range", async () => {
    expect(paths(await refused("/api/v1/contacts?site=s1&queue=cards&from=2026-11-02&to=2026-11-01", 400))).toEqual(["to"]);
  });

  it("answers a contact it cannot find with 404, and a bad hint with 400", async () => {
    expect((await refused("/api/v1/contacts/nobody?site=s1&around=2026-11-01T10:00:00Z", 404)).message).toContain("nobody");
    expect(paths(await refused("/api/v1/contacts/c1?site=s1&around=soon", 400))).toEqual(["around"]);
    expect(paths(await refused("/api/v1/contacts/c1", 400))).toEqual(["site"]);
  });
});
