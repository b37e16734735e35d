import { describe, expect, it } from "vitest";
import { isReadStatement, isResetSocket } from "./client";

describe("which failed requests are retried", () => {
  it("takes SELECTs, WITH … SELECT and SHOW as reads, after whitespace, comments and parentheses", () => {
    for (const s of [
      "SELECT 1",
      "\n    select x FROM t",
      "WITH 1 AS a SELECT a",
      "-- the live tick\nSELECT 1",
      "/* named */ (SELECT 1) UNION ALL (SELECT 2)",
      "SHOW TABLES",
      "EXISTS TABLE t",
    ])
      expect(isReadStatement(s), s).toBe(true);
  });

  it("never takes a write or a command as a read", () => {
    for (const s of [
      "INSERT INTO t SELECT * FROM u",
      "  insert into t values (1)",
      "ALTER TABLE t DELETE WHERE 1",
      "OPTIMIZE TABLE t FINAL",
      "CREATE TABLE t (x UInt8) ENGINE = Memory",
      "-- SELECT\nINSERT INTO t VALUES (1)",
      "SELECTED",
    ])
      expect(isReadStatement(s), s).toBe(false);
  });

  it("knows a reset or hung-up socket from a server's answer", () => {
    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    expect(isResetSocket(reset)).toBe(true);
    expect(isResetSocket(new Error("socket hang up"))).toBe(true);
    expect(isResetSocket(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }))).toBe(true);
    expect(isResetSocket(new Error("Code: 60. Table floorwatch.x doesn't exist"))).toBe(false);
    expect(isResetSocket("ECONNRESET")).toBe(false);
  });
});
