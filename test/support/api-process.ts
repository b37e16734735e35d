// Runs the API as a separate OS process (api/src/main.ts), so tests can SIGKILL it as an
// orchestrator would: the alert evaluator's election is between processes, not objects.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { Harness } from "./harness";
import { childEnv, clickhouseEnv } from "./env";

const root = join(import.meta.dirname, "../..");

export interface ApiProcess {
  child: ChildProcess;
  /** Its base URL, once it listens. */
  url: Promise<string>;
  exited: Promise<number | null>;
  output(): string;
}

export function spawnApi(h: Harness, extraEnv: Record<string, string> = {}): ApiProcess {
  // node with tsx's loader, not the tsx command, which would stand between SIGKILL and the API.
  const child = spawn(process.execPath, ["--import", "tsx", "api/src/main.ts"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: childEnv({
      ...clickhouseEnv(h.clickhouse),
      KAFKA_BROKERS: h.config.kafka.brokers.join(","),
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      WALLBOARD_DIR: "/nonexistent",
      ...extraEnv,
    }),
  });
  let out = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /"msg":"api listening","url":"([^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    child.once("exit", (code) =>
      reject(new Error(`api exited (${code}) before it listened:\n${out.slice(-2000)}`)),
    );
  });
  url.catch(() => {});
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  return { child, url, exited, output: () => out };
}
