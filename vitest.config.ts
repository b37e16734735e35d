import { defineConfig } from "vitest/config";

// Four projects: `unit` (pure logic, next to the code, no servers), `integration` (real Kafka,
// ClickHouse and Chromium; test/integration), `realdata` (six months of real calls end to end,
// alone) and `faults` (test/faults: kills and restarts the real servers, alone, last). `npm test`
// runs all after the typecheck.
export default defineConfig({
  test: {
    // Two cores, and the servers need one of them. Set once for all projects: vitest refuses
    // projects of one group order with different worker limits.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "{contracts,sql,ingest,api,wallboard}/src/**/*.test.ts",
            "test/unit/**/*.test.ts",
          ],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          // expect.poll waits for a state through real servers and a browser: vitest's 1 s default
          // is one round trip on a loaded machine. A bound on the wait, not on the assertion.
          expect: { poll: { timeout: 15_000 } },
        },
      },
      {
        // The six-month replay takes both cores for minutes; alone, after the other integration
        // files, it neither slows them into rebalances nor is slowed by them.
        test: {
          name: "realdata",
          include: ["test/realdata/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 240_000,
          hookTimeout: 900_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // Tests that stop and start the shared servers: after every other file, one at a time.
        test: {
          name: "faults",
          include: ["test/faults/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 240_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
