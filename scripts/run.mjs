#!/usr/bin/env node
// The two commands of the README, each doing all of its own set-up on a fresh clone:
//
//   npm start   dependencies, servers, migrations, wallboard build, then ingest + api (+ demo
//               traffic unless DEMO=false); prints the wallboard URL; Ctrl-C stops all it started.
//   npm test    dependencies, Chromium, servers, typecheck, unit and integration tests.
//
// Plain Node with no dependencies, because it runs before `npm ci` has.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { down, ensurePackages, status, up } from "./services.mjs";
import { ensureWallboardBuilt } from "./wallboard.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules/.bin", name);
const say = (msg) => process.stderr.write(`[floorwatch] ${msg}\n`);

function step(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  if (r.status !== 0) {
    say(`${[cmd, ...args].join(" ")} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function ensureDependencies() {
  const marker = join(root, "node_modules/.package-lock.json");
  if (
    existsSync(marker) &&
    statSync(marker).mtimeMs >= statSync(join(root, "package-lock.json")).mtimeMs
  )
    return;
  say("installing npm dependencies (npm ci)");
  step("npm", ["ci", "--no-audit", "--no-fund"]);
}

async function servicesUp() {
  const before = await status();
  const wasRunning = before.kafka.listening && before.clickhouse.ready;
  try {
    await up();
  } catch (err) {
    say(err.message);
    process.exit(1);
  }
  return !wasRunning;
}

async function test() {
  ensureDependencies();
  // The lint and format gate first: a minute of servers and tests is not spent on a tree that
  // would be refused anyway (`npm run format` fixes what it can).
  step(bin("biome"), ["ci", "."]);
  // Browser tests drive Debian's Chromium through playwright-core; nothing downloads a browser.
  if (!process.env.CHROMIUM_PATH) ensurePackages([["chromium", ["chromium", "fonts-noto-cjk"]]]);
  const started = await servicesUp();
  let code = 1;
  try {
    step(bin("tsc"), ["-p", "tsconfig.json", "--noEmit"]);
    const report = join(root, "node_modules/.cache/floorwatch-vitest.json");
    const r = spawnSync(
      bin("vitest"),
      [
        "run",
        "--reporter=default",
        "--reporter=json",
        `--outputFile.json=${report}`,
        ...process.argv.slice(3),
      ],
      { cwd: root, stdio: "inherit" },
    );
    code = r.status ?? 1;
    // One plain closing line that any CI can read, whatever vitest's own summary looks like.
    if (existsSync(report)) {
      const {
        numPassedTests = 0,
        numFailedTests = 0,
        numPendingTests = 0,
        testResults = [],
      } = JSON.parse(readFileSync(report, "utf8"));
      // A file that fails before its tests run (a beforeAll hook) has no failed test of its own:
      // it counts as one failure here, so the closing line never says "0 failed" on a red run.
      const brokenFiles = testResults.filter(
        (f) => f.status === "failed" && !f.assertionResults?.some((a) => a.status === "failed"),
      ).length;
      console.log(
        `\nvitest: ${numPassedTests} passed, ${numFailedTests + brokenFiles} failed${numPendingTests ? `, ${numPendingTests} skipped` : ""}`,
      );
    }
  } finally {
    // Servers this run started are stopped again; ones that were already up stay up.
    if (started) await down();
  }
  process.exit(code);
}

async function start() {
  ensureDependencies();
  const started = await servicesUp();
  step(bin("tsx"), ["sql/src/cli/main.ts"]);
  ensureWallboardBuilt();
  const site = process.env.DEMO_SITE ?? "demo";
  // The screen's display token, fresh each start (the previous start's is revoked).
  const minted = spawnSync(
    bin("tsx"),
    [
      "api/src/cli/token.ts",
      "create",
      "--role",
      "display",
      "--sites",
      site,
      "--name",
      `npm start: ${site} wallboard`,
      "--replace",
      "--quiet",
    ],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  if (minted.status !== 0) {
    say("could not create the wallboard's display token");
    process.exit(1);
  }
  const displayToken = minted.stdout.trim();

  const children = [];
  const launch = (name, script) => {
    const child = spawn(bin("tsx"), [script], { cwd: root, stdio: "inherit" });
    child.on("exit", (code, signal) => {
      if (!stopping) {
        say(`${name} exited (${code ?? signal}); stopping everything`);
        void stop(1);
      }
    });
    children.push(child);
  };
  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    say("stopping");
    for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
    await Promise.all(
      children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)),
    );
    if (started) await down();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());

  launch("ingest", "ingest/src/main.ts");
  launch("api", "api/src/main.ts");
  const demo = (process.env.DEMO ?? "true").toLowerCase();
  if (!["false", "0", "no", "off"].includes(demo)) launch("demo", "ingest/src/demo/main.ts");

  const host = process.env.HOST ?? "127.0.0.1";
  const port = process.env.PORT ?? "8080";
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  for (let i = 0; i < 120 && !stopping; i++) {
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 500));
  }
  say(`wallboard: ${base}/?site=${site}#token=${displayToken}   (Ctrl-C stops everything)`);
  say("admin token for the API: npm run token -- create --role admin");
}

const command = process.argv[2];
if (command === "test") await test();
else if (command === "start") await start();
else {
  console.error("usage: node scripts/run.mjs start|test [vitest args…]");
  process.exit(2);
}
