import { describe, expect, it } from "vitest";
import { Counter, Gauge, Histogram, ObservedCounter, Registry } from "./metrics";

describe("the Prometheus registry", () => {
  it("exposes counters per label set with HELP and TYPE lines, and zero before any increment", () => {
    const r = new Registry();
    const c = r.register(new Counter("x_total", "Things.", [{ reason: "a" }, { reason: "b" }]));
    c.inc({ reason: "a" }, 3);
    expect(r.expose()).toBe(
      '# HELP x_total Things.\n# TYPE x_total counter\nx_total{reason="a"} 3\nx_total{reason="b"} 0\n',
    );
    expect(c.total()).toBe(3);
  });

  it("reads an observed counter from its owner at every exposition", () => {
    let n = 0;
    const c = new ObservedCounter("r_total", "R.", () => n);
    expect(c.lines()).toEqual(["r_total 0"]);
    n = 2;
    expect(c.lines()).toEqual(["r_total 2"]);
  });

  it("escapes label values", () => {
    const g = new Gauge("g", "G.");
    g.set(1, { topic: 'a"b\\c\nd' });
    expect(g.lines()).toEqual(['g{topic="a\\"b\\\\c\\nd"} 1']);
  });

  it("counts histogram observations into cumulative buckets with sum and count", () => {
    const h = new Histogram("h", "H.", [1, 10]);
    for (const v of [0.5, 5, 50]) h.observe(v);
    expect(h.lines()).toEqual([
      'h_bucket{le="1"} 1',
      'h_bucket{le="10"} 2',
      'h_bucket{le="+Inf"} 3',
      "h_sum 55.5",
      "h_count 3",
    ]);
  });
});
