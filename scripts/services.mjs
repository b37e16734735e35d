#!/usr/bin/env node
// Provisions and runs the two real servers Floorwatch needs: Apache Kafka (KRaft, single node) and
// ClickHouse. With a Docker engine it delegates to docker compose; without one (this project's own
// machines and CI) it installs Debian's clickhouse-server and Kafka's Maven Central jars, and runs
// both as plain processes on loopback with their data under .services/ in the repository.
//
//   node scripts/services.mjs up     idempotent: quick when already running
//   node scripts/services.mjs down   stops what `up` started
//   node scripts/services.mjs status
//
// Plain Node with no dependencies: it runs before `npm install` has necessarily happened.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync, openSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stateDir = join(root, ".services");
const KAFKA_VERSION = /<kafka\.version>([^<]+)</.exec(
  readFileSync(join(root, "scripts/kafka/pom.xml"), "utf8"),
)[1];

const env = process.env;
const kafkaBroker = (env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",")[0];
const [kafkaHost, kafkaPortText] = kafkaBroker.split(":");
const kafkaPort = Number(kafkaPortText ?? 9092);
const controllerPort = Number(env.KAFKA_CONTROLLER_PORT ?? kafkaPort + 1);
const chUrl = new URL(env.CLICKHOUSE_URL ?? "http://127.0.0.1:8123");
const chHttpPort = Number(chUrl.port || 8123);
const chTcpPort = Number(env.CLICKHOUSE_TCP_PORT ?? 9000);
const readyTimeoutMs = Number(env.SERVICES_READY_TIMEOUT_MS ?? 120_000);

const log = (msg) => process.stderr.write(`[services] ${msg}\n`);

class ServiceError extends Error {}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    stdio: opts.quiet ? "pipe" : "inherit",
    encoding: "utf8",
    ...opts,
  });
  if (r.error) throw new ServiceError(`${cmd} could not run: ${r.error.message}`);
  if (r.status !== 0 && !opts.allowFail) {
    const out = opts.quiet ? `\n${r.stdout ?? ""}${r.stderr ?? ""}`.trimEnd() : "";
    throw new ServiceError(`${cmd} ${args.join(" ")} exited with ${r.status}${out}`);
  }
  return r;
}

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

function dockerEngineAnswers() {
  if (env.FLOORWATCH_SERVICES === "local") return false;
  if (env.FLOORWATCH_SERVICES === "docker") return true;
  if (!has("docker")) return false;
  return spawnSync("docker", ["info"], { stdio: "ignore", timeout: 10_000 }).status === 0;
}

// ---------- packages ----------

let aptUpdated = false;
function aptInstall(packages, why) {
  const apt =
    process.getuid?.() === 0 ? ["apt-get"] : has("sudo") ? ["sudo", "-n", "apt-get"] : null;
  if (!apt || !has("apt-get")) {
    throw new ServiceError(
      `${why} is missing; install the Debian packages ${packages.join(" ")} (needs root and apt-get)`,
    );
  }
  const aptEnv = { ...env, DEBIAN_FRONTEND: "noninteractive" };
  const [cmd, ...pre] = apt;
  if (!aptUpdated) {
    log("apt-get update");
    run(cmd, [...pre, "update", "-qq"], { env: aptEnv, quiet: true });
    aptUpdated = true;
  }
  log(`installing ${packages.join(" ")} (${why})`);
  run(cmd, [...pre, "install", "-y", "-qq", "--no-install-recommends", ...packages], {
    env: aptEnv,
    quiet: true,
  });
}

export function ensurePackages(list) {
  const missing = list.filter(([cmd]) => !has(cmd));
  if (missing.length)
    aptInstall(
      [...new Set(missing.flatMap(([, pkgs]) => pkgs))],
      missing.map(([cmd]) => cmd).join(", "),
    );
}

// ---------- process bookkeeping ----------

const pidFile = (name) => join(stateDir, name, "pid");

function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A server that exited while its parent is blocked (run.mjs waiting on the tests in spawnSync)
  // stays a zombie until reaped, and signal 0 still reaches it: without this, stopping a server
  // from a test waited the full 30 s for a process that was already gone.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat[stat.lastIndexOf(")") + 2];
    if (state === "Z" || state === "X") return false;
  } catch {
    // No /proc (not Linux): signal 0 is all there is.
  }
  return true;
}

function runningPid(name) {
  const f = pidFile(name);
  if (!existsSync(f)) return null;
  const pid = Number(readFileSync(f, "utf8"));
  return pid > 0 && alive(pid) ? pid : null;
}

function startDetached(name, cmd, args, cwd) {
  const dir = join(stateDir, name);
  mkdirSync(dir, { recursive: true });
  const out = openSync(join(dir, "stdout.log"), "a");
  const child = spawn(cmd, args, { cwd, detached: true, stdio: ["ignore", out, out] });
  child.unref();
  writeFileSync(pidFile(name), String(child.pid));
  return child.pid;
}

function portOpen(host, port) {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.setTimeout(1000);
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
    s.once("timeout", () => {
      s.destroy();
      resolve(false);
    });
  });
}

async function waitFor(what, check, pid, logHint) {
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (pid && !alive(pid))
      throw new ServiceError(`${what} exited during start-up; see ${logHint}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new ServiceError(
    `${what} did not become ready within ${readyTimeoutMs / 1000} s; see ${logHint}`,
  );
}

// ---------- ClickHouse ----------

async function clickhouseReady() {
  try {
    const res = await fetch(new URL("/ping", chUrl), { signal: AbortSignal.timeout(1000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function clickhouseUp() {
  if (await clickhouseReady()) return log(`ClickHouse already answering at ${chUrl.origin}`);
  ensurePackages([["clickhouse-server", ["clickhouse-server", "clickhouse-client"]]]);
  const dir = join(stateDir, "clickhouse");
  for (const sub of ["data", "tmp", "user_files", "format_schemas", "log"])
    mkdirSync(join(dir, sub), { recursive: true });
  const config = readFileSync(join(root, "scripts/clickhouse/config.xml"), "utf8")
    .replaceAll("@DATA@", dir)
    .replaceAll("@HTTP_PORT@", String(chHttpPort))
    .replaceAll("@TCP_PORT@", String(chTcpPort));
  writeFileSync(join(dir, "config.xml"), config);
  writeFileSync(join(dir, "users.xml"), readFileSync(join(root, "scripts/clickhouse/users.xml")));
  log(`starting ClickHouse on ${chUrl.origin}`);
  const pid = startDetached(
    "clickhouse",
    "clickhouse-server",
    [`--config-file=${join(dir, "config.xml")}`],
    dir,
  );
  await waitFor("ClickHouse", clickhouseReady, pid, join(dir, "log/clickhouse-server.err.log"));
}

// ---------- Kafka ----------

function kafkaLibs() {
  const libs = join(stateDir, "kafka", `libs-${KAFKA_VERSION}`);
  if (existsSync(join(libs, `kafka_2.13-${KAFKA_VERSION}.jar`))) return libs;
  ensurePackages([
    ["java", ["default-jre-headless"]],
    ["mvn", ["maven"]],
  ]);
  log(`fetching Apache Kafka ${KAFKA_VERSION} jars from Maven Central`);
  run(
    "mvn",
    [
      "-q",
      "-B",
      "-f",
      join(root, "scripts/kafka/pom.xml"),
      "dependency:copy-dependencies",
      `-DoutputDirectory=${libs}`,
      "-DincludeScope=runtime",
    ],
    { quiet: true },
  );
  return libs;
}

function kafkaProperties(dir) {
  return [
    "# Written by scripts/services.mjs: a single-node KRaft broker for development and tests.",
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${kafkaPort},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://${kafkaHost}:${kafkaPort}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    `log.dirs=${join(dir, "data")}`,
    "num.partitions=3",
    "default.replication.factor=1",
    "min.insync.replicas=1",
    "offsets.topic.replication.factor=1",
    "offsets.topic.num.partitions=10",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "share.coordinator.state.topic.replication.factor=1",
    "share.coordinator.state.topic.min.isr=1",
    // Tests start consumers often; the default 3 s delay would slow every first join.
    "group.initial.rebalance.delay.ms=0",
    // Topics are created by the ingest (ensureTopics), so a typo in a topic name fails loudly.
    "auto.create.topics.enable=false",
    "",
  ].join("\n");
}

async function kafkaUp() {
  if (runningPid("kafka") && (await portOpen(kafkaHost, kafkaPort)))
    return log(`Kafka already answering at ${kafkaBroker}`);
  if (await portOpen(kafkaHost, kafkaPort))
    return log(`something already listens on ${kafkaBroker}; using it as Kafka`);
  const libs = kafkaLibs();
  const dir = join(stateDir, "kafka");
  mkdirSync(join(dir, "data"), { recursive: true });
  const props = join(dir, "server.properties");
  writeFileSync(props, kafkaProperties(dir));
  const classpath = `${libs}/*`;
  const jvm = [
    "-Xms256m",
    `-Xmx${env.KAFKA_HEAP ?? "1g"}`,
    "-XX:+UseG1GC",
    "-Djava.awt.headless=true",
    `-Dkafka.logs.dir=${dir}`,
    `-Dlog4j2.configurationFile=${join(root, "scripts/kafka/log4j2.properties")}`,
  ];
  if (!existsSync(join(dir, "data", "meta.properties"))) {
    const clusterId = randomBytes(16).toString("base64url");
    log(`formatting KRaft storage (cluster ${clusterId})`);
    run(
      "java",
      [
        ...jvm,
        "-cp",
        classpath,
        "kafka.tools.StorageTool",
        "format",
        "-t",
        clusterId,
        "-c",
        props,
        "--ignore-formatted",
      ],
      { quiet: true },
    );
  }
  log(`starting Kafka ${KAFKA_VERSION} on ${kafkaBroker}`);
  const pid = startDetached("kafka", "java", [...jvm, "-cp", classpath, "kafka.Kafka", props], dir);
  await waitFor("Kafka", () => portOpen(kafkaHost, kafkaPort), pid, join(dir, "server.log"));
}

// ---------- stop ----------

async function stop(name, signal = "SIGTERM") {
  const pid = runningPid(name);
  if (!pid) return false;
  log(`stopping ${name} (pid ${pid}${signal === "SIGTERM" ? "" : `, ${signal}`})`);
  process.kill(pid, signal);
  const deadline = Date.now() + 30_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (alive(pid)) process.kill(pid, "SIGKILL");
  rmSync(pidFile(name), { force: true });
  return true;
}

// ---------- entry points ----------

/** Credentials of the compose file's ClickHouse, used when the caller set none. */
export const DOCKER_CLICKHOUSE_ENV = {
  CLICKHOUSE_USER: "floorwatch",
  CLICKHOUSE_PASSWORD: "floorwatch",
};

export async function up() {
  if (dockerEngineAnswers()) {
    for (const [k, v] of Object.entries(DOCKER_CLICKHOUSE_ENV)) env[k] ??= v;
    log("Docker engine found: docker compose up kafka clickhouse");
    run("docker", [
      "compose",
      "-f",
      join(root, "docker-compose.yml"),
      "up",
      "-d",
      "--wait",
      "kafka",
      "clickhouse",
    ]);
    return { mode: "docker" };
  }
  // Both at once: Kafka's JVM start and ClickHouse's start overlap.
  await Promise.all([clickhouseUp(), kafkaUp()]);
  return { mode: "local" };
}

export async function down() {
  if (dockerEngineAnswers()) {
    run("docker", [
      "compose",
      "-f",
      join(root, "docker-compose.yml"),
      "stop",
      "kafka",
      "clickhouse",
    ]);
    return;
  }
  // Kafka first: a broker stopping after ClickHouse would not matter, but ingest consumers may
  // still be committing; the order keeps shutdown logs quiet.
  await stop("kafka");
  await stop("clickhouse");
}

export async function status() {
  return {
    kafka: { pid: runningPid("kafka"), listening: await portOpen(kafkaHost, kafkaPort) },
    clickhouse: { pid: runningPid("clickhouse"), ready: await clickhouseReady() },
  };
}

/**
 * Stops one server ("kafka" or "clickhouse"); fault-injection tests use this. `kill`: at once, as a
 * crash would, instead of a graceful stop that may first finish what clients send it meanwhile.
 */
export async function stopOne(name, { kill = false } = {}) {
  if (dockerEngineAnswers())
    return run("docker", [
      "compose",
      "-f",
      join(root, "docker-compose.yml"),
      kill ? "kill" : "stop",
      name,
    ]);
  if (!(await stop(name, kill ? "SIGKILL" : "SIGTERM")))
    throw new ServiceError(`${name} was not started by services.mjs; cannot stop it`);
}

/** Starts one server again and waits until it answers. */
export async function startOne(name) {
  if (dockerEngineAnswers())
    return run("docker", [
      "compose",
      "-f",
      join(root, "docker-compose.yml"),
      "up",
      "-d",
      "--wait",
      name,
    ]);
  await (name === "kafka" ? kafkaUp() : clickhouseUp());
}

/** Stops both servers and removes their data: the next `up` starts from empty. */
export async function reset() {
  await down();
  for (const name of ["kafka", "clickhouse"])
    rmSync(join(stateDir, name, "data"), { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cmd = process.argv[2] ?? "up";
  const actions = { up, down, status, reset };
  const action = actions[cmd];
  if (!action) {
    console.error(`usage: node scripts/services.mjs ${Object.keys(actions).join("|")}`);
    process.exit(2);
  }
  try {
    const result = await action();
    if (result) console.log(JSON.stringify(result));
  } catch (err) {
    if (err instanceof ServiceError) {
      console.error(`[services] ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}
