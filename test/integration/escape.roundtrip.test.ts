// The escaping helper against the real server: ClickHouse 18.16 has no query parameters, so the
// only proof that a value cannot become SQL is that the server reads back exactly the value we
// sent, for every hostile string we can think of. Values are batched into array literals (one
// SELECT per ~100 KB of SQL) so tens of thousands of strings take a second, and each batch is also
// compared as hex, which does not depend on the JSON output path.
// Only valid UTF-16 strings are used: the client encodes a lone surrogate as U+FFFD and the JSON
// output of invalid UTF-8 is lossy; lone surrogates are covered by sql/src/escape.test.ts.
import {
  ident,
  join,
  list,
  literal,
  sql,
  type ClickHouseClient,
  type SqlFragment,
  type SqlValue,
} from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverClient } from "../support/harness";
import { INJECTIONS } from "../support/hostile-strings";

/** Below the server's max_query_size (256 KiB) with room for the hex() and the rest of the statement. */
const MAX_BATCH_SQL_BYTES = 100_000;

/** Deterministic, so a failure is reproducible. */
function seededRandom(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
}

function asciiStrings(): string[] {
  const out: string[] = [];
  const all = Array.from({ length: 0x80 }, (_, c) => String.fromCharCode(c)).join("");
  out.push("", all, [...all].reverse().join(""));
  for (let a = 0; a <= 0x7f; a++) {
    const ca = String.fromCharCode(a);
    out.push(ca, `a${ca}b`, `'${ca}'`, `\\${ca}`, `${ca}\\`);
    for (let b = 0; b <= 0x7f; b++) out.push(ca + String.fromCharCode(b));
  }
  const rand = seededRandom(0xc0ffee);
  for (let i = 0; i < 3_000; i++) {
    let s = "";
    const len = 1 + rand(32);
    for (let j = 0; j < len; j++) s += String.fromCharCode(rand(0x80));
    out.push(s);
  }
  return out;
}

function quoteAndBackslashStrings(): string[] {
  const out: string[] = [];
  const base = "abc王def";
  for (const special of [
    "'",
    "\\",
    "\\'",
    "'\\",
    "''",
    "\\\\",
    "\\\\'",
    "\\x00",
    "\\0",
    "\\x27",
    "\u0000",
    "\\\u0000",
  ]) {
    for (let i = 0; i <= base.length; i++) out.push(base.slice(0, i) + special + base.slice(i));
    out.push(special.repeat(7));
  }
  for (const s of INJECTIONS) out.push(s, `${s}${s}`, `prefix ${s} suffix`);
  out.push("a\\x00b", "\u0000\\x00", "\\\\x00", "\\x00'\\x00", "\\x7f", "\\xzz", "\\x", "\\");
  return out;
}

function unicodeStrings(): string[] {
  const out = [
    "王芳",
    "客户满意度调查",
    "信用卡",
    "📞",
    "👩‍💻",
    "🇨🇳🇭🇰",
    "e\u0301",
    "\u0085\u009f",
    "\u2028\u2029",
    "\ufeff",
    "\ufffd",
    "\uffff",
    "\u{10ffff}",
  ];
  // Every BMP code point above ASCII except the surrogates, one per string.
  for (let c = 0x80; c <= 0xffff; c++)
    if (c < 0xd800 || c > 0xdfff) out.push(String.fromCharCode(c));
  // A stride through the supplementary planes (each one a surrogate pair in UTF-16, 4 bytes in UTF-8).
  for (let c = 0x10000; c <= 0x10ffff; c += 0x101) out.push(String.fromCodePoint(c));
  return out;
}

function longStrings(): string[] {
  const all = Array.from({ length: 0x80 }, (_, c) => String.fromCharCode(c)).join("");
  return [
    "'".repeat(10_000),
    "\\".repeat(10_000),
    "\\'".repeat(5_000),
    "\u0000".repeat(10_000),
    all.repeat(80).slice(0, 10_000),
    "王".repeat(10_000),
    "😀".repeat(5_000),
    "x".repeat(10_000),
  ];
}

/** Splits values into batches whose SQL text stays under MAX_BATCH_SQL_BYTES. */
function batches(values: readonly string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const v of values) {
    const size = Buffer.byteLength(literal(v)) + 2;
    if (current.length > 0 && bytes + size > MAX_BATCH_SQL_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(v);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

describe("values escaped by @floorwatch/sql, read back from the real ClickHouse", () => {
  let ch: ClickHouseClient;

  beforeAll(() => {
    ch = serverClient();
  });

  afterAll(async () => {
    await ch?.close();
  });

  async function select<Row>(statement: SqlFragment): Promise<Row[]> {
    const rs = await ch.query({ query: statement.text, format: "JSONEachRow" });
    return rs.json<Row>();
  }

  /** Sends every value in array literals and expects the same strings and the same UTF-8 bytes back. */
  async function expectRoundTrip(values: readonly string[]): Promise<void> {
    for (const batch of batches(values)) {
      const rows = await select<{ v: string[]; h: string[] }>(
        sql`SELECT ${batch} AS v, arrayMap(x -> hex(x), v) AS h`,
      );
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      const wrong = batch.flatMap((sent, i) =>
        row.v[i] === sent ? [] : [{ sent, got: row.v[i] }],
      );
      expect(wrong).toEqual([]);
      expect(row.v).toHaveLength(batch.length);
      const hexWrong = batch.flatMap((sent, i) => {
        const expected = Buffer.from(sent, "utf8").toString("hex").toUpperCase();
        return row.h[i] === expected ? [] : [{ sent, expected, got: row.h[i] }];
      });
      expect(hexWrong).toEqual([]);
    }
  }

  it("reads back every code point 0x00-0x7f alone, in every pair, in context and in random combinations", async () => {
    await expectRoundTrip(asciiStrings());
  });

  it("reads back quotes, backslashes, \\x00-like text and every injection string in every position", async () => {
    await expectRoundTrip(quoteAndBackslashStrings());
  });

  it("reads back every BMP code point above ASCII, supplementary-plane characters, CJK and emoji", async () => {
    await expectRoundTrip(unicodeStrings());
  });

  it("reads back 10,000-character strings of quotes, backslashes, NULs, CJK and emoji", async () => {
    await expectRoundTrip(longStrings());
  });

  it("reads back a single value as the whole statement's one string, with its byte length, for a few hostile strings", async () => {
    for (const s of [
      ...INJECTIONS,
      "",
      "\\x00",
      "王芳 👩‍💻",
      "'".repeat(10_000),
      "\u0000\u0001\u001f\u007f",
    ]) {
      const rows = await select<{ v: string; same: number; bytes: string | number }>(
        sql`SELECT ${s} AS v, v = ${s} AS same, length(v) AS bytes`,
      );
      expect(rows).toEqual([{ v: s, same: 1, bytes: expect.anything() }]);
      expect(Number(rows[0]!.bytes)).toBe(Buffer.byteLength(s));
    }
  });

  it("keeps the rest of the statement intact after a hostile value: a WHERE after it still filters", async () => {
    // If a value could end its literal, the comment or the OR in it would change the row count.
    for (const s of INJECTIONS) {
      const rows = await select<{ n: string | number }>(
        sql`SELECT count() AS n FROM system.one WHERE ${s} = ${`${s}!`} AND dummy = ${0}`,
      );
      expect(Number(rows[0]!.n), JSON.stringify(s)).toBe(0);
    }
  });

  it("finds every hostile string IN a list() of them, and nothing else", async () => {
    const members = [...INJECTIONS, "王芳", "\u0000", "'".repeat(100)];
    const probes = [...members, "", "x", "' OR 1=1", "\\\\\\"];
    const flags = join(probes.map((p, i) => sql`${p} IN (${list(members)}) AS ${ident(`p${i}`)}`));
    const rows = await select<Record<string, number>>(sql`SELECT ${flags}`);
    expect(probes.map((_, i) => rows[0]![`p${i}`])).toEqual(
      probes.map((p) => (members.includes(p) ? 1 : 0)),
    );
  });

  it("reads back integers across the 8- to 64-bit ranges, as numbers and bigints", async () => {
    const ints: Array<[SqlValue, string]> = [
      [0, "0"],
      [1, "1"],
      [-1, "-1"],
      [127, "127"],
      [128, "128"],
      [-128, "-128"],
      [-129, "-129"],
      [255, "255"],
      [256, "256"],
      [65_535, "65535"],
      [2 ** 31 - 1, "2147483647"],
      [-(2 ** 31), "-2147483648"],
      [2 ** 32, "4294967296"],
      [Number.MAX_SAFE_INTEGER, "9007199254740991"],
      [Number.MIN_SAFE_INTEGER, "-9007199254740991"],
      [2n ** 63n - 1n, "9223372036854775807"],
      [-(2n ** 63n), "-9223372036854775808"],
      [2n ** 64n - 1n, "18446744073709551615"],
      [true, "1"],
      [false, "0"],
    ];
    const columns = join(ints.map(([v], i) => sql`${v} AS ${ident(`n${i}`)}`));
    const rows = await select<Record<string, string | number>>(sql`SELECT ${columns}`);
    expect(rows).toHaveLength(1);
    // JSON output quotes 64-bit integers; String() gives the decimal digits either way.
    expect(ints.map((_, i) => String(rows[0]![`n${i}`]))).toEqual(ints.map(([, text]) => text));
  });

  it("reads back floating-point numbers as the same doubles", async () => {
    const rand = seededRandom(42);
    const floats = [
      0.5,
      -0.25,
      0.1,
      0.1 + 0.2,
      Math.PI,
      -Math.E,
      1e-7,
      1.5e-300,
      123.456,
      -987654.321,
      1e21,
      2 ** 53 + 2,
      1.7976931348623157e308,
    ];
    for (let i = 0; i < 50; i++)
      floats.push(
        (rand(2) ? 1 : -1) * (rand(1_000_000) / (1 + rand(9_999))) * 10 ** (rand(40) - 20),
      );
    const columns = join(floats.map((v, i) => sql`${v} AS ${ident(`f${i}`)}`));
    const rows = await select<Record<string, string | number>>(sql`SELECT ${columns}`);
    expect(floats.map((_, i) => Number(rows[0]![`f${i}`]))).toEqual(floats);
  });

  it("reads back arrays: nested, empty, with NULL, with booleans and hostile strings", async () => {
    const rows = await select<{ a: unknown; b: unknown; c: unknown; d: unknown; e: unknown }>(
      sql`SELECT ${[[1, -2], [], [3]]} AS a, ${[["' OR 1=1 --"], ["\\", "\\x00"], []]} AS b, ${[null, "x'"]} AS c, ${[true, false]} AS d, ${[]} AS e`,
    );
    expect(rows).toEqual([
      {
        a: [[1, -2], [], [3]],
        b: [["' OR 1=1 --"], ["\\", "\\x00"], []],
        c: [null, "x'"],
        d: [1, 0],
        e: [],
      },
    ]);
  });

  it("reads back a Date as the same epoch second", async () => {
    const at = new Date("2026-11-22T09:15:30.999+08:00");
    const rows = await select<{ t: string | number }>(sql`SELECT toUnixTimestamp(${at}) AS t`);
    expect(Number(rows[0]!.t)).toBe(Math.floor(at.getTime() / 1000));
  });
});
