import type {
  Alert,
  LiveQueue,
  LiveSnapshot,
  Rule,
  ThresholdRuleDraft,
} from "@floorwatch/contracts";
import { DEFAULT_TV_FIGURES, LayoutDraft, TV_ALERTS_MAX, TvFrame } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { currentRules } from "../alerts/rules";
import { group, queue, windowOf } from "../metrics/test-snapshots";
import { defaultLayout, layoutIdOf, tilesOf } from "./layouts";
import { judgeQueues, projectTv, roundFigure, splitFigure } from "./tv";

function snapshot(queues: LiveQueue[], alerts: Alert[] = []): LiveSnapshot {
  return {
    site: "s",
    tz: "Asia/Shanghai",
    as_of: "2026-11-28T02:00:00.000Z",
    definition_set: "x",
    queues,
    totals: {
      site: group(12.5, windowOf(60, 40)),
      channels: { voice: group(12.5, windowOf(60, 50)) },
    },
    alerts,
    alerts_total: alerts.length,
    drill_filters: {},
  };
}

const layout = (draft: Partial<LayoutDraft> = {}) => ({
  ...defaultLayout("s", "floor"),
  ...LayoutDraft.parse({ name: "Floor", ...draft }),
});

let ruleN = 0;
function rule(r: Partial<ThresholdRuleDraft> & Pick<ThresholdRuleDraft, "figure">): Rule {
  return {
    kind: "threshold",
    name: "r",
    name_zh: "",
    severity: "critical",
    mute_outside_hours: false,
    labels: {},
    enabled: true,
    window: "now",
    scope: { kind: "each_queue", except: [] },
    comparator: ">",
    threshold: 0,
    for_s: 60,
    keep_firing_for_s: 60,
    id: `r${++ruleN}`,
    site: "s",
    version: 1,
    builtin: false,
    updated_at: "",
    updated_by: "",
    ...r,
  } as Rule;
}

const stateOf = (frame: TvFrame, key: string) => frame.tiles.find((t) => t.key === key)?.s;

describe("projectTv", () => {
  it("shows only the layout's tiles, in its order, with its figures in its order", () => {
    const snap = snapshot([queue("cards", "voice"), queue("loans", "voice")]);
    const frame = projectTv(
      snap,
      layout({ tiles: ["queue:loans", "site"], figures: ["15m.offered", "agents.available"] }),
      [],
    );
    expect(TvFrame.parse(frame)).toEqual(frame);
    expect(frame.tiles.map((t) => t.key)).toEqual(["queue:loans", "site"]);
    expect(frame.tiles[0]).toMatchObject({
      name_zh: "loans-zh",
      name_en: "loans-en",
      sl_target: 0.8,
      v: [30, 1],
    });
    expect(frame.tiles[1]).toMatchObject({
      name_zh: "全部队列",
      name_en: "All queues",
      v: [60, 1],
    });
  });

  it("shows every queue of the snapshot by id, with the default figures, when the layout names none", () => {
    const snap = snapshot([queue("loans", "voice"), queue("cards", "voice")]);
    const frame = projectTv(snap, defaultLayout("s", "default"), []);
    expect(frame.tiles.map((t) => t.key)).toEqual(["queue:cards", "queue:loans"]);
    expect(frame.tiles[0]!.v).toHaveLength(DEFAULT_TV_FIGURES.length);
    expect(frame.tiles[0]!.s).toHaveLength(DEFAULT_TV_FIGURES.length);
    expect(tilesOf({ tiles: [] }, snap)).toEqual(["queue:cards", "queue:loans"]);
  });

  it("reads a channel tile from the channel's totals, named in both languages", () => {
    const frame = projectTv(
      snapshot([queue("cards", "voice", { target: 0.9 }), queue("loans", "voice")]),
      layout({ tiles: ["channel:voice", "channel:chat"], figures: ["15m.offered"] }),
      [],
    );
    expect(frame.tiles[0]).toMatchObject({ name_zh: "语音", name_en: "Voice", v: [60] });
    // The group is judged by its queues' lowest target.
    expect(frame.tiles[0]!.sl_target).toBe(0.8);
    // A channel without queues: empty, no target.
    expect(frame.tiles[1]).toMatchObject({ name_en: "Chat", v: [0], sl_target: null, s: "o" });
  });

  it("shows a queue not yet seen as its id with empty figures", () => {
    const frame = projectTv(
      snapshot([]),
      layout({ tiles: ["queue:new-q"], figures: ["waiting", "15m.offered", "15m.service_level"] }),
      [],
    );
    expect(frame.tiles[0]).toEqual({
      key: "queue:new-q",
      name_zh: "new-q",
      name_en: "new-q",
      sl_target: null,
      v: [0, 0, null],
      s: "ooo",
    });
  });

  it("rounds ratios to 6 decimals and seconds to 3, and leaves counts alone", () => {
    expect(roundFigure("service_level", 2 / 3)).toBe(0.666667);
    expect(roundFigure("asa_s", 10 / 3)).toBe(3.333);
    expect(roundFigure("offered", 12)).toBe(12);
    expect(roundFigure("csat", null)).toBeNull();
    const frame = projectTv(
      snapshot([queue("q", "voice", { sl: windowOf(3, 2) })]),
      layout({ tiles: ["queue:q"], figures: ["15m.service_level"] }),
      [],
    );
    expect(frame.tiles[0]!.v).toEqual([0.666667]);
  });

  it("splits window-qualified figures from figures of the queue now", () => {
    expect(splitFigure("15m.service_level")).toEqual({ window: "15m", figure: "service_level" });
    expect(splitFigure("agents.available")).toEqual({ window: "now", figure: "agents.available" });
  });
});

describe("projectTv states", () => {
  const waitLayout = layout({ tiles: ["queue:q"], figures: ["longest_waiting_s"] });

  it("switches at a rule's threshold: critical is a breach, warning a warning, info nothing", () => {
    const rules = [
      rule({ figure: "longest_waiting_s", threshold: 60, severity: "warning" }),
      rule({ figure: "longest_waiting_s", threshold: 120, severity: "critical" }),
      rule({ figure: "longest_waiting_s", threshold: 10, severity: "info" }),
    ];
    const at = (longest: number) =>
      stateOf(
        projectTv(snapshot([queue("q", "voice", { longest })]), waitLayout, rules),
        "queue:q",
      );
    expect(at(59)).toBe("o");
    expect(at(60.5)).toBe("w");
    expect(at(120)).toBe("w");
    expect(at(120.5)).toBe("b");
  });

  it("applies only rules whose scope covers the tile, and not disabled ones", () => {
    const q = (id: string, channel: string) => queue(id, channel, { longest: 100 });
    const snap = snapshot([q("a", "voice"), q("b", "chat"), q("c", "voice")]);
    const three = layout({
      tiles: ["queue:a", "queue:b", "queue:c"],
      figures: ["longest_waiting_s"],
    });
    const rules = [
      rule({ figure: "longest_waiting_s", threshold: 50, scope: { kind: "queue", queue: "a" } }),
      rule({
        figure: "longest_waiting_s",
        threshold: 50,
        severity: "warning",
        scope: { kind: "each_queue", channel: "chat", except: [] },
      }),
      rule({
        figure: "longest_waiting_s",
        threshold: 50,
        enabled: false,
        scope: { kind: "each_queue", except: [] },
      }),
    ];
    const frame = projectTv(snap, three, rules);
    expect(frame.tiles.map((t) => t.s)).toEqual(["b", "w", "w"]);
    // c: no enabled rule covers it, so its definition judges: 100 s ≥ its 20 s threshold.
  });

  it("keeps a queue in each_queue's except out of the rule", () => {
    const frame = projectTv(snapshot([queue("q", "voice", { longest: 30 })]), waitLayout, [
      rule({
        figure: "longest_waiting_s",
        threshold: 10,
        scope: { kind: "each_queue", except: ["q"] },
      }),
    ]);
    // Not the rule's breach; the definition's warning (30 s ≥ 20 s).
    expect(frame.tiles[0]!.s).toBe("w");
  });

  it("judges channel and site tiles by channel and site rules only", () => {
    const snap = snapshot([queue("q", "voice")]);
    const frame = projectTv(
      snap,
      layout({ tiles: ["channel:voice", "site", "queue:q"], figures: ["waiting"] }),
      [
        rule({ figure: "waiting", threshold: 1, scope: { kind: "channel", channel: "voice" } }),
        rule({ figure: "waiting", threshold: 1, severity: "warning", scope: { kind: "site" } }),
      ],
    );
    expect(frame.tiles.map((t) => t.s)).toEqual(["b", "w", "o"]);
  });

  it("resolves sl_target to the tile's target and, under the rule's min_volume, warns instead of breaching", () => {
    const slRule = rule({
      figure: "service_level",
      window: "15m",
      comparator: "<",
      threshold: "sl_target",
      min_volume: 20,
    });
    const sl = (offered: number, within: number, target: number) =>
      projectTv(
        snapshot([queue("q", "voice", { sl: windowOf(offered, within), target })]),
        layout({ tiles: ["queue:q"], figures: ["15m.service_level"] }),
        [slRule],
      ).tiles[0]!.s;
    expect(sl(30, 24, 0.8)).toBe("o"); // 0.8, not below 0.8
    expect(sl(30, 23, 0.8)).toBe("b"); // 0.767
    expect(sl(30, 23, 0.75)).toBe("o"); // its own target is lower
    // 10 offered: under the rule's volume, so no breach, but below target: a warning.
    expect(sl(10, 0, 0.8)).toBe("w");
    expect(sl(10, 9, 0.8)).toBe("o"); // under the volume and above target: ok
  });

  it("judges figures no rule covers by the queue's definition", () => {
    const frame = (q: LiveQueue) =>
      projectTv(
        snapshot([q]),
        layout({ tiles: ["queue:q"], figures: ["today.service_level", "longest_waiting_s"] }),
        [],
      ).tiles[0]!.s;
    expect(frame(queue("q", "voice", { sl: windowOf(10, 8), longest: 19.9 }))).toBe("oo");
    expect(frame(queue("q", "voice", { sl: windowOf(10, 7), longest: 20 }))).toBe("bw");
    // No contacts: no value, no state.
    expect(frame(queue("q", "voice", { sl: windowOf(0, 0) }))).toBe("oo");
  });

  it("takes the default rules as a site has them", () => {
    const rules = currentRules(["s"], []).get("s")!;
    const frame = projectTv(
      snapshot([queue("q", "voice", { longest: 301, sl: windowOf(30, 10) })]),
      layout({ tiles: ["queue:q"], figures: ["longest_waiting_s", "15m.service_level"] }),
      rules,
    );
    expect(frame.tiles[0]!.s).toBe("bb");
  });
});

describe("judgeQueues", () => {
  it("names every figure that is not ok, as a TV tile of the queue shows it, and nothing else", () => {
    const rules = [
      rule({ figure: "longest_waiting_s", threshold: 60, severity: "warning" }),
      rule({ figure: "waiting", threshold: 0, scope: { kind: "queue", queue: "slow" } }),
      rule({ figure: "aht_s", window: "60m", threshold: 0, severity: "info" }),
    ];
    const snap = snapshot([
      queue("slow", "voice", { longest: 90, sl: windowOf(30, 10) }),
      queue("calm", "voice"),
    ]);
    const judged = judgeQueues(snap, rules);
    expect(judged.queues.map((q) => [q.queue, q.states])).toEqual([
      [
        "slow",
        {
          waiting: "breach",
          longest_waiting_s: "warning",
          "15m.service_level": "breach",
          "60m.service_level": "breach",
          "today.service_level": "breach",
        },
      ],
      ["calm", {}],
    ]);
    // The same letters as the frame's, figure for figure.
    const figures = DEFAULT_TV_FIGURES;
    const frame = projectTv(snap, layout({ tiles: ["queue:slow", "queue:calm"] }), rules);
    for (const [i, q] of judged.queues.entries())
      expect(figures.map((f) => q.states?.[f]?.[0] ?? "o").join("")).toBe(frame.tiles[i]!.s);
    // The figures themselves are untouched.
    expect({ ...judged.queues[0], states: undefined }).toEqual({
      ...snap.queues[0],
      states: undefined,
    });
  });
});

describe("projectTv alerts", () => {
  const alert = (id: string, o: Partial<Alert>): Alert => ({
    id,
    site: "s",
    rule_id: "r",
    rule_version: 1,
    rule_name: `rule ${id}`,
    rule_name_zh: `规则 ${id}`,
    severity: "warning",
    labels: {},
    scope: { key: "queue:q", queue: "q", channel: "voice", survey_id: null },
    figure: "longest_waiting_s",
    window: "now",
    comparator: ">",
    threshold: 300,
    recovery_threshold: 240,
    definition_version: 1,
    acknowledged: null,
    drill: "",
    state: "firing",
    since: "2026-11-28T01:00:00.000Z",
    fired_at: "2026-11-28T01:00:00.000Z",
    value: 320,
    peak: 320,
    peak_at: null,
    evaluated_at: "2026-11-28T02:00:00.000Z",
    ...o,
  });

  it("carries firing alerts only, critical first then the oldest, with their tile", () => {
    const frame = projectTv(
      snapshot(
        [],
        [
          alert("pending", { state: "pending", severity: "critical" }),
          alert("late-warn", { fired_at: "2026-11-28T01:30:00.000Z" }),
          alert("early-warn", {
            fired_at: "2026-11-28T01:10:00.000Z",
            acknowledged: { by: "x", at: "", note: "" },
            scope: { key: "site", queue: null, channel: null, survey_id: null },
          }),
          alert("crit", {
            severity: "critical",
            fired_at: "2026-11-28T01:50:00.000Z",
            scope: { key: "channel:voice", queue: null, channel: "voice", survey_id: null },
          }),
          alert("survey", {
            scope: { key: "survey:s-1", queue: "q", channel: null, survey_id: "s-1" },
            fired_at: "2026-11-28T01:40:00.000Z",
          }),
        ],
      ),
      layout({ tiles: [] }),
      [],
    );
    expect(frame.alerts.map((a) => [a.id, a.tile, a.acknowledged])).toEqual([
      ["crit", "channel:voice", false],
      ["early-warn", "site", true],
      ["late-warn", "queue:q", false],
      ["survey", null, false],
    ]);
    expect(frame.alerts_total).toBe(4);
    expect(frame.alerts[0]).toMatchObject({
      rule_name_zh: "规则 crit",
      value: 320,
      threshold: 300,
    });
  });

  it("carries at most TV_ALERTS_MAX alerts, and counts them all", () => {
    const many = Array.from({ length: TV_ALERTS_MAX + 5 }, (_, i) => alert(`a${i}`, {}));
    const frame = projectTv(snapshot([], many), layout(), []);
    expect(frame.alerts).toHaveLength(TV_ALERTS_MAX);
    expect(frame.alerts_total).toBe(TV_ALERTS_MAX + 5);
  });
});

describe("layouts", () => {
  it("makes a layout id of a display token's free-text layout", () => {
    expect(layoutIdOf("")).toBe("default");
    expect(layoutIdOf("Floor 3 East")).toBe("floor-3-east");
    expect(layoutIdOf("--x")).toBe("x");
  });

  it("has every default of a draft in the built-in layout, version 0", () => {
    expect(defaultLayout("s", "default")).toMatchObject({
      id: "default",
      name: "Default",
      version: 0,
      tiles: [],
      figures: [],
      per_page: 12,
    });
    expect(defaultLayout("s", "lobby").name).toBe("lobby");
  });
});
