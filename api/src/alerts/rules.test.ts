import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "./defaults";
import { currentRules, nextVersion, versionsOf } from "./rules";

const row = (rule_id: string, version: number, body: object | null, created_ms = version) => ({
  site: "s",
  rule_id,
  version,
  deleted: body ? 0 : 1,
  body: body ? JSON.stringify(body) : "",
  created_ms,
  created_by: "ann",
});

describe("rules in force", () => {
  it("are the eight defaults at version 1 for a site with nothing stored", () => {
    const rules = currentRules(["s"], []).get("s")!;
    expect(rules.map((r) => r.id).sort()).toEqual(Object.keys(DEFAULT_RULES).sort());
    expect(rules.every((r) => r.version === 1 && r.builtin)).toBe(true);
  });

  it("take each rule's latest version, drop deleted ones, and keep a default's history", () => {
    const edited = { ...DEFAULT_RULES["longest-wait"]!, name: "edited" };
    const custom = { ...DEFAULT_RULES.abandon!, name: "mine" };
    const rows = [row("longest-wait", 2, edited), row("abandon", 2, null), row("r-1", 1, custom)];
    const rules = currentRules(["s"], rows).get("s")!;
    expect(rules.find((r) => r.id === "longest-wait")).toMatchObject({
      version: 2,
      name: "edited",
    });
    expect(rules.find((r) => r.id === "abandon")).toBeUndefined();
    expect(rules.find((r) => r.id === "r-1")).toMatchObject({ version: 1, builtin: false });
    expect(versionsOf("s", "longest-wait", rows).map((v) => v.version)).toEqual([1, 2]);
    expect(nextVersion("s", "abandon", rows)).toBe(3);
    expect(nextVersion("s", "r-new", rows)).toBe(1);
  });

  it("skip a stored body that no longer parses instead of failing the site", () => {
    const rows = [row("r-bad", 1, { kind: "threshold", figure: 3 })];
    expect(
      currentRules(["s"], rows)
        .get("s")!
        .find((r) => r.id === "r-bad"),
    ).toBeUndefined();
  });
});
