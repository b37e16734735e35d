// summary.html in the real Chromium: it loads nothing from anywhere, runs nothing, keeps hostile
// names as text, fits the width of an A4 sheet in print, and prints to PDF with every queue group on
// a sheet of its own.
import type { ExportLang, QueueFigures } from "@floorwatch/contracts";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderSummary, type SummaryInput } from "../../api/src/exports/summary";
import { launchBrowser, watchPageErrors } from "../support/browser";
import { breach, followup, input, queue } from "../support/summary-input";

/** A4 less the page's margins (@page: 10 mm each side) in CSS pixels: the width print lays out. */
const A4_CONTENT_PX = Math.floor(((210 - 20) * 96) / 25.4);

// Names that would run code or break out of their attribute if they reached the page unescaped.
const HOSTILE_QUEUE = `q"><img src=x onerror="window.__pwned=1">`;
const HOSTILE_NAME = `</style><script>window.__pwned=1</script>投诉 & "特急"`;
const LONG_NAME =
  "信用卡分期与账单争议处理专线（白金及以上客户，含境外交易、挂失、补卡与额度临时调整）";

/** Calls every weekday of October 2026 but the 14th; weekends quiet for all but voice. */
function days(volume: number, voice: boolean) {
  const out: Record<number, Partial<QueueFigures>> = {};
  for (let d = 1; d <= 31; d++) {
    const weekday = (d + 3) % 7; // 2026-10-01 is a Thursday (4)
    if (d === 14 || (!voice && (weekday === 0 || weekday === 6))) continue;
    const offered = volume + ((d * 37) % 23);
    const abandoned = (d * 7) % 9;
    const answered = offered - abandoned;
    out[d] = { offered, answered, abandoned, answered_within_sl: answered - ((d * 11) % 17) };
  }
  return out;
}

function month(lang: ExportLang): SummaryInput {
  const figures = (volume: number) => ({
    offered: volume * 25,
    answered: volume * 23,
    abandoned: volume * 2,
    answered_within_sl: volume * 18,
    asa_s: 41.5,
    max_wait_s: 512,
    handled: volume * 23,
    aht_s: 3725,
    resolution_rate: 0.871,
    transfer_rate: 0.1004,
    csat: 0.86,
    csat_responses: volume * 3,
    nps: -0.125,
    nps_responses: volume * 3,
    low_csat: 4,
  });
  return input({
    lang,
    site_name: HOSTILE_NAME,
    queues: [
      queue("credit_card", "voice", figures(300), days(300, true), {
        name_zh: LONG_NAME,
        name_en: "Credit card instalments and disputed statements (platinum and above)",
      }),
      queue(HOSTILE_QUEUE, "voice", figures(40), days(40, true), {
        name_zh: HOSTILE_NAME,
        name_en: HOSTILE_NAME,
        restated: true,
        restatedDays: [3, 4],
      }),
      queue("loans", "voice", figures(90), days(90, true)),
      queue("web", "chat", figures(120), days(120, false)),
      queue("mail", "email", figures(30), days(30, false)),
      queue("branch_video", "video", figures(8), days(8, false)),
    ],
    breaches: [
      breach("b1", "critical", true, "credit_card"),
      breach("b2", "warning", false, HOSTILE_QUEUE),
    ],
    followups: [followup("s1", "credit_card", "met"), followup("s2", "loans", "overdue")],
  });
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The page in print layout at the width of an A4 sheet, every request it makes recorded. */
async function open(html: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: A4_CONTENT_PX, height: 1000 } });
  const requests: string[] = [];
  await page.route("**/*", (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  const errors = await watchPageErrors(page);
  await page.emulateMedia({ media: "print" });
  await page.setContent(html, { waitUntil: "load" });
  return { page, requests, errors };
}

describe.each(["en", "zh-CN"] as const)("summary.html in Chromium (%s)", (lang) => {
  it("loads nothing, runs nothing and shows hostile names as their text", async () => {
    const { page, requests, errors } = await open(renderSummary(month(lang)));
    try {
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
      const dom = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned,
        active: document.querySelectorAll("script, img, iframe, link, object, embed, a").length,
        codes: [...document.querySelectorAll("code")].map((c) => c.textContent),
        title: document.title,
        sections: [...document.querySelectorAll("section.page")].map((s) => ({
          channel: s.getAttribute("data-channel"),
          breakBefore: getComputedStyle(s).breakBefore,
        })),
      }));
      expect(dom.pwned).toBeUndefined();
      expect(dom.active).toBe(0);
      expect(dom.codes).toContain(HOSTILE_QUEUE);
      expect(dom.title).toContain(HOSTILE_NAME);
      // The cover, then the TV's groups in its order, each from a new sheet.
      expect(dom.sections).toEqual([
        { channel: null, breakBefore: "auto" },
        { channel: "voice", breakBefore: "page" },
        { channel: "chat", breakBefore: "page" },
        { channel: "email", breakBefore: "page" },
        { channel: "video", breakBefore: "page" },
      ]);
    } finally {
      await page.close();
    }
  });

  it("fits an A4 sheet's width: no page, table or chart wider than the printed area", async () => {
    const { page } = await open(renderSummary(month(lang)));
    try {
      const overflow = await page.evaluate((width) => {
        const wide: string[] = [];
        if (document.documentElement.scrollWidth > width)
          wide.push(`document ${document.documentElement.scrollWidth}`);
        for (const s of document.querySelectorAll("section.page")) {
          const box = s.getBoundingClientRect();
          if (s.scrollWidth > s.clientWidth || box.right > width + 0.5)
            wide.push(`section ${s.getAttribute("data-channel")} ${s.scrollWidth}`);
          for (const el of s.querySelectorAll("table, svg, h1, h2, h3, p, td, th")) {
            const r = el.getBoundingClientRect();
            const inner = el as HTMLElement;
            if (r.right > box.right + 0.5 || (inner.scrollWidth ?? 0) > Math.ceil(r.width) + 1)
              wide.push(`${el.tagName} ${el.className} ${(el.textContent ?? "").slice(0, 40)}`);
          }
        }
        return wide;
      }, A4_CONTENT_PX);
      expect(overflow).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("prints to an A4 PDF with the cover and each group on sheets of their own", async () => {
    const { page } = await open(renderSummary(month(lang)));
    try {
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      const text = pdf.toString("latin1");
      expect(text.startsWith("%PDF-")).toBe(true);
      // A4 is 595.28 × 841.89 pt; Chromium writes its media box in whole-ish points.
      const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(text);
      expect(Number(box?.[1])).toBeCloseTo(595.3, 0);
      expect(Number(box?.[2])).toBeCloseTo(841.9, 0);
      // Five sections, each starting a sheet: at least five sheets.
      const sheets = text.match(/\/Type\s*\/Page\b(?!s)/g) ?? [];
      expect(sheets.length).toBeGreaterThanOrEqual(5);
    } finally {
      await page.close();
    }
  });
});
