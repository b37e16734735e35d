import { describe, expect, it } from "vitest";
import {
  type AlertState,
  INACTIVE,
  type LifecycleRule,
  lifecycleProblem,
  type Observation,
  step,
  type Transition,
} from "./lifecycle";

const S = 1_000;

/** Runs observations through a rule from inactive; every transition, and the last state. */
function run(rule: LifecycleRule, observations: Observation[]) {
  let state: AlertState = INACTIVE;
  const transitions: Transition[] = [];
  for (const o of observations) {
    const r = step(rule, state, o);
    state = r.state;
    transitions.push(...r.transitions);
  }
  return { state, transitions, kinds: transitions.map((t) => `${t.kind}@${t.at_ms / S}`) };
}

/** One observation every 5 s (the evaluator's tick) from `start` s, one value each. */
const every5s = (start: number, values: (number | null)[], extra: Partial<Observation> = {}) =>
  values.map((value, i) => ({ at_ms: (start + i * 5) * S, value, ...extra }));

// Longest wait over 300 s (nobody waits more than 5 minutes), resolving below 240 s.
const longestWait: LifecycleRule = {
  comparator: ">",
  threshold: 300,
  recovery_threshold: 240,
  for_ms: 60 * S,
  keep_firing_for_ms: 30 * S,
};

// Service level under 80 % over 15 minutes with at least 20 offered, back at 82 %.
const serviceLevel: LifecycleRule = {
  comparator: "<",
  threshold: 0.8,
  recovery_threshold: 0.82,
  for_ms: 60 * S,
  keep_firing_for_ms: 60 * S,
  min_volume: 20,
};

describe("an alert's lifecycle", () => {
  it("fires exactly once, after the condition held for `for`", () => {
    const r = run(longestWait, every5s(0, Array(30).fill(310)));
    expect(r.kinds).toEqual(["pending@0", "firing@60"]);
    expect(r.state.phase).toBe("firing");
  });

  it("cancels a pending alert whose condition breaks before `for`, and starts `for` again", () => {
    const values = [...Array(10).fill(310), 200, ...Array(13).fill(310)];
    const r = run(longestWait, every5s(0, values));
    expect(r.kinds).toEqual(["pending@0", "cancelled@50", "pending@55", "firing@115"]);
  });

  it("stays firing inside the hysteresis band, then resolves once after keep_firing_for", () => {
    const values = [
      ...Array(13).fill(320), // fires at 60 s
      ...Array(20).fill(270), // under 300 but above 240: still a breach for the floor
      ...Array(10).fill(230), // recovered from 165 s: resolves 30 s later
    ];
    const r = run(longestWait, every5s(0, values));
    expect(r.kinds).toEqual(["pending@0", "firing@60", "resolved@195"]);
    const resolved = r.transitions.at(-1)!;
    expect(resolved).toMatchObject({ since_ms: 0, fired_ms: 60 * S, peak: 320, peak_ms: 0 });
  });

  it("does not flap on a value that wavers around the firing threshold", () => {
    const wavering = Array.from({ length: 120 }, (_, i) => (i % 2 ? 299 : 301));
    const r = run({ ...longestWait, for_ms: 0 }, every5s(0, wavering));
    expect(r.kinds).toEqual(["pending@0", "firing@0"]);
  });

  it("starts keep_firing_for again when the value breaks back out before it passed", () => {
    const values = [
      ...Array(13).fill(320),
      ...Array(4).fill(200), // recovering from 65 s …
      330, // … broken at 85 s: the worst value yet
      ...Array(8).fill(200), // recovering from 90 s: resolves at 120 s
    ];
    const r = run(longestWait, every5s(0, values));
    expect(r.kinds).toEqual(["pending@0", "firing@60", "resolved@120"]);
    expect(r.transitions.at(-1)).toMatchObject({ peak: 330, peak_ms: 85 * S });
  });

  it("is held off by the volume guard while the figure rests on too few contacts", () => {
    const thin = run(serviceLevel, every5s(0, Array(30).fill(0), { volume: 3 }));
    expect(thin.kinds).toEqual([]);
    const enough = run(serviceLevel, every5s(0, Array(30).fill(0.5), { volume: 20 }));
    expect(enough.kinds).toEqual(["pending@0", "firing@60"]);
  });

  it("judges `<` rules from below: fires under the target, resolves at the recovery threshold", () => {
    const values = [...Array(13).fill(0.7), ...Array(10).fill(0.81), ...Array(13).fill(0.85)];
    const r = run(serviceLevel, every5s(0, values, { volume: 40 }));
    // 0.81 is back over the target but under the recovery threshold: still firing.
    expect(r.kinds).toEqual(["pending@0", "firing@60", "resolved@175"]);
    expect(r.transitions.at(-1)).toMatchObject({ peak: 0.7 });
  });

  it("is held off while muted (outside business hours), and a firing alert resolves under a mute", () => {
    const muted = run(longestWait, every5s(0, Array(30).fill(400), { muted: true }));
    expect(muted.kinds).toEqual([]);
    const obs = [
      ...every5s(0, Array(13).fill(400)),
      ...every5s(65, Array(10).fill(400), { muted: true }),
    ];
    expect(run(longestWait, obs).kinds).toEqual(["pending@0", "firing@60", "resolved@95"]);
  });

  it("counts an undefined figure as no breach: it never fires on one and recovers on one", () => {
    expect(run(serviceLevel, every5s(0, Array(30).fill(null), { volume: 50 })).kinds).toEqual([]);
    const obs = [
      ...every5s(0, Array(13).fill(0.5), { volume: 50 }),
      ...every5s(65, Array(14).fill(null), { volume: 0 }),
    ];
    expect(run(serviceLevel, obs).kinds).toEqual(["pending@0", "firing@60", "resolved@125"]);
  });

  it("fires at the first observation when `for` is 0, and resolves at once with no keep_firing_for", () => {
    const rule = { ...longestWait, for_ms: 0, keep_firing_for_ms: 0 };
    expect(run(rule, every5s(0, [310, 200, 310])).kinds).toEqual([
      "pending@0",
      "firing@0",
      "resolved@5",
      "pending@10",
      "firing@10",
    ]);
  });

  it("measures `for` by the observations' instants, not by their count (a late tick)", () => {
    const r = run(longestWait, [
      { at_ms: 0, value: 310 },
      { at_ms: 90 * S, value: 310 },
    ]);
    expect(r.kinds).toEqual(["pending@0", "firing@90"]);
  });
});

describe("a rule's thresholds", () => {
  it("refuse a recovery threshold on the breaching side of the firing one, naming it", () => {
    expect(lifecycleProblem(longestWait)).toBeNull();
    expect(lifecycleProblem(serviceLevel)).toBeNull();
    expect(lifecycleProblem({ ...longestWait, recovery_threshold: 310 })).toMatch(
      /recovery_threshold must be at most the threshold \(300\)/,
    );
    expect(lifecycleProblem({ ...serviceLevel, recovery_threshold: 0.7 })).toMatch(
      /recovery_threshold must be at least the threshold \(0.8\)/,
    );
    expect(lifecycleProblem({ ...longestWait, threshold: Number.NaN })).toMatch(/threshold/);
    expect(lifecycleProblem({ ...longestWait, for_ms: -1 })).toMatch(/for/);
  });
});
