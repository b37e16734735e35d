// The API's GET /metrics: Prometheus text for admin tokens only, counting the ClickHouse reads it
// retried after a reset keep-alive socket.
import { createApp } from "@floorwatch/api";
import { createClickHouse, type ClickHouseClient } from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, storedToken, TEST_ADMIN_TOKEN, useApi } from "../support/api";
import { resettingProxy } from "../support/resetting-proxy";

const RETRIES = "floorwatch_api_clickhouse_read_retries_total";
const retries = (text: string) =>
  Number(new RegExp(`^${RETRIES} (\\d+)$`, "m").exec(text)?.[1] ?? Number.NaN);

describe("GET /metrics of the api", () => {
  const api = useApi("api_metrics");
  let proxy: Awaited<ReturnType<typeof resettingProxy>>;
  let ch: ClickHouseClient;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    proxy = await resettingProxy(new URL(api.h.clickhouse.url));
    ch = createClickHouse({ ...api.h.clickhouse, url: proxy.url });
    app = createApp({ ch, log: api.h.log, adminToken: TEST_ADMIN_TOKEN });
  });
  afterAll(async () => {
    await ch?.close();
    await proxy?.close();
  });

  it("refuses a request without a token, and every role but admin", async () => {
    expect((await app.request("/metrics")).status).toBe(401);
    for (const role of ["supervisor", "qa", "display", "integration"] as const) {
      const { token } = await storedToken(api.h.ch, role);
      const res = await app.request("/metrics", { headers: bearer(token) });
      expect(res.status, role).toBe(403);
      expect(await res.text(), role).not.toContain(RETRIES);
    }
  });

  it("counts a read retried after its reused keep-alive socket was reset", async () => {
    const { token } = await storedToken(api.h.ch, "admin");
    const asAdmin = { headers: bearer(token) };
    const before = await app.request("/metrics", asAdmin);
    expect(before.status).toBe(200);
    expect(before.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(retries(await before.text())).toBe(0);

    proxy.arm(); // the next request on the token lookup's kept-alive socket is reset
    expect((await app.request("/api/v1/sites", asAdmin)).status).toBe(200);
    expect(proxy.resets()).toBe(1);

    const after = await app.request("/metrics", { headers: bearer(TEST_ADMIN_TOKEN) });
    expect(retries(await after.text())).toBe(1);
  });
});
