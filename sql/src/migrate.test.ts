// dropDatabase is exported with the migration runner, which production uses: it must refuse every
// database that is not a test harness's throwaway one, before it connects to anything.
import { describe, expect, it } from "vitest";
import { dropDatabase, THROWAWAY_DATABASE } from "./migrate";

// Nothing listens here: a refused name never reaches a connection, an accepted one fails to connect.
const config = (database: string) => ({
  url: "http://127.0.0.1:9",
  user: "default",
  password: "",
  database,
});

describe("dropDatabase", () => {
  it.each([
    "floorwatch",
    "default",
    "system",
    "fwtest",
    "fwtest_",
    "my_fwtest_x",
    "FWTEST_x",
    "fwtest_x; DROP DATABASE floorwatch",
    "bench_api_x",
  ])("refuses to drop %j", async (name) => {
    await expect(dropDatabase(config(name))).rejects.toThrow(/refusing to drop database/);
  });

  it("accepts the names the test harness and the benchmarks give", () => {
    for (const name of ["fwtest_thin_0a1b2c3d", "fwtest_live_1234_5678_ref", "fwtest_bench_api_k3"])
      expect(THROWAWAY_DATABASE.test(name)).toBe(true);
  });

  it("goes on to the server for a test database", async () => {
    await expect(dropDatabase(config("fwtest_x_0a1b"))).rejects.not.toThrow(/refusing/);
  });
});
