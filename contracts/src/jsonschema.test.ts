import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventJsonSchemas, renderJsonSchema } from "./jsonschema";

const dir = join(import.meta.dirname, "../jsonschema");

describe("the committed JSON Schema files for producers", () => {
  it("are exactly what the zod schemas generate (run `npm run contracts:jsonschema` after a contract change)", () => {
    const generated = eventJsonSchemas();
    const committed = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort();
    expect(committed).toEqual([...generated.keys()].map((t) => `${t}.json`).sort());
    for (const [type, doc] of generated)
      expect(readFileSync(join(dir, `${type}.json`), "utf8"), type).toBe(renderJsonSchema(doc));
  });

  it("cover every event type with its required fields, the timestamp pattern and the survey rule", () => {
    const s = eventJsonSchemas();
    expect(s.size).toBe(10);
    const queued = s.get("contact.queued") as {
      required: string[];
      properties: Record<string, { pattern?: string; format?: string }>;
    };
    expect(queued.required).toEqual(
      expect.arrayContaining([
        "v",
        "event_id",
        "type",
        "occurred_at",
        "site",
        "contact_id",
        "channel",
        "queue",
      ]),
    );
    expect(queued.required).not.toContain("customer");
    expect(queued.properties.occurred_at?.format).toBe("date-time");
    expect(
      new RegExp(queued.properties.occurred_at!.pattern!).test("2026-11-22T09:15:30.250+08:00"),
    ).toBe(true);
    expect(new RegExp(queued.properties.occurred_at!.pattern!).test("2026-11-22 09:15:30")).toBe(
      false,
    );
    expect((s.get("survey.completed") as { anyOf: unknown[] }).anyOf).toHaveLength(3);
  });
});
