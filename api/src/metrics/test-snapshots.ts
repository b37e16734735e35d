// Live-snapshot pieces for the unit tests of what reads a snapshot (alert observation, TV
// projection), and nothing else: not imported by the app.
import type { LiveGroup, LiveQueue, QueueFigures } from "@floorwatch/contracts";
import { emptySums, figures } from "./figures";

const params = { sl_threshold_s: 20, short_abandon_s: 5, sl_target: 0.8 };

/** A window's figures: `offered` contacts, all answered, `within` of them inside 20 s. */
export const windowOf = (offered: number, within: number): QueueFigures =>
  figures([
    {
      sums: {
        ...emptySums(),
        offered,
        answered: offered,
        judged: { answered_within_sl: within, short_abandoned: 0 },
      },
      params,
    },
  ]);

const agents = { available: 1, on_contact: 2, wrap_up: 0, not_ready: 1, logged_in: 4 };

/** A queue with the same figures in every window (30 offered, 27 within, unless `sl`); one
 *  contact waiting when `longest` is above 0. */
export function queue(
  name: string,
  channel: string,
  o: { longest?: number; sl?: QueueFigures; target?: number } = {},
): LiveQueue {
  const sl = o.sl ?? windowOf(30, 27);
  const longest = o.longest ?? 0;
  return {
    queue: name,
    channel,
    name_zh: `${name}-zh`,
    name_en: `${name}-en`,
    waiting: longest > 0 ? 1 : 0,
    longest_waiting_s: longest,
    breaching_soon: 0,
    definition: { version: 2, sl_threshold_s: 20, short_abandon_s: 5, sl_target: o.target ?? 0.8 },
    agents,
    windows: { "15m": sl, "60m": sl, today: sl },
    drill: { "15m": "", "60m": "", today: "" },
  };
}

/** The totals of two queues (a site's, a channel's), `sl` in every window. */
export const group = (longest: number, sl: QueueFigures): LiveGroup => ({
  queues: 2,
  waiting: 2,
  longest_waiting_s: longest,
  breaching_soon: 0,
  agents,
  windows: { "15m": sl, "60m": sl, today: sl },
});
