// `npm run contracts:jsonschema`: writes contracts/jsonschema/<event type>.json.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventJsonSchemas, renderJsonSchema } from "../jsonschema";

const dir = join(import.meta.dirname, "../../jsonschema");
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) if (f.endsWith(".json")) rmSync(join(dir, f));
const schemas = eventJsonSchemas();
for (const [type, doc] of schemas) writeFileSync(join(dir, `${type}.json`), renderJsonSchema(doc));
process.stdout.write(`wrote ${schemas.size} schemas to contracts/jsonschema/\n`);
