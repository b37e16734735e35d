// JSON Schema (draft 2020-12) for producer teams, one file per event type, generated from the zod
// schemas (the single source of truth). `npm run contracts:jsonschema` writes contracts/jsonschema/;
// a unit test fails when the committed files differ from what the schemas generate.
import { z } from "zod";
import { AgentStateChanged, ContactEvent, SurveyCompleted } from "./events";

const SCHEMAS = [...ContactEvent.options, AgentStateChanged, SurveyCompleted];

export function eventJsonSchemas(): Map<string, object> {
  const out = new Map<string, object>();
  for (const schema of SCHEMAS) {
    // io "input": what a producer may send. Unknown extra fields are allowed (and ignored).
    const json = z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" }) as Record<
      string,
      unknown
    >;
    const props = json.properties as Record<string, { const?: string }>;
    const type = props.type?.const;
    if (!type) throw new Error("every event schema has a literal type");
    const doc: Record<string, unknown> = {
      $schema: json.$schema,
      $id: `urn:floorwatch:events:v1:${type}`,
      title: type,
      description: `Floorwatch event contract v1: ${type}. See events.md. Unknown extra fields are ignored.`,
      ...json,
    };
    // zod refinements have no JSON Schema form; the one that matters to producers is stated here.
    if (type === "survey.completed")
      doc.anyOf = [{ required: ["csat"] }, { required: ["nps"] }, { required: ["resolved"] }];
    out.set(type, doc);
  }
  return out;
}

export function renderJsonSchema(doc: object): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
