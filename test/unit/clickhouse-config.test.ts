// The ClickHouse settings the project provisions, checked against the client that depends on them:
// the server's keep-alive timeout above the client's idle socket TTL (else reused sockets are reset),
// and docker-compose's users profile pinning the input settings ClickHouse 24+ made lenient.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { IDLE_SOCKET_TTL_MS, INSERT_SETTINGS } from "@floorwatch/sql";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = join(import.meta.dirname, "../..");
const read = (p: string) => readFileSync(join(root, p), "utf8");
const setting = (xml: string, name: string) =>
  new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

const compose = parse(read("docker-compose.yml")) as {
  services: Record<string, { volumes?: string[] }>;
};
/** The repository file docker-compose mounts at `target` in the clickhouse service. */
const mounted = (target: string) => {
  const v = compose.services.clickhouse?.volumes?.find((m) => m.split(":")[1] === target);
  expect(v, target).toBeDefined();
  return read(v!.split(":")[0]!);
};

describe("ClickHouse as the project provisions it", () => {
  it("closes idle keep-alive sockets well after the client stops reusing them, with and without Docker", () => {
    for (const [where, xml] of [
      ["scripts/clickhouse/config.xml", read("scripts/clickhouse/config.xml")],
      ["docker-compose", mounted("/etc/clickhouse-server/config.d/floorwatch.xml")],
    ] as const) {
      const seconds = Number(setting(xml, "keep_alive_timeout"));
      expect(seconds * 1000, where).toBeGreaterThanOrEqual(IDLE_SOCKET_TTL_MS * 2);
    }
  });

  it("pins the strict input settings in docker-compose's users profile, and sends those 18.16 knows with inserts", () => {
    const profile = mounted("/etc/clickhouse-server/users.d/floorwatch.xml");
    for (const name of [
      "input_format_null_as_default",
      "input_format_skip_unknown_fields",
      "input_format_allow_errors_num",
      "input_format_allow_errors_ratio",
    ])
      expect(setting(profile, name), name).toBe("0");
    expect(INSERT_SETTINGS.input_format_skip_unknown_fields).toBe(0);
    // 18.16 refuses a query naming a setting it does not know.
    expect(Object.keys(INSERT_SETTINGS)).not.toContain("input_format_null_as_default");
    expect(read("scripts/clickhouse/users.xml")).not.toContain("input_format_null_as_default");
  });
});
