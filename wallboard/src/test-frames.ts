// Contract-valid TV frames and trends for the unit tests (and nothing else: not imported by the app).
import {
  DEFAULT_TV_FIGURES,
  type Layout,
  type TvAlert,
  type TvFrame,
  type TvTile,
  type TvTrends,
} from "@floorwatch/contracts";

export const layout = (over: Partial<Layout> = {}): Layout => ({
  id: "default",
  site: "demo",
  version: 0,
  updated_at: null,
  updated_by: null,
  name: "Default",
  tiles: [],
  figures: [...DEFAULT_TV_FIGURES],
  trends: ["service_level"],
  per_page: 12,
  rotate_s: 20,
  distance_m: 5,
  ...over,
});

/** Loans: 2 waiting, the longest 61.5 s, SL 15 min 75 % (under its 80 % target: warning). */
export const loansTile = (over: Partial<TvTile> = {}): TvTile => ({
  key: "queue:loans",
  name_zh: "贷款",
  name_en: "Loans",
  sl_target: 0.8,
  v: [2, 61.5, 1, 0.75, 0.86, 12.4, 0.05, 3, 4, 1, 0, 0.9],
  s: "oooowooooooo",
  ...over,
});

export const alert = (over: Partial<TvAlert> = {}): TvAlert => ({
  id: "a1",
  severity: "critical",
  rule_name: "Nobody waits over 5 minutes",
  rule_name_zh: "客户等待不超过5分钟",
  tile: "queue:loans",
  figure: "longest_waiting_s",
  window: "now",
  comparator: ">",
  value: 320,
  threshold: 300,
  fired_at: "2026-11-22T09:58:00Z",
  acknowledged: false,
  ...over,
});

export const frame = (n = 0, over: Partial<TvFrame> = {}): TvFrame => ({
  site: "demo",
  tz: "Asia/Shanghai",
  as_of: new Date(1_800_000_000_000 + n * 1000).toISOString(),
  layout: layout(),
  tiles: [loansTile({ v: [n, 61.5, 1, 0.75, 0.86, 12.4, 0.05, 3, 4, 1, 0, 0.9] })],
  alerts: [],
  alerts_total: 0,
  ...over,
});

export const trends = (): TvTrends => ({
  site: "demo",
  tz: "Asia/Shanghai",
  as_of: "2026-11-22T10:00:00Z",
  layout_id: "default",
  today: {
    starts: [1_800_000_000, 1_800_000_900, 1_800_001_800],
    tiles: {
      "queue:loans": {
        offered: [10, 12, null],
        service_level: [0.9, 0.7, null],
        max_wait_s: [40, 200, null],
      },
    },
  },
  days: {
    starts: [1_799_913_600, 1_800_000_000],
    tiles: { "queue:loans": { csat: [0.88, null], resolution_rate: [0.93, 0.9] } },
  },
});
