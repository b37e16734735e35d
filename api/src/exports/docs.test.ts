import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { columnTables, DOC_PATH, PACK_TABLES, withColumnTables } from "./docs";

describe("docs/exports.md column tables", () => {
  it("are the ones the code writes (run `npm run docs:exports` after changing a column)", () => {
    const doc = readFileSync(DOC_PATH, "utf8");
    expect(withColumnTables(doc)).toBe(doc);
  });

  it("name every column of every file in both languages, each once per file", () => {
    const tables = columnTables();
    for (const { name, columns } of PACK_TABLES) {
      expect(tables).toContain(`### ${name}`);
      expect(new Set(columns.map((c) => c.en)).size, name).toBe(columns.length);
      for (const c of columns) {
        expect(c.en, name).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(c.zh.trim(), `${name} ${c.en}`).not.toBe("");
        expect(c.about_en.trim(), `${name} ${c.en}`).not.toBe("");
        expect(c.about_zh.trim(), `${name} ${c.en}`).not.toBe("");
        expect(tables).toContain(`| \`${c.en}\` |`);
      }
    }
  });
});
