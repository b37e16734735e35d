#!/usr/bin/env node
// Runs chosen tests N times in a row and stops at the first failure: how a flaky test is caught
// before CI catches it (test/README.md, "Repeating under load").
//
//   npm run test:repeat -- test/integration/thin-path.test.ts --times 5
//   npm run test:repeat -- --project integration --times 5
//
// Everything but `--times N` (default 5) goes to `vitest run` unchanged: files, `--project`,
// `-t <name>`. The servers are brought up first as `npm test` does; ones this script started are
// stopped again at the end, ones already running are left alone.
//
// Plain Node with no dependencies, like run.mjs.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { down, status, up } from "./services.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const say = (msg) => process.stderr.write(`[repeat] ${msg}\n`);

function parse(argv) {
  const rest = [];
  let times = 5;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const inline = /^--times=(.*)$/.exec(a);
    if (a === "--times" || inline) {
      const v = inline ? inline[1] : argv[++i];
      times = Number(v);
      if (!Number.isInteger(times) || times < 1) {
        say(`--times wants a whole number of at least 1, not ${v}`);
        process.exit(2);
      }
    } else rest.push(a);
  }
  return { times, rest };
}

const { times, rest } = parse(process.argv.slice(2));
if (rest.length === 0) {
  say("name test files or a project: npm run test:repeat -- <file...> [--project p] --times N");
  process.exit(2);
}

const before = await status();
const started = !(before.kafka.listening && before.clickhouse.ready);
try {
  await up();
} catch (err) {
  say(err.message);
  process.exit(1);
}

let passed = 0;
let failed = 0;
const seconds = [];
try {
  for (let i = 1; i <= times; i++) {
    say(`run ${i} of ${times}: vitest run ${rest.join(" ")}`);
    const t0 = Date.now();
    const r = spawnSync(join(root, "node_modules/.bin/vitest"), ["run", ...rest], {
      cwd: root,
      stdio: "inherit",
    });
    seconds.push(Math.round((Date.now() - t0) / 1000));
    if (r.status === 0) passed++;
    else {
      failed++;
      say(`run ${i} failed (exit ${r.status ?? r.signal}); stopping`);
      break;
    }
  }
} finally {
  if (started) await down();
}
// One plain closing line, whatever vitest's own summary looks like.
process.stdout.write(
  `repeat: ${passed} passed, ${failed} failed (of ${times}; seconds per run: ${seconds.join(", ")})\n`,
);
process.exit(failed > 0 ? 1 : 0);
