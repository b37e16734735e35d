// Shared helpers for the benchmarks: repeated measurements reported as min/median/max, the
// machine they ran on, and a JSON record under bench/results/.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { min: s[0]!, median, max: s.at(-1)! };
}

/** The value below which `p` % of `values` fall (nearest rank): p99 of 30 samples is their maximum. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** p50 and p99 beside min / median / max, for latencies. */
export const summary = (values: number[]) => ({
  p50: percentile(values, 50),
  p99: percentile(values, 99),
  ...spread(values),
  n: values.length,
});

/** Milliseconds `fn` took. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const fmtSpread = (s: Spread, digits = 0) =>
  `${fmt(s.min, digits)} / ${fmt(s.median, digits)} / ${fmt(s.max, digits)}`;

export function machine() {
  const version = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
        .trim()
        .split("\n")[0];
    } catch {
      return "unknown";
    }
  };
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: version("uname", ["-r"]),
    clickhouse: version("clickhouse-client", ["--version"]),
    kafka:
      /<kafka\.version>([^<]+)</.exec(
        readFileSync(join(import.meta.dirname, "../scripts/kafka/pom.xml"), "utf8"),
      )?.[1] ?? "unknown",
  };
}

export function record(name: string, data: object): string {
  const dir = join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), machine: machine(), ...data }, null, 2)}\n`,
  );
  return file;
}
