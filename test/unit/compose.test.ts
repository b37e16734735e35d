// No Docker engine runs on this project's machines, so docker-compose.yml cannot be started here.
// This test keeps it honest instead: every service, port, volume, variable, command and image it
// names must exist in the code and agree with the no-Docker path.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = join(import.meta.dirname, "../..");
const read = (p: string) => readFileSync(join(root, p), "utf8");

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  restart?: string;
}
const compose = parse(read("docker-compose.yml"), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const appServices = Object.entries(services).filter(
  ([, s]) => s.image?.startsWith("floorwatch/") || s.build,
);

/** Every variable name that some service's env.ts schema declares. */
function declaredEnvNames(): Set<string> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (e.name === "node_modules" || e.name === "dist") continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "env.ts") files.push(p);
    }
  };
  for (const pkg of ["sql", "ingest", "api"]) walk(pkg);
  const names = new Set<string>();
  for (const f of files)
    for (const m of read(f).matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)) names.add(m[1]!);
  return names;
}

const containerPort = (mapping: string) => Number(mapping.split(":").at(-1));

describe("docker-compose.yml", () => {
  it("runs Kafka, ClickHouse, migrations, ingest and the api", () => {
    expect(Object.keys(services).sort()).toEqual([
      "api",
      "clickhouse",
      "ingest",
      "kafka",
      "migrate",
    ]);
  });

  it("pins every image to a version, never latest", () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.image, name).toMatch(/^[\w./-]+:(?!latest$)[\w.-]+$/);
    }
  });

  it("pins the same Kafka version as the Maven path and a ClickHouse LTS (x.3 or x.8)", () => {
    const pomVersion = /<kafka\.version>([^<]+)</.exec(read("scripts/kafka/pom.xml"))?.[1];
    expect(services.kafka?.image).toBe(`apache/kafka:${pomVersion}`);
    expect(services.clickhouse?.image).toMatch(/^clickhouse\/clickhouse-server:\d+\.(3|8)$/);
  });

  it("gives every long-running service a health check", () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.restart === "no") continue; // one-shot jobs (migrate) finish instead of being healthy
      expect(s.healthcheck?.test?.length, name).toBeGreaterThan(0);
    }
  });

  it("only sets environment variables that the services' env.ts files declare", () => {
    const declared = declaredEnvNames();
    for (const [name, s] of appServices) {
      for (const key of Object.keys(s.environment ?? {}))
        expect(declared, `${name}: ${key}`).toContain(key);
    }
  });

  it("publishes the ports the code listens on by default", () => {
    const apiEnv = read("api/src/env.ts");
    const ingestEnv = read("ingest/src/env.ts");
    const sqlEnv = read("sql/src/env.ts");
    const defaultOf = (src: string, name: string) =>
      new RegExp(`${name}:[^\\n]*default\\("?([^")]+)"?\\)`).exec(src)?.[1];
    expect(services.api?.ports?.map(containerPort)).toEqual([Number(defaultOf(apiEnv, "PORT"))]);
    expect(services.api?.environment?.PORT).toBe(defaultOf(apiEnv, "PORT"));
    expect(services.ingest?.ports?.map(containerPort)).toEqual([
      Number(defaultOf(ingestEnv, "INGEST_PORT")),
    ]);
    expect(services.clickhouse?.ports?.map(containerPort)).toEqual([
      Number(new URL(defaultOf(sqlEnv, "CLICKHOUSE_URL")!).port),
    ]);
    expect(services.kafka?.ports?.map(containerPort)).toEqual([
      Number(defaultOf(ingestEnv, "KAFKA_BROKERS")!.split(":")[1]),
    ]);
  });

  it("declares every named volume it mounts, and mounts every one it declares", () => {
    const used = Object.values(services).flatMap((s) =>
      (s.volumes ?? []).map((v) => v.split(":")[0]!).filter((src) => !src.startsWith("./")),
    );
    expect(new Set(used)).toEqual(new Set(Object.keys(compose.volumes)));
  });

  it("bind-mounts only files that exist in the repository", () => {
    const binds = Object.values(services).flatMap((s) =>
      (s.volumes ?? []).map((v) => v.split(":")[0]!).filter((src) => src.startsWith("./")),
    );
    for (const src of binds) expect(existsSync(join(root, src)), src).toBe(true);
  });

  it("depends only on services it defines", () => {
    for (const s of Object.values(services))
      for (const dep of Object.keys(s.depends_on ?? {}))
        expect(Object.keys(services)).toContain(dep);
  });

  it("runs commands that exist in the repository", () => {
    for (const [name, s] of appServices) {
      const script = s.command?.find((part) => part.endsWith(".ts"));
      expect(script, name).toBeDefined();
      expect(existsSync(join(root, script!)), `${name}: ${script}`).toBe(true);
    }
  });

  it("builds from a Dockerfile that installs every workspace", () => {
    const dockerfile = read("Dockerfile");
    const workspaces = (JSON.parse(read("package.json")) as { workspaces: string[] }).workspaces;
    for (const ws of workspaces) expect(dockerfile).toContain(`COPY ${ws}/package.json ${ws}/`);
  });
});
