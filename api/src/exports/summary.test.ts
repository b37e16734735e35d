import { describe, expect, it } from "vitest";
import { INJECTIONS } from "../../../test/support/hostile-strings";
import { breach, followup, input, queue } from "../../../test/support/summary-input";
import { escapeHtml, renderSummary } from "./summary";

/** The HTML of the first element `<tag …attr…>`, up to its own closing tag (nesting counted). */
function section(html: string, tag: string, attr: string): string {
  const at = html.search(new RegExp(`<${tag}\\b[^>]*${attr}`));
  expect(at, `<${tag} … ${attr}>`).toBeGreaterThanOrEqual(0);
  const tags = new RegExp(`<(/?)${tag}\\b[^>]*>`, "g");
  tags.lastIndex = at;
  let depth = 0;
  for (let m = tags.exec(html); m; m = tags.exec(html)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return html.slice(at, m.index + m[0].length);
  }
  throw new Error(`<${tag} ${attr}> is not closed`);
}

/** A figure's column in the targets table of a scope (site, group, queue:<id>): its name, the
 * month's value, the target and the result, in that order. */
function targetRow(html: string, scope: string, figure: string): string {
  const table = section(html, "table", `class="targets" data-scope="${scope}"`);
  const cells = [
    ...table.matchAll(new RegExp(`<t([hd])[^>]*data-figure="${figure}"[^>]*>.*?</t\\1>`, "g")),
  ].map((m) => m[0]);
  expect(cells, `${scope} ${figure}`).toHaveLength(4);
  return cells.join("");
}

/** The text of a cell without its markup. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

/** Two voice queues whose ratios averaged would tell a different story than their sums. */
const big = queue(
  "a",
  "voice",
  {
    offered: 100,
    answered: 90,
    abandoned: 10,
    answered_within_sl: 81,
    asa_s: 10,
    max_wait_s: 120,
    handled: 90,
    aht_s: 200,
    resolution_rate: 81 / 90,
    transfer_rate: 9 / 90,
    csat: 0.9,
    csat_responses: 10,
    nps: 0.3,
    nps_responses: 10,
  },
  { 1: { offered: 40, answered: 36, abandoned: 4, answered_within_sl: 34 }, 2: { offered: 60 } },
);
const small = queue(
  "b",
  "voice",
  {
    offered: 10,
    answered: 5,
    abandoned: 5,
    answered_within_sl: 1,
    asa_s: 100,
    max_wait_s: 400,
    handled: 5,
    aht_s: 400,
    resolution_rate: 1 / 5,
    transfer_rate: 3 / 5,
    csat: 0.5,
    csat_responses: 2,
    nps: -1,
    nps_responses: 2,
  },
  { 2: { offered: 10, answered: 5, abandoned: 5, answered_within_sl: 1 } },
);

describe("renderSummary", () => {
  it("gives the same bytes for the same month, whatever order the queues and items come in", () => {
    const a = input({
      queues: [big, small, queue("c", "chat", { offered: 3, answered: 3, answered_within_sl: 3 })],
      breaches: [breach("b1", "critical", true, "a"), breach("b2", "warning", false, "b")],
      followups: [followup("s1", "a", "met"), followup("s2", "b", "overdue")],
    });
    const first = renderSummary(a);
    expect(renderSummary(structuredClone(a))).toBe(first);
    const shuffled = {
      ...structuredClone(a),
      queues: [...structuredClone(a.queues)].reverse(),
      breaches: [...a.breaches].reverse(),
      followups: [...a.followups].reverse(),
    };
    expect(renderSummary(shuffled)).toBe(first);
    // Nothing of the moment it was made: the manifest carries that.
    expect(first).not.toMatch(/generated|生成时间/i);
  });

  it("computes a group's totals from the summed counts, never by averaging the queues' ratios", () => {
    const html = renderSummary(input({ queues: [big, small] }));
    // Worked by hand from the counts above:
    //   service level  (81 + 1) / (90 + 5 + 10 + 5 − 0) = 82 / 110 = 74.54… % → floored 74.5 %
    //                  (the queues' mean, (81 % + 10 %) / 2, would be 45.5 %)
    //   abandon rate   (10 + 5) / 110 = 13.63… % → rounded up 13.7 % (mean 30.0 %)
    //   ASA            (90 × 10 s + 5 × 100 s) / 95 = 14.7 s → 0:14 (mean 0:55)
    //   longest wait   max(120, 400) = 400 s → 6:40
    //   CSAT           (9 + 1) / 12 = 83.33… % → 83.3 % (mean 70.0 %)
    //   resolution     (81 + 1) / 95 = 86.31… % → 86.3 % (mean 55.0 %)
    //   AHT            (90 × 200 + 5 × 400) / 95 = 210.5 s → 3:30
    //   transfer rate  (9 + 3) / 95 = 12.63… % → rounded up 12.7 %
    //   NPS            (3 − 2) / 12 = +8.3 → +8 (mean −35)
    expect(text(targetRow(html, "group", "service_level"))).toContain("74.5% 82 / 110");
    expect(text(targetRow(html, "group", "abandon_rate"))).toContain("13.7% 15 / 110");
    expect(text(targetRow(html, "group", "asa_s"))).toContain("0:14");
    expect(text(targetRow(html, "group", "max_wait_s"))).toContain("6:40");
    expect(text(targetRow(html, "group", "csat"))).toContain("83.3% n = 12");
    expect(text(targetRow(html, "group", "resolution_rate"))).toContain("86.3% n = 95");
    const others = section(html, "table", 'class="others" data-scope="group"');
    expect(others).toContain('data-figure="offered">110<');
    expect(others).toContain('data-figure="aht_s">3:30<');
    expect(others).toContain('data-figure="transfer_rate">12.7%<');
    expect(others).toMatch(/data-figure="nps">\+8 /);
    for (const averaged of ["45.5%", "30.0%", "0:55", "70.0%", "55.0%"])
      expect(section(html, "table", 'class="targets" data-scope="group"')).not.toContain(averaged);
    // The site's totals on the cover are the same sums.
    expect(text(targetRow(html, "site", "service_level"))).toContain("74.5% 82 / 110");
  });

  it("marks a target missed in words and by symbol, and one met likewise", () => {
    const html = renderSummary(input({ queues: [big, small] }));
    const missed = targetRow(html, "queue:b", "service_level"); // 1 / 10 against 80 %
    expect(missed).toContain('data-mark="missed"');
    expect(text(missed)).toContain("✗ Not met 未达标");
    const met = targetRow(html, "queue:a", "service_level"); // 81 / 100
    expect(text(met)).toContain("81.0%");
    expect(text(met)).toContain("✓ Met 达标");
    // The longest wait of b (6:40) is past the 5:00 target; a's 2:00 is not.
    expect(text(targetRow(html, "queue:b", "max_wait_s"))).toContain("≤ 5:00");
    expect(targetRow(html, "queue:b", "max_wait_s")).toContain('data-mark="missed"');
    expect(targetRow(html, "queue:a", "max_wait_s")).toContain('data-mark="met"');
    // ASA target 3:00, CSAT 85 %, resolution 90 %, abandon 10 %: the default rules' numbers.
    expect(text(targetRow(html, "queue:a", "asa_s"))).toContain("≤ 3:00");
    expect(text(targetRow(html, "queue:a", "csat"))).toContain("≥ 85.0%");
    expect(text(targetRow(html, "queue:a", "resolution_rate"))).toContain("≥ 90.0%");
    expect(text(targetRow(html, "queue:a", "abandon_rate"))).toContain("≤ 10.0%");
  });

  it("never shows a share on the good side of its target: abandons rounded up, the rest floored", () => {
    const edge = queue("e", "voice", {
      offered: 10_000,
      answered: 9_000,
      abandoned: 1_000,
      answered_within_sl: 7_996, // 79.96 % of 10,000: not "80.0 %"
      service_level: 0.7996,
      abandon_rate: 0.1004, // not "10.0 %" against a 10 % ceiling
    });
    const html = renderSummary(input({ queues: [edge] }));
    const sl = targetRow(html, "queue:e", "service_level");
    expect(text(sl)).toContain("79.9%");
    expect(sl).toContain('data-mark="missed"');
    const ab = targetRow(html, "queue:e", "abandon_rate");
    expect(text(ab)).toContain("10.1%");
    expect(ab).toContain('data-mark="missed"');
    expect(text(targetRow(html, "queue:e", "service_level"))).toContain("7,996 / 10,000");
  });

  it("writes every label in both languages, the pack's language first", () => {
    const q = [big];
    const en = renderSummary(input({ queues: q, lang: "en" }));
    const zh = renderSummary(input({ queues: q, lang: "zh-CN" }));
    expect(en).toContain('<html lang="en">');
    expect(zh).toContain('<html lang="zh-CN">');
    for (const html of [en, zh])
      for (const [a, b] of [
        ["Monthly compliance summary", "月度服务合规摘要"],
        ["Service level", "服务水平"],
        ["Abandon rate", "放弃率"],
        ["Low-score follow-ups", "低分回访"],
        ["Voice", "语音"],
        ["Daily service level", "每日服务水平"],
      ]) {
        expect(html).toContain(a);
        expect(html).toContain(b);
      }
    const slEn = text(targetRow(en, "group", "service_level"));
    const slZh = text(targetRow(zh, "group", "service_level"));
    expect(slEn.indexOf("Service level")).toBeLessThan(slEn.indexOf("服务水平"));
    expect(slZh.indexOf("服务水平")).toBeLessThan(slZh.indexOf("Service level"));
    // The month unambiguous in both forms.
    expect(en).toContain("2026-10 (2026年10月)");
    expect(zh).toContain("2026年10月（2026-10）");
  });

  it("fetches nothing and runs nothing: no script, no external reference of any kind", () => {
    const html = renderSummary(input({ queues: [big, small] }));
    for (const bad of [
      "http://",
      "https://",
      "<script",
      "src=",
      "href=",
      "url(",
      "@import",
      "<link",
      "<img",
      "<iframe",
      "@font-face",
      "javascript:",
    ])
      expect(html.toLowerCase()).not.toContain(bad);
    expect(html).toContain("@page{size:A4");
    expect(html).toMatch(/\.page\{break-before:page;page-break-before:always\}/);
  });

  it("draws one volume bar per day with calls and leaves days without calls as gaps", () => {
    // Calls on days 1, 2 (a), 2 (b), 3, 5 and 10 (c); days 4 and 6–9 are gaps.
    const c = queue(
      "c",
      "chat",
      { offered: 60, answered: 55, abandoned: 5, answered_within_sl: 50 },
      {
        1: { offered: 10, answered: 10, answered_within_sl: 10 },
        2: { offered: 10, answered: 8, abandoned: 2, answered_within_sl: 4 },
        3: { offered: 10, answered: 10, answered_within_sl: 9 },
        5: { offered: 10, answered: 9, abandoned: 1, answered_within_sl: 9 },
        10: { offered: 20, answered: 18, abandoned: 2, answered_within_sl: 18 },
      },
    );
    const d = queue(
      "d",
      "chat",
      { offered: 5, answered: 5, answered_within_sl: 5 },
      { 2: { offered: 5, answered: 5, answered_within_sl: 5 } },
    );
    const html = renderSummary(input({ queues: [c, d] }));
    const page = section(html, "section", 'data-channel="chat"');
    const volume = section(page, "svg", 'class="chart volume"');
    expect(volume.match(/class="bar offered"/g)).toHaveLength(5);
    expect(volume.match(/class="bar abandoned"/g)).toHaveLength(3); // days 2, 5, 10
    const sl = section(page, "svg", 'class="chart sl"');
    expect(sl.match(/class="sl-point/g)).toHaveLength(5);
    // Days 1–3 joined; 5 and 10 alone: a gap is never drawn through or as zero.
    expect(sl.match(/<polyline/g)).toHaveLength(1);
    expect(sl.match(/<polyline[^>]*points="([^"]*)"/)?.[1]?.split(" ")).toHaveLength(3);
    // Day 2 of the group: (4 + 5) / (13 + 2) = 60 %, under the 80 % target: a cross, not a dot.
    expect(sl).toMatch(/<path class="sl-point below"[^>]*><title>2026-10-02: [^<]*60\.0%/);
    expect(sl).toContain('<line class="target"');
  });

  it("counts the month's breaches by severity and acknowledgement, and the follow-ups by status", () => {
    const html = renderSummary(
      input({
        queues: [big],
        breaches: [
          breach("b1", "critical", true, "a"),
          breach("b2", "critical", false, "a"),
          breach("b3", "warning", true, null),
        ],
        followups: [
          followup("s1", "a", "met"),
          followup("s2", "a", "met"),
          followup("s3", "a", "met"),
          followup("s4", "a", "overdue"),
          followup("s5", "a", "open"),
          followup("s6", "a", "untrackable"),
        ],
      }),
    );
    const breaches = section(html, "table", 'class="breaches" data-scope="site"');
    // Per severity: breaches, acknowledged, not acknowledged.
    const column = (table: string, severity: string) =>
      [...table.matchAll(new RegExp(`<td[^>]*data-severity="${severity}">([^<]*)</td>`, "g"))].map(
        (m) => m[1],
      );
    expect(column(breaches, "critical")).toEqual(["2", "1", "1"]);
    expect(column(breaches, "warning")).toEqual(["1", "1", "0"]);
    expect(column(breaches, "info")).toEqual(["0", "0", "0"]);
    expect(column(breaches, "total")).toEqual(["3", "2", "1"]);
    // The site-wide breach belongs to no group: the voice page counts the two of queue a.
    const group = section(html, "table", 'class="breaches" data-scope="group"');
    expect(column(group, "total")).toEqual(["2", "1", "1"]);

    const followups = section(html, "table", 'class="followups" data-scope="site"');
    const status = (s: string) =>
      text(followups.match(new RegExp(`<td[^>]*data-status="${s}">(.*?)</td>`))?.[1] ?? "");
    expect(status("met")).toBe("3");
    expect(status("overdue")).toBe("1");
    expect(status("open")).toBe("1");
    expect(status("untrackable")).toBe("1");
    expect(status("total")).toBe("6");
    expect(status("share")).toBe("75.0% 3 / 4"); // 3 met of the 4 due and trackable
    const row = targetRow(html, "queue:a", "followups");
    expect(row).toContain('data-mark="missed"');
    expect(text(row)).toContain("75.0% 3 / 4");
  });

  it("leaves the follow-up target undetermined while one is open, and met once all are met", () => {
    const open = renderSummary(
      input({
        queues: [big],
        followups: [followup("s1", "a", "met"), followup("s2", "a", "open")],
      }),
    );
    expect(targetRow(open, "queue:a", "followups")).toContain('data-mark="undetermined"');
    const met = renderSummary(input({ queues: [big], followups: [followup("s1", "a", "met")] }));
    expect(targetRow(met, "queue:a", "followups")).toContain('data-mark="met"');
    expect(targetRow(met, "site", "followups")).toContain('data-mark="met"');
  });

  it("marks restated figures and explains the mark in a footnote", () => {
    const q = queue(
      "r",
      "voice",
      { offered: 5, answered: 5, answered_within_sl: 5 },
      { 3: { offered: 5, answered: 5, answered_within_sl: 5 } },
      { restated: true, restatedDays: [3, 17] },
    );
    const html = renderSummary(input({ queues: [q, big] }));
    const page = section(html, "section", 'data-channel="voice"');
    expect(page).toContain("2026-10-03, 2026-10-17");
    expect(page).toContain("†");
    expect(page).toMatch(
      /class="footnote"[^>]*>.*Restated: the figure changed after it was first published/,
    );
    // Only the restated queue carries the mark in its heading.
    const headings = page.match(/<h3><span lang="en">Queue [ar]<\/span>.*?<\/h3>/g) ?? [];
    expect(headings.find((h) => h.includes("Queue r"))).toContain("†");
    expect(headings.find((h) => h.includes("Queue a"))).not.toContain("†");
  });

  it("orders the group pages as the TV does, whatever the input order, and skips quiet groups", () => {
    const html = renderSummary(
      input({
        queues: [
          queue("m", "email", { offered: 1, answered: 1, answered_within_sl: 1 }),
          queue("c", "chat", { offered: 1, answered: 1, answered_within_sl: 1 }),
          queue("v", "voice", { offered: 1, answered: 1, answered_within_sl: 1 }),
          queue("x", "video", {}),
        ],
      }),
    );
    const order = [
      ...html.matchAll(/<section class="page group" id="group-(\d)" data-channel="(\w+)"/g),
    ];
    expect(order.map((m) => [m[1], m[2]])).toEqual([
      ["1", "voice"],
      ["2", "chat"],
      ["3", "email"],
    ]);
  });

  it("renders an empty month: the cover with zero counts and no group page", () => {
    const html = renderSummary(input({ queues: [queue("a", "voice", {})] }));
    expect(html).toContain("No contacts in this month.");
    expect(html).not.toContain('class="page group"');
    expect(text(targetRow(html, "site", "service_level"))).toContain("– No data");
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
    const none = renderSummary(input({ queues: [] }));
    expect(none).toContain("No contacts in this month.");
  });
});

// Strings that break HTML: tags, attribute breakouts with either quote, entities, comments,
// CDATA, a style end, and Chinese with them; plus the SQL set of test/support.
const HTML_HOSTILE = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  "</style><script>alert(1)</script>",
  "</title><script>alert(1)</script>",
  "<!-- x --><b>x</b>",
  "<![CDATA[x]]>",
  "&lt;already escaped&gt; &amp; &#39;",
  "信用卡 <b>\"贵宾\"</b> & '客户'",
  "a\u0000b\u0007c",
  "javascript:alert(1)",
  " onmouseover=alert(1) x=",
  "</svg><script>alert(1)</script>",
];

/** Elements and attributes the page may hold; anything else came from data. */
const TAGS = new Set(
  "html head meta title style body section h1 h2 h3 p span b sup code table caption colgroup col thead tbody tr th td div ol li svg line text polyline circle path rect".split(
    " ",
  ),
);
const ATTRIBUTES = new Set(
  "lang charset name content class id colspan data-total data-channel data-scope data-figure data-mark data-severity data-status scope title viewbox role aria-label x y x1 y1 x2 y2 cx cy r d points width height text-anchor".split(
    " ",
  ),
);

describe("escapeHtml", () => {
  it("escapes the five characters that end text or a quoted attribute", () => {
    expect(escapeHtml(`<a href="x">'b' & c</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;b&#39; &amp; c&lt;/a&gt;",
    );
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
    expect(escapeHtml("服务水平 ≥ 80%")).toBe("服务水平 ≥ 80%");
    expect(escapeHtml("a\u0000b\tc\nd\u001fe")).toBe("a\uFFFDb\tc\nd\uFFFDe");
  });

  it("keeps every hostile string of data to text: no element, attribute or script of its own", () => {
    for (const s of [...HTML_HOSTILE, ...INJECTIONS]) {
      const q = queue(
        s,
        s,
        { offered: 3, answered: 3, answered_within_sl: 3 },
        { 1: { offered: 3, answered: 3, answered_within_sl: 3 } },
        { name_zh: s, name_en: s, restated: true, restatedDays: [1] },
      );
      const html = renderSummary(
        input({
          site: s,
          site_name: s,
          tz: s,
          definition_set: s,
          generator: { name: s, version: s },
          queues: [q],
          followups: [{ ...followup(s, s, "overdue"), channel: s }],
          breaches: [{ ...breach(s, "critical", true, s), rule_name: s }],
        }),
      );
      // Booleans, so a failure names the string instead of printing the whole page.
      expect(html.toLowerCase().includes("<script"), s).toBe(false);
      expect(html.includes("\u0000"), s).toBe(false);
      expect(html.includes(escapeHtml(s)), s).toBe(true);
      for (const tag of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
        const [whole, name, attrs] = tag;
        expect(TAGS.has(name!.toLowerCase()), `element ${whole}`).toBe(true);
        // Every attribute a known name with a double-quoted value free of quotes and brackets.
        const rest = attrs!.replace(/\s+([a-z][a-z0-9-]*)(="[^"<>]*")?/gi, (m, a: string) => {
          expect(ATTRIBUTES.has(a.toLowerCase()), `attribute ${a} in ${whole}`).toBe(true);
          return m.startsWith(" ") || m.startsWith("\n") ? "" : m;
        });
        expect(rest.replace(/\/$/, "").trim(), `left in ${whole}`).toBe("");
      }
      // Comments and CDATA from data never open: the only "<!" is the doctype.
      expect(html.match(/<!/g)).toEqual(["<!"]);
    }
  });
});
