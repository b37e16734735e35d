// npm run replay -- anonymous-bank [file…] [--speed N | --max]
//
// Replays the Anonymous Bank call records (metrics.md, "Reference data") into Kafka as contract
// events, after making sure the site `anonymous-bank` exists with time zone Asia/Jerusalem. With no
// files, all monthly files of ../shared/data/anonymous-bank/. --max (the default) keeps the 1999
// times and goes as fast as the broker takes it: run it twice and nothing is stored twice. --speed N
// moves every time so the first call is now and plays N× real time, for a live wallboard demo.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger } from "@floorwatch/sql";
import { createKafka } from "../kafka";
import { clickhouse, env } from "./env";
import { ensureBankSite, replayBank } from "./replay";

const DATA_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../../../shared/data/anonymous-bank",
);
const usage = "usage: npm run replay -- anonymous-bank [file…] [--speed N | --max]";

function fail(message: string): never {
  process.stderr.write(`replay: ${message}\n${usage}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const [dataset, ...rest] = args;
if (dataset !== "anonymous-bank")
  fail(dataset ? `unknown data set ${JSON.stringify(dataset)}` : "name the data set");
let speed: number | null = null;
const files: string[] = [];
for (let i = 0; i < rest.length; i++) {
  const a = rest[i]!;
  if (a === "--max") speed = null;
  else if (a === "--speed") {
    const n = Number(rest[++i]);
    if (!Number.isFinite(n) || n <= 0)
      fail(`--speed needs a positive number, got ${JSON.stringify(rest[i])}`);
    speed = n;
  } else if (a.startsWith("--")) fail(`unknown option ${a}`);
  else {
    // A path, or a month file's name in the shared data folder (1999-03.txt).
    const path = existsSync(a) ? resolve(a) : join(DATA_DIR, a);
    if (!existsSync(path)) fail(`no such file: ${a}`);
    files.push(path);
  }
}
if (files.length === 0) {
  if (!existsSync(DATA_DIR)) fail(`no files given and no data folder at ${DATA_DIR}`);
  files.push(
    ...readdirSync(DATA_DIR)
      .filter((f) => /^\d{4}-\d{2}\.txt$/.test(f))
      .sort()
      .map((f) => join(DATA_DIR, f)),
  );
}

const log = createLogger("replay", env.LOG_LEVEL);
await ensureBankSite(clickhouse);
const kafka = createKafka({
  brokers: env.KAFKA_BROKERS.split(","),
  clientId: "floorwatch-replay",
  log,
});
let lastReport = 0;
const result = await replayBank(kafka, {
  files,
  topic: env.TOPIC_CALLS,
  partitions: env.KAFKA_TOPIC_PARTITIONS,
  speed,
  onProgress: (done, total) => {
    if (done === total || Date.now() - lastReport > 2_000) {
      lastReport = Date.now();
      process.stderr.write(
        `replay: ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} events\n`,
      );
    }
  },
});
log.info("replay finished", {
  files: files.length,
  ...result,
  topic: env.TOPIC_CALLS,
  speed: speed ?? "max",
});
process.exit(0);
