// `npm run docs:exports`: docs/exports.md's column tables made again from the pack's columns.
import { readFile, writeFile } from "node:fs/promises";
import { DOC_PATH, PACK_TABLES, withColumnTables } from "../exports/docs";

await writeFile(DOC_PATH, withColumnTables(await readFile(DOC_PATH, "utf8")));
process.stdout.write(`docs/exports.md: ${PACK_TABLES.length} column tables written\n`);
