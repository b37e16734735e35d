// The lint gate (biome.json, run first by `npm test`) is only worth its minute if its rules catch
// the mistakes this code base can make: a promise nobody awaits (an insert or an offset commit
// that fails silently), an unused value (a parameter a refactor stopped using, as `flush(ch, …)`
// once read `h.ch`), Solid props destructured out of reactivity, and `console` in library code
// that bypasses the JSON logger. This test lints small files with the project's own configuration
// and checks each rule fires where it should and nowhere else.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const biome = join(root, "node_modules/.bin/biome");

interface Diagnostic {
  category: string;
  location: { path: string; start: { line: number } };
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "floorwatch-lint-"));
  const config = JSON.parse(readFileSync(join(root, "biome.json"), "utf8"));
  // Outside the repository: no git to ask, and no schema path relative to it.
  delete config.$schema;
  config.vcs = { enabled: false };
  config.files = {};
  writeFileSync(join(dir, "biome.json"), JSON.stringify(config));
  // Biome turns on its Solid rules for projects that depend on solid-js, as wallboard/ does.
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "fixture", dependencies: { "solid-js": "^1.9.0" } }),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lint(files: Record<string, string>): Diagnostic[] {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const r = spawnSync(biome, ["lint", "--reporter=json", ...Object.keys(files)], {
    cwd: dir,
    encoding: "utf8",
  });
  const json = r.stdout.slice(r.stdout.indexOf("{"));
  return (JSON.parse(json) as { diagnostics: Diagnostic[] }).diagnostics;
}

const found = (ds: Diagnostic[]) =>
  ds.map((d) => `${d.location.path}:${d.location.start.line} ${d.category}`).sort();

describe("the lint gate", () => {
  it("refuses a promise that is neither awaited, returned nor voided", () => {
    const ds = lint({
      "src/flush.ts": [
        "async function insert(): Promise<void> {}",
        "export async function flush(): Promise<void> {",
        "  insert();",
        "  await insert();",
        "  void insert();",
        "}",
        "",
      ].join("\n"),
    });
    expect(found(ds)).toEqual(["src/flush.ts:3 lint/nursery/noFloatingPromises"]);
  });

  it("refuses unused variables, imports and parameters", () => {
    const ds = lint({
      "src/unused.ts": [
        'import { join } from "node:path";',
        "export function flush(ch: string, rows: string[]): number {",
        "  const left = rows.length;",
        "  return rows.length;",
        "}",
        "",
      ].join("\n"),
    });
    expect(found(ds)).toEqual([
      "src/unused.ts:1 lint/correctness/noUnusedImports",
      "src/unused.ts:2 lint/correctness/noUnusedFunctionParameters",
      "src/unused.ts:3 lint/correctness/noUnusedVariables",
    ]);
  });

  it("refuses Solid props destructured in a component's parameters", () => {
    const ds = lint({
      "src/Tile.tsx": [
        "type Props = { value: number };",
        "function Tile({ value }: Props) {",
        "  return <div>{value}</div>;",
        "}",
        "function Good(props: Props) {",
        "  return <div>{props.value}</div>;",
        "}",
        "export function Board() {",
        "  return <><Tile value={1} /><Good value={2} /></>;",
        "}",
        "",
      ].join("\n"),
    });
    expect(found(ds)).toEqual(["src/Tile.tsx:3 lint/correctness/noSolidDestructuredProps"]);
  });

  it("refuses console in library code and allows it in CLIs, scripts, benchmarks and tests", () => {
    const line = 'export function say(): void {\n  console.log("x");\n}\n';
    const ds = lint({
      "api/src/routes/x.ts": line,
      "api/src/cli/x.ts": line,
      "bench/x.ts": line,
      "test/x.ts": line,
    });
    expect(found(ds)).toEqual(["api/src/routes/x.ts:2 lint/suspicious/noConsole"]);
  });

  it("formats at a print width of 100", () => {
    const long = `export const xs = [${Array.from({ length: 30 }, (_, i) => i).join(", ")}];\n`;
    writeFileSync(join(dir, "src/long.ts"), long);
    const r = spawnSync(biome, ["format", "src/long.ts"], { cwd: dir, encoding: "utf8" });
    expect(r.status).not.toBe(0);
    const fixed = spawnSync(biome, ["format", "--write", "src/long.ts"], { cwd: dir });
    expect(fixed.status).toBe(0);
    const lines = readFileSync(join(dir, "src/long.ts"), "utf8").split("\n");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(lines.length).toBeGreaterThan(2);
  });
});
