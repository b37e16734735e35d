import { describe, expect, it } from "vitest";
import { latestWebhooks } from "./store";

const body = (name: string, enabled = true) =>
  JSON.stringify({
    name,
    format: "standard",
    sites: ["a"],
    events: { types: ["alert.firing"], severities: [], rules: [], queues: [] },
    lang: "en",
    enabled,
    disabled_reason: null,
    url_masked: "https://example.com/hook",
    secret_hint: "whsec_AbCd…",
    previous_until_ms: 0,
    robot_secret_set: false,
    sealed: "v1.x.y.z.w",
  });

const row = (id: string, version: number, b: string, at: number, by = "ana", deleted = 0) => ({
  webhook_id: id,
  version,
  deleted,
  body: b,
  created_ms: at,
  created_by: by,
});

describe("latest webhook versions", () => {
  it("takes each subscription's latest version, created as its first and updated as its last", () => {
    const latest = latestWebhooks([
      row("wh_1", 2, body("second", false), 2_000, "floorwatch"),
      row("wh_1", 1, body("first"), 1_000, "ana"),
    ]);
    expect(latest.get("wh_1")).toMatchObject({
      latest: 2,
      current: {
        id: "wh_1",
        name: "second",
        enabled: false,
        version: 2,
        created_ms: 1_000,
        created_by: "ana",
        updated_ms: 2_000,
        updated_by: "floorwatch",
      },
    });
  });

  it("has no subscription in force once deleted, or when its latest body does not read", () => {
    const latest = latestWebhooks([
      row("wh_1", 1, body("first"), 1_000),
      row("wh_1", 2, "", 2_000, "ana", 1),
      row("wh_2", 1, "{not json", 1_000),
    ]);
    expect(latest.get("wh_1")).toEqual({ latest: 2, current: null });
    expect(latest.get("wh_2")).toEqual({ latest: 1, current: null });
  });
});
