// The one place where values become SQL text. ClickHouse 18.16 has no server-side query parameters
// ({name:Type} arrived in 19.x), so every value that reaches a statement goes through here, and
// nothing else in the code base may concatenate a value into SQL (sql/README.md, "rules").
//
// Strings are emitted as single-quoted literals with every character that ClickHouse's lexer
// treats specially escaped: backslash, quote, and the control characters. Numbers must be finite.
// Identifiers are allowed only from a fixed alphabet: they come from code, never from users.

export type SqlValue = string | number | bigint | boolean | Date | null | readonly SqlValue[];

/** A fragment of SQL that is already safe (built by `sql` or `ident`), never user text. */
export class SqlFragment {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const STRING_ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "'": "\\'",
  "\0": "\\0",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

export function quoteString(value: string): string {
  // Every C0 control and DEL, not only the named ones, so no byte can end a token early.
  return `'${value.replace(/[\\'\u0000-\u001f\u007f]/g, (ch) => STRING_ESCAPES[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`)}'`;
}

// A negative number in parentheses: after a template's own minus, `1-${-1}` would otherwise become
// `1--1`, and `--` starts a comment that swallows the rest of the statement (a filter, a LIMIT).
const signed = (text: string) => (text.startsWith("-") ? `(${text})` : text);

/** The earliest and latest instants a ClickHouse DateTime holds; outside them it wraps silently. */
const DATETIME_MIN_MS = 0;
const DATETIME_MAX_MS = 4_294_967_295_000;

export function literal(value: SqlValue): string {
  if (value === null) return "NULL";
  if (typeof value === "string") return quoteString(value);
  if (typeof value === "bigint") return signed(value.toString());
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw new TypeError(`cannot put ${value} into SQL: not a finite number`);
    // Plain decimal notation: ClickHouse reads 1e21 as a Float64, which would change a column type.
    return signed(Number.isInteger(value) ? BigInt(value).toString() : String(value));
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isFinite(ms)) throw new TypeError("cannot put an invalid Date into SQL");
    if (ms < DATETIME_MIN_MS || ms > DATETIME_MAX_MS)
      throw new RangeError(
        `cannot put ${value.toISOString()} into SQL: outside the DateTime range 1970–2106`,
      );
    // Seconds since the epoch: unambiguous whatever the server's time zone.
    return `toDateTime(${Math.floor(ms / 1000)})`;
  }
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  throw new TypeError(`cannot put a value of type ${typeof value} into SQL`);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A table, column or database name from code; rejects anything outside [A-Za-z_][A-Za-z0-9_]*. */
export function ident(name: string): SqlFragment {
  if (!IDENT.test(name)) throw new TypeError(`not a safe SQL identifier: ${JSON.stringify(name)}`);
  return new SqlFragment(`\`${name}\``);
}

/**
 * Tagged template: sql`SELECT … WHERE site = ${site}` escapes every interpolated value, and splices
 * in fragments made by `sql` or `ident` as they are. The result is a fragment; `.text` is the SQL.
 */
export function sql(
  strings: TemplateStringsArray,
  ...values: ReadonlyArray<SqlValue | SqlFragment>
): SqlFragment {
  let text = strings[0] ?? "";
  values.forEach((v, i) => {
    text += v instanceof SqlFragment ? v.text : literal(v);
    text += strings[i + 1] ?? "";
  });
  return new SqlFragment(text);
}

/** Joins fragments with a separator (for IN lists of fragments, optional WHERE clauses). */
export function join(parts: readonly SqlFragment[], separator = ", "): SqlFragment {
  return new SqlFragment(parts.map((p) => p.text).join(separator));
}

/** A comma-separated list of escaped values, for `x IN (${list(values)})` (an array literal there
 * would be compared as one value, not as a set). */
export function list(values: readonly SqlValue[]): SqlFragment {
  if (values.length === 0) throw new TypeError("an empty list cannot go into IN (…)");
  return new SqlFragment(values.map(literal).join(", "));
}
