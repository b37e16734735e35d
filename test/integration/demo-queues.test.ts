// The demo site's queues named in both languages where queue configuration lives (issue #12):
// configured at demo start against the real ClickHouse, read back by GET /sites/:site/queues, and
// idempotent: a second start writes nothing and no start creates a definition version.
import { QueueList } from "@floorwatch/contracts";
import { sql } from "@floorwatch/sql";
import { describe, expect, it } from "vitest";
import { configureDemoQueues } from "../../ingest/src/demo/queues";
import { DEMO_QUEUES } from "../../ingest/src/demo/simulator";
import { asAdmin, useApi } from "../support/api";

const site = "demo-names";

describe("the demo's queue names", () => {
  const t = useApi("demo_queues", { sites: [site] });

  const queues = async () => {
    const res = await t.app.request(`/api/v1/sites/${site}/queues`, asAdmin);
    expect(res.status).toBe(200);
    return QueueList.parse(await res.json()).queues;
  };
  const storedRows = async () => {
    const rs = await t.h.ch.query({
      query: sql`SELECT count() AS n FROM queue_definitions FINAL WHERE site = ${site}`.text,
      format: "JSONEachRow",
    });
    return Number((await rs.json<{ n: string }>())[0]?.n);
  };

  it("names every demo queue in Chinese and English, once, without new versions", async () => {
    const first = await configureDemoQueues(t.h.ch, site, DEMO_QUEUES, Date.now());
    expect(first).toHaveLength(DEMO_QUEUES.length);
    const shown = await queues();
    for (const q of DEMO_QUEUES) {
      const got = shown.find((s) => s.queue === q.queue);
      expect(got, q.queue).toMatchObject({
        channel: q.channel,
        name_zh: q.name_zh,
        name_en: q.name_en,
      });
      expect(got?.versions.map((v) => v.version)).toEqual([1]);
    }
    expect(shown.find((s) => s.queue === "credit_card")?.name_zh).toBe("信用卡");

    // A second start: nothing to write, nothing changes.
    expect(await configureDemoQueues(t.h.ch, site, DEMO_QUEUES, Date.now())).toEqual([]);
    expect(await storedRows()).toBe(DEMO_QUEUES.length);
    expect(await queues()).toEqual(shown);
  });

  it("keeps a name an admin gave a demo queue, and its definition versions", async () => {
    const put = await t.app.request(`/api/v1/sites/${site}/queues/loans`, {
      method: "PUT",
      headers: { ...asAdmin.headers, "content-type": "application/json" },
      body: JSON.stringify({ name_en: "Mortgages and loans", sl_threshold_s: 30 }),
    });
    expect(put.status).toBe(201);
    expect(await configureDemoQueues(t.h.ch, site, DEMO_QUEUES, Date.now())).toEqual([]);
    const loans = (await queues()).find((q) => q.queue === "loans");
    expect(loans?.name_en).toBe("Mortgages and loans");
    expect(loans?.name_zh).toBe("个人贷款");
    expect(loans?.versions.map((v) => v.version)).toEqual([1, 2]);
  });
});
