import { defineConfig } from "vitest/config";

// Two projects: `unit` (pure logic, next to the code, no servers) and `integration` (real Kafka,
// ClickHouse and Chromium; test/integration). `npm test` runs both after the typecheck.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["{contracts,sql,ingest,api,wallboard}/src/**/*.test.ts", "test/unit/**/*.test.ts"],
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
          // Two cores: the servers need one of them.
          maxWorkers: 2,
        },
      },
    ],
  },
});
