// escape.ts is the only place where a value becomes SQL text (ClickHouse 18.16 has no server-side
// parameters), so a gap here is an injection anywhere. These tests pin the exact text it emits and
// check, with a model of ClickHouse's string lexer, that every quoted value is one token that
// decodes back to the original: a value can never end its literal early and become SQL.
// The round trip through the real server is test/integration/escape.roundtrip.test.ts.
import { describe, expect, it } from "vitest";
import { INJECTIONS } from "../../test/support/hostile-strings";
import { ident, join, list, literal, quoteString, sql, SqlFragment, type SqlValue } from "./escape";

/**
 * Reads a single-quoted literal starting at `text[start]` the way ClickHouse's lexer and
 * `readQuotedString` do: a backslash takes the next character with it (`\xHH` is a byte, the
 * letters below are the C escapes, anything else stands for itself), and the first unescaped quote
 * ends the token. Returns the decoded value and the index just after the closing quote.
 */
function readClickHouseString(text: string, start = 0): { value: string; end: number } {
  if (text[start] !== "'") throw new Error(`no quote at ${start}`);
  const named: Record<string, string> = {
    "0": "\0",
    a: "\x07",
    b: "\b",
    f: "\f",
    n: "\n",
    r: "\r",
    t: "\t",
    v: "\v",
  };
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'") {
      // ClickHouse also reads a doubled quote as one quote; quoteString must never rely on that.
      if (text[i + 1] === "'") throw new Error(`doubled quote at ${i}`);
      return { value, end: i + 1 };
    }
    if (ch === "\\") {
      const next = text[i + 1];
      if (next === undefined) throw new Error("backslash at the end of the text");
      if (next === "x") {
        const hex = text.slice(i + 2, i + 4);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error(`bad \\x escape at ${i}`);
        value += String.fromCharCode(parseInt(hex, 16));
        i += 4;
      } else {
        value += named[next] ?? next;
        i += 2;
      }
      continue;
    }
    value += ch;
    i += 1;
  }
  throw new Error("unterminated string literal");
}

/** What is wrong with quoteString(s), or null when it is exactly one token that decodes to s. */
function tokenProblem(s: string): string | null {
  const quoted = quoteString(s);
  let read: { value: string; end: number };
  try {
    read = readClickHouseString(quoted);
  } catch (err) {
    return `${JSON.stringify(s)}: ${(err as Error).message}`;
  }
  if (read.end !== quoted.length)
    return `${JSON.stringify(s)}: the token ends at ${read.end} of ${quoted.length}`;
  if (read.value !== s) return `${JSON.stringify(s)}: decodes to ${JSON.stringify(read.value)}`;
  // No raw control character or DEL may reach the server: one could end a token in a tool that
  // logs or forwards the statement, and \0 ends C strings.
  if (/[\u0000-\u001f\u007f]/.test(quoted))
    return `${JSON.stringify(s)}: a raw control character is left in ${JSON.stringify(quoted)}`;
  return null;
}

function expectOneTokenDecodingTo(s: string): void {
  expect(tokenProblem(s)).toBeNull();
}

/** Checks many strings at once and reports every failing one (one expect per string is slow). */
function expectAllOneTokenDecoding(strings: Iterable<string>): void {
  const problems: string[] = [];
  for (const s of strings) {
    const p = tokenProblem(s);
    if (p !== null) problems.push(p);
  }
  expect(problems).toEqual([]);
}

const hex2 = (code: number) => code.toString(16).padStart(2, "0");

describe("quoteString", () => {
  it("wraps plain text in single quotes and leaves printable ASCII other than quote and backslash alone", () => {
    expect(quoteString("")).toBe("''");
    expect(quoteString("sh-pudong")).toBe("'sh-pudong'");
    let printable = "";
    for (let c = 0x20; c <= 0x7e; c++)
      if (c !== 0x27 && c !== 0x5c) printable += String.fromCharCode(c);
    expect(quoteString(printable)).toBe(`'${printable}'`);
  });

  it("escapes a backslash as two backslashes and a quote as backslash-quote", () => {
    expect(quoteString("\\")).toBe("'\\\\'");
    expect(quoteString("'")).toBe("'\\''");
    expect(quoteString("it's")).toBe("'it\\'s'");
    expect(quoteString("a\\b")).toBe("'a\\\\b'");
    // A backslash before a quote must not swallow the quote's escape.
    expect(quoteString("\\'")).toBe("'\\\\\\''");
    expect(quoteString("'\\")).toBe("'\\'\\\\'");
  });

  it("escapes every C0 control character 0x00-0x1f, with the C names where ClickHouse knows them and \\xHH otherwise", () => {
    const named: Record<number, string> = {
      0x00: "\\0",
      0x08: "\\b",
      0x09: "\\t",
      0x0a: "\\n",
      0x0c: "\\f",
      0x0d: "\\r",
    };
    for (let c = 0x00; c <= 0x1f; c++) {
      const expected = named[c] ?? `\\x${hex2(c)}`;
      expect(quoteString(String.fromCharCode(c)), `0x${hex2(c)}`).toBe(`'${expected}'`);
    }
  });

  it("escapes DEL (0x7f) as \\x7f", () => {
    expect(quoteString("\u007f")).toBe("'\\x7f'");
  });

  it("emits hex escapes as exactly two lower-case digits, so a following hex digit cannot join the escape", () => {
    expect(quoteString("\u001fa")).toBe("'\\x1fa'");
    expect(quoteString("\u000bF")).toBe("'\\x0bF'");
    expect(quoteString("\u00001")).toBe("'\\01'");
  });

  it("produces one token that decodes to the input for every code point 0x00-0x7f, alone, twice and between letters", () => {
    const strings: string[] = [];
    for (let c = 0; c <= 0x7f; c++) {
      const ch = String.fromCharCode(c);
      strings.push(ch, ch + ch, `a${ch}b`, `${ch}'`, `\\${ch}`, `${ch}\\`);
    }
    expectAllOneTokenDecoding(strings);
  });

  it("produces one token that decodes to the input for every pair of code points 0x00-0x7f", () => {
    const pairs: string[] = [];
    for (let a = 0; a <= 0x7f; a++)
      for (let b = 0; b <= 0x7f; b++) pairs.push(String.fromCharCode(a, b));
    expect(pairs).toHaveLength(128 * 128);
    expectAllOneTokenDecoding(pairs);
  });

  it("produces one token that decodes to the input for every classic injection string", () => {
    for (const s of INJECTIONS) {
      expectOneTokenDecodingTo(s);
      // Also embedded in a statement: the text after the literal is exactly what the code wrote.
      const statement = `SELECT ${quoteString(s)} AS v`;
      const { value, end } = readClickHouseString(statement, "SELECT ".length);
      expect(value).toBe(s);
      expect(statement.slice(end)).toBe(" AS v");
    }
  });

  it("escapes the classic injection strings to the exact expected text", () => {
    expect(quoteString("' OR 1=1 --")).toBe("'\\' OR 1=1 --'");
    expect(quoteString("\\'; DROP TABLE x; --")).toBe("'\\\\\\'; DROP TABLE x; --'");
    expect(quoteString("\\x00")).toBe("'\\\\x00'");
    expect(quoteString("\u0000' OR 1=1 --")).toBe("'\\0\\' OR 1=1 --'");
  });

  it("keeps quotes and backslashes escaped in every position of a string", () => {
    const base = "abcdef";
    for (const special of ["'", "\\", "\\'", "'\\", "''", "\\\\"]) {
      for (let i = 0; i <= base.length; i++)
        expectOneTokenDecodingTo(base.slice(0, i) + special + base.slice(i));
    }
  });

  it("passes non-ASCII text through unchanged: CJK, emoji, C1 controls and line separators", () => {
    // ClickHouse's lexer works on UTF-8 bytes, and no byte of a multi-byte sequence is a quote or
    // a backslash (all are >= 0x80), so nothing outside ASCII needs escaping.
    for (const s of [
      "王芳",
      "客户满意度",
      "📞",
      "👩‍💻",
      "🇨🇳",
      "e\u0301",
      "\u0085\u009f",
      "\u2028\u2029",
      "\ufeff",
      "\ufffd",
      "\uffff",
    ]) {
      expect(quoteString(s)).toBe(`'${s}'`);
      expectOneTokenDecodingTo(s);
    }
    expect(quoteString("王'芳\\")).toBe("'王\\'芳\\\\'");
  });

  it("leaves lone surrogates as they are (the client's UTF-8 encoder turns them into U+FFFD, which cannot end a token)", () => {
    for (const s of ["\ud800", "\udc00", "a\ud83dz", "\udfff'", "\ud800\\"])
      expectOneTokenDecodingTo(s);
    expect(quoteString("\ud800")).toBe("'\ud800'");
    expect(quoteString("\udc00'")).toBe("'\udc00\\''");
  });

  it("handles long strings in one pass: 10,000 quotes become 10,000 escaped quotes", () => {
    const s = "'".repeat(10_000);
    expect(quoteString(s)).toBe(`'${"\\'".repeat(10_000)}'`);
    expectOneTokenDecodingTo("\\'\u0000x".repeat(2_500));
  });

  it("survives a seeded fuzz of random strings drawn from ASCII, controls, quotes and non-ASCII", () => {
    let seed = 0x5eed;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = [..."\\'\"`;-/*\u0000\u007f\n\r\tx0王😀", String.fromCharCode(0x1b)];
    const strings: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      let s = "";
      const len = rand(24);
      for (let j = 0; j < len; j++)
        s += rand(3) === 0 ? String.fromCharCode(rand(0x80)) : alphabet[rand(alphabet.length)]!;
      strings.push(s);
    }
    expectAllOneTokenDecoding(strings);
  });
});

describe("literal", () => {
  it("writes integers in plain decimal notation, negatives with a minus sign", () => {
    expect(literal(0)).toBe("0");
    expect(literal(-0)).toBe("0");
    expect(literal(1)).toBe("1");
    expect(literal(42)).toBe("42");
    expect(literal(-42)).toBe("(-42)");
    expect(literal(255)).toBe("255");
    expect(literal(2 ** 31)).toBe("2147483648");
    expect(literal(-(2 ** 31))).toBe("(-2147483648)");
  });

  it("writes large integers digit for digit, never in exponent form (1e21 would turn an integer column expression into Float64)", () => {
    expect(literal(Number.MAX_SAFE_INTEGER)).toBe("9007199254740991");
    expect(literal(Number.MIN_SAFE_INTEGER)).toBe("(-9007199254740991)");
    expect(literal(2 ** 53)).toBe("9007199254740992");
    expect(literal(2 ** 63)).toBe("9223372036854775808");
    expect(literal(2 ** 64)).toBe("18446744073709551616");
    expect(literal(1e21)).toBe("1000000000000000000000");
    expect(literal(-1e21)).toBe("(-1000000000000000000000)");
    const max = literal(Number.MAX_VALUE);
    expect(max).toMatch(/^\d{309}$/);
    expect(Number(max)).toBe(Number.MAX_VALUE);
  });

  it("writes non-integers so that reading them back gives the same double", () => {
    for (const n of [
      0.5,
      -0.25,
      0.1,
      0.1 + 0.2,
      Math.PI,
      -Math.E,
      1e-7,
      1.5e-300,
      5e-324,
      123.456,
      1e20 + 0.5,
    ]) {
      const text = literal(n).replace(/^\((.*)\)$/, "$1"); // negatives come in parentheses
      expect(text).toMatch(/^-?\d+(\.\d+)?(e[+-]?\d+)?$/);
      expect(Number(text)).toBe(n);
    }
    expect(literal(0.5)).toBe("0.5");
    expect(literal(-0.25)).toBe("(-0.25)");
  });

  it("throws on NaN and the infinities instead of writing something the server would read differently", () => {
    for (const n of [NaN, Infinity, -Infinity]) {
      expect(() => literal(n)).toThrow(TypeError);
      expect(() => literal(n)).toThrow(/not a finite number/);
    }
  });

  it("writes bigints exactly, including the ends of the 64-bit ranges", () => {
    expect(literal(0n)).toBe("0");
    expect(literal(-1n)).toBe("(-1)");
    expect(literal(2n ** 64n - 1n)).toBe("18446744073709551615");
    expect(literal(-(2n ** 63n))).toBe("(-9223372036854775808)");
    expect(literal(10n ** 30n)).toBe("1000000000000000000000000000000");
  });

  it("writes booleans as 1 and 0 (18.16 has no Bool type) and null as NULL", () => {
    expect(literal(true)).toBe("1");
    expect(literal(false)).toBe("0");
    expect(literal(null)).toBe("NULL");
  });

  it("quotes strings with quoteString", () => {
    expect(literal("it's")).toBe(quoteString("it's"));
    expect(literal("")).toBe("''");
    expect(literal("NULL")).toBe("'NULL'");
    expect(literal("1")).toBe("'1'");
  });

  it("writes a valid Date as toDateTime of whole epoch seconds, rounding down", () => {
    expect(literal(new Date(0))).toBe("toDateTime(0)");
    expect(literal(new Date("2026-11-22T09:15:30.999+08:00"))).toBe(
      `toDateTime(${Date.UTC(2026, 10, 22, 1, 15, 30) / 1000})`,
    );
    expect(literal(new Date(1_999))).toBe("toDateTime(1)");
  });

  it("throws on an invalid Date", () => {
    expect(() => literal(new Date(NaN))).toThrow(TypeError);
    expect(() => literal(new Date("not a date"))).toThrow(/invalid Date/);
  });

  it("writes arrays element by element, nested arrays included", () => {
    expect(literal([])).toBe("[]");
    expect(literal([1, 2, 3])).toBe("[1, 2, 3]");
    expect(literal(["a", "b'c", "\\"])).toBe("['a', 'b\\'c', '\\\\']");
    expect(literal([1, "x", null, true, false, 2n])).toBe("[1, 'x', NULL, 1, 0, 2]");
    expect(literal([[1, 2], [], [[3]]])).toBe("[[1, 2], [], [[3]]]");
    expect(literal([["' OR 1=1 --"]])).toBe("[['\\' OR 1=1 --']]");
    expect(literal([new Date(0)])).toBe("[toDateTime(0)]");
    const frozen: readonly SqlValue[] = Object.freeze(["a", 1]);
    expect(literal(frozen)).toBe("['a', 1]");
  });

  it("throws when any element of an array, at any depth, cannot be written", () => {
    expect(() => literal([1, NaN])).toThrow(TypeError);
    expect(() => literal([[1], [Infinity]])).toThrow(TypeError);
    expect(() => literal([new Date(NaN)])).toThrow(TypeError);
  });

  it("refuses values of any other type rather than calling their toString", () => {
    const others: unknown[] = [
      undefined,
      {},
      { toString: () => "1; DROP TABLE x" },
      Symbol("s"),
      () => 1,
      new Map(),
      new String("x"),
    ];
    for (const v of others)
      expect(() => literal(v as SqlValue), String(typeof v)).toThrow(TypeError);
  });

  it("refuses a fragment: fragments are spliced by sql only, never treated as a value", () => {
    expect(() => literal(new SqlFragment("1") as unknown as SqlValue)).toThrow(TypeError);
    expect(() => literal([ident("t") as unknown as SqlValue])).toThrow(TypeError);
  });
});

describe("ident", () => {
  it("accepts names from [A-Za-z_][A-Za-z0-9_]{0,127} and wraps them in backticks", () => {
    for (const name of [
      "a",
      "Z",
      "_",
      "_1",
      "contact_events",
      "schema_migrations",
      "fwtest_thin_0a1b2c3d",
      "A1_b2_C3",
      "x".repeat(128),
    ]) {
      const f = ident(name);
      expect(f).toBeInstanceOf(SqlFragment);
      expect(f.text).toBe(`\`${name}\``);
    }
  });

  it("throws on anything else: empty, leading digit, punctuation, whitespace, backticks, dots, non-ASCII, 129 characters", () => {
    const bad = [
      "",
      "1a",
      "9",
      "a-b",
      "a b",
      " a",
      "a ",
      "a.b",
      "db.table",
      "`a`",
      "a`",
      "a`; DROP TABLE x; --",
      "a;",
      "a'",
      'a"',
      "a\\",
      "a$",
      "a\n",
      "a\u0000",
      "\t",
      "é",
      "ｔａｂｌｅ",
      "表",
      "x".repeat(129),
      "_".repeat(129),
    ];
    for (const name of bad) expect(() => ident(name), JSON.stringify(name)).toThrow(TypeError);
  });

  it("names the rejected identifier in the error, JSON-quoted so control characters stay visible", () => {
    expect(() => ident("a\nb")).toThrow('not a safe SQL identifier: "a\\nb"');
  });
});

describe("the sql tagged template", () => {
  it("returns text without interpolations unchanged, as a fragment", () => {
    const f = sql`SELECT 1`;
    expect(f).toBeInstanceOf(SqlFragment);
    expect(f.text).toBe("SELECT 1");
    expect(String(f)).toBe("SELECT 1");
    expect(sql``.text).toBe("");
  });

  it("escapes every interpolated value with literal", () => {
    const site = "x' OR 1=1 --";
    const f = sql`SELECT count() FROM t WHERE site = ${site} AND n > ${5} AND ok = ${true} AND at >= ${new Date(0)} AND x IS ${null}`;
    expect(f.text).toBe(
      "SELECT count() FROM t WHERE site = 'x\\' OR 1=1 --' AND n > 5 AND ok = 1 AND at >= toDateTime(0) AND x IS NULL",
    );
  });

  it("escapes values at the start, at the end and next to each other", () => {
    expect(sql`${"a"}`.text).toBe("'a'");
    expect(sql`${"a"}${"b"}`.text).toBe("'a''b'");
    expect(sql`${1}, ${2}`.text).toBe("1, 2");
    expect(sql`${"'"} = ${"\\"}`.text).toBe("'\\'' = '\\\\'");
  });

  it("writes an array value as an array literal, for has() and the other array functions", () => {
    // Not for IN: 18.16 refuses `x IN ['a']` (type mismatch); IN takes list(), tested below.
    expect(sql`WHERE has(${["a", "b'c"]}, queue)`.text).toBe("WHERE has(['a', 'b\\'c'], queue)");
    expect(sql`WHERE has(${[1, 2]}, n)`.text).toBe("WHERE has([1, 2], n)");
  });

  it("never splices a string as SQL, whatever it contains", () => {
    for (const s of INJECTIONS) {
      const text = sql`SELECT ${s} AS v`.text;
      const { value, end } = readClickHouseString(text, "SELECT ".length);
      expect(value).toBe(s);
      expect(text.slice(end)).toBe(" AS v");
    }
  });

  it("splices fragments from ident and sql as they are, without escaping them again", () => {
    const where = sql`site = ${"it's"}`;
    const f = sql`SELECT * FROM ${ident("contact_events")} WHERE ${where} LIMIT ${10}`;
    expect(f.text).toBe("SELECT * FROM `contact_events` WHERE site = 'it\\'s' LIMIT 10");
  });

  it("nests fragments to any depth", () => {
    const inner = sql`x = ${"'"}`;
    const middle = sql`(${inner} OR ${ident("y")} = ${2})`;
    expect(sql`WHERE ${middle} AND ${middle}`.text).toBe(
      "WHERE (x = '\\'' OR `y` = 2) AND (x = '\\'' OR `y` = 2)",
    );
  });

  it("does not trust an object that merely looks like a fragment", () => {
    const fake = { text: "1; DROP TABLE x" } as unknown as SqlFragment;
    expect(() => sql`SELECT ${fake}`).toThrow(TypeError);
  });

  it("throws on a value literal refuses, so no statement is built from it", () => {
    expect(() => sql`SELECT ${NaN}`).toThrow(TypeError);
    expect(() => sql`SELECT ${new Date("x")}`).toThrow(TypeError);
    expect(() => sql`SELECT ${undefined as unknown as SqlValue}`).toThrow(TypeError);
  });

  it("keeps the cooked template text, so a \\n written in the template is a newline", () => {
    expect(sql`SELECT 1\nFROM t`.text).toBe("SELECT 1\nFROM t");
  });
});

describe("join", () => {
  it("joins fragments with a comma and a space by default", () => {
    expect(join([sql`a`, sql`b`, ident("c")]).text).toBe("a, b, `c`");
  });

  it("joins with the given separator", () => {
    const conditions = [sql`site = ${"x'"}`, sql`queue = ${"q"}`];
    expect(join(conditions, " AND ").text).toBe("site = 'x\\'' AND queue = 'q'");
  });

  it("returns an empty fragment for no parts and the part itself for one", () => {
    const empty = join([]);
    expect(empty).toBeInstanceOf(SqlFragment);
    expect(empty.text).toBe("");
    expect(join([sql`x = ${1}`]).text).toBe("x = 1");
  });

  it("returns a fragment that sql splices as it is", () => {
    const cols = join([ident("site"), ident("queue")]);
    expect(
      sql`SELECT ${cols} FROM ${ident("t")} WHERE ${join([sql`a = ${"'"}`, sql`b = ${2}`], " AND ")}`
        .text,
    ).toBe("SELECT `site`, `queue` FROM `t` WHERE a = '\\'' AND b = 2");
  });
});

describe("list", () => {
  it("writes the values comma-separated, each escaped with literal, for IN (…)", () => {
    const f = list(["a", "b'c", "\\"]);
    expect(f).toBeInstanceOf(SqlFragment);
    expect(f.text).toBe("'a', 'b\\'c', '\\\\'");
    expect(list([1, -2, 3n, null, true]).text).toBe("1, (-2), 3, NULL, 1");
    expect(sql`WHERE queue IN (${list(["credit_card", "' OR 1=1 --"])})`.text).toBe(
      "WHERE queue IN ('credit_card', '\\' OR 1=1 --')",
    );
  });

  it("writes a single value without a trailing comma", () => {
    expect(list(["only"]).text).toBe("'only'");
  });

  it("throws on an empty list, which IN () cannot take", () => {
    expect(() => list([])).toThrow(TypeError);
  });

  it("throws when any value cannot be written", () => {
    expect(() => list(["a", NaN])).toThrow(TypeError);
    expect(() => list([new Date(NaN)])).toThrow(TypeError);
  });

  it("never splices an injection string as SQL", () => {
    const text = list(INJECTIONS).text;
    let pos = 0;
    const decoded: string[] = [];
    for (;;) {
      const { value, end } = readClickHouseString(text, pos);
      decoded.push(value);
      if (end === text.length) break;
      expect(text.slice(end, end + 2)).toBe(", ");
      pos = end + 2;
    }
    expect(decoded).toEqual(INJECTIONS);
  });
});

describe("values next to the template's own operators", () => {
  it("keeps a negative number after a minus from starting a comment (1-${-1} is 1-(-1), not 1--1)", () => {
    expect(sql`SELECT 1-${-1} AS v`.text).toBe("SELECT 1-(-1) AS v");
    expect(sql`WHERE n > 5-${-1n} AND site = ${"s"}`.text).toBe("WHERE n > 5-(-1) AND site = 's'");
  });

  it("refuses a Date outside ClickHouse's DateTime range instead of letting the server wrap it", () => {
    expect(() => literal(new Date(-1000))).toThrow(RangeError);
    expect(() => literal(new Date(Date.UTC(2106, 1, 8)))).toThrow(RangeError);
    expect(literal(new Date(0))).toBe("toDateTime(0)");
  });
});
