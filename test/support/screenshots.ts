// `npm run screenshots`: the TV wallboard as a floor sees it, saved for the README. Starts the
// real stack (Kafka and ClickHouse as `npm start` runs them, a database and topics of its own, the
// ingest, an api whose alert evaluator ticks), replays ten hours of the demo floor (the simulator's
// contacts, agents and surveys) after its two weeks of survey history, and saves the TV at
// 1920x1080 and 3840x2160 in zh-CN and en to docs/screenshots/tv-<lang>-<w>x<h>.png. Everything it made is removed afterwards.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Event } from "@floorwatch/contracts";
import { startIngest } from "@floorwatch/ingest";
import { configureDemoQueues } from "../../ingest/src/demo/queues";
import { DEMO_QUEUES, demoSurveyHistory, makeDemoSimulator } from "../../ingest/src/demo/simulator";
// @ts-expect-error plain-JS provisioning script, no types
import { up } from "../../scripts/services.mjs";
// @ts-expect-error plain-JS build helper, no types
import { ensureWallboardBuilt } from "../../scripts/wallboard.mjs";
import { asAdmin, seenSites, storedToken } from "./api";
import { launchBrowser, startEvaluatingWallboardServer } from "./browser";
import { produceAll } from "./events";
import { createHarness } from "./harness";
import { waitForIngested } from "./ingested";

const out = join(import.meta.dirname, "../../docs/screenshots");
const SIZES = [
  [1920, 1080],
  [3840, 2160],
] as const;
const LANGS = ["zh-CN", "en"] as const;

await up();
ensureWallboardBuilt();
const h = await createHarness("screenshots");
const site = "demo";
const ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
// Started once the history is in: an evaluator ticking while ten hours arrive in bulk sees
// contacts queued whose answers are not in yet, and fires alerts the floor never had.
let evaluating: Awaited<ReturnType<typeof startEvaluatingWallboardServer>> | undefined;
const browser = await launchBrowser();
try {
  const now = Date.now();
  await seenSites(h.ch, [site]);
  await configureDemoQueues(h.ch, site, DEMO_QUEUES, now - 4 * 3_600_000);
  // Ten hours of the demo floor up to now (later events stay pending): agents logging in, taking
  // contacts and breaks, surveys after wrap-up; before it, 14 days of surveys for the day trends.
  const startMs = now - 10 * 3_600_000;
  const sim = makeDemoSimulator({ site, startMs, seed: 12 });
  const events: Event[] = [
    ...demoSurveyHistory({ site, untilMs: startMs, seed: 12 }),
    ...sim.due(now),
  ];
  // In batches: one send of everything is larger than a Kafka message may be.
  for (let i = 0; i < events.length; i += 500)
    await produceAll(h.kafka, h.config.topics, events.slice(i, i + 500));
  await waitForIngested(h);
  const server = await startEvaluatingWallboardServer(h, { tickMs: 2_000 });
  evaluating = server;

  // The floor's layout: every queue, then the channels, with today's service level and 14 days of CSAT.
  const put = await fetch(`${server.url}/api/v1/layouts/floor?site=${site}`, {
    method: "PUT",
    headers: { ...asAdmin.headers, "content-type": "application/json" },
    body: JSON.stringify({
      name: "Floor 1",
      tiles: [...DEMO_QUEUES.map((q) => `queue:${q.queue}`), "channel:voice", "channel:chat"],
      trends: ["service_level", "csat"],
      per_page: 12,
      distance_m: 5,
    }),
  });
  if (!put.ok) throw new Error(`layout: ${put.status} ${await put.text()}`);
  const display = await storedToken(h.ch, "display", { sites: [site], layout: "floor" });

  // The traffic goes on while the pictures are taken, so the waits are live.
  const live = setInterval(() => {
    const due = sim.due(Date.now());
    if (due.length) void produceAll(h.kafka, h.config.topics, due).catch(() => {});
  }, 500);
  try {
    mkdirSync(out, { recursive: true });
    for (const lang of LANGS)
      for (const [width, height] of SIZES) {
        // Reduced motion: no state pulse caught half-way in a still picture.
        const page = await browser.newPage({
          viewport: { width, height },
          reducedMotion: "reduce",
        });
        await page.goto(`${server.url}/?site=${site}&lang=${lang}#token=${display.token}`);
        await page.waitForFunction(
          () =>
            document.querySelectorAll("[data-tile]").length > 0 &&
            [...document.querySelectorAll("[data-trend]")].some(
              (e) => Number(e.getAttribute("data-points")) > 0,
            ) &&
            !document.querySelector('[data-testid="stale"]'),
          undefined,
          { timeout: 30_000 },
        );
        const path = join(out, `tv-${lang}-${width}x${height}.png`);
        await page.screenshot({ path });
        process.stderr.write(`[screenshots] ${path}\n`);
        await page.close();
      }
  } finally {
    clearInterval(live);
  }
} finally {
  await browser.close();
  await evaluating?.close();
  await ingest.stop();
  await h.cleanup();
}
