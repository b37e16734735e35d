// What the alert and rule tests (issue #11) share: an API whose evaluator runs on a clock the test
// sets, admin requests that must succeed, a rule created by POST, and the rule drafts they send.
import { type AppOptions, createApi } from "@floorwatch/api";
import { Rule, type RuleDraftInput } from "@floorwatch/contracts";
import { beforeAll, expect } from "vitest";
import { type ApiUnderTest, asAdmin, TEST_ADMIN_TOKEN, useApi } from "./api";

type Api = ReturnType<typeof createApi>;

export interface AlertsApiUnderTest extends ApiUnderTest {
  /** The API with its evaluator, on `clock`, with no cached live snapshot (liveTtlMs 0). */
  app: Api["app"];
  /** Evaluates only when the test asks (`at`, or `tickOnce`), at the instant `clock` holds. */
  evaluator: Api["evaluator"];
  /** What the API and its evaluator take for now (ms); the test moves it. */
  clock: number;
  /** Moves the clock to `ms` and evaluates once there. */
  at(ms: number): ReturnType<Api["evaluator"]["tickOnce"]>;
  /** An admin request of `path` (JSON body) that must succeed (< 300); what it answered. */
  json<T>(path: string, init?: RequestInit): Promise<T>;
}

/**
 * useApi's harness, with its API made by createApi in a hook after the harness's (so before the
 * file's own beforeAll hooks), with TEST_ADMIN_TOKEN as its ADMIN_TOKEN. `app` options override
 * the clock and the snapshot cache.
 */
export function useAlertsApi(
  name: string,
  opts: { ingest?: boolean; sites?: string[]; app?: Partial<AppOptions> } = {},
): AlertsApiUnderTest {
  const t = useApi(name, { ingest: opts.ingest, sites: opts.sites }) as AlertsApiUnderTest;
  t.clock = 0;
  t.at = async (ms) => {
    t.clock = ms;
    return t.evaluator.tickOnce();
  };
  t.json = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await t.app.request(path, {
      ...init,
      headers: { ...asAdmin.headers, "content-type": "application/json", ...init.headers },
    });
    expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
    return (await res.json()) as T;
  };
  beforeAll(() => {
    ({ app: t.app, evaluator: t.evaluator } = createApi({
      ch: t.h.ch,
      log: t.h.log,
      adminToken: TEST_ADMIN_TOKEN,
      now: () => t.clock,
      liveTtlMs: 0,
      ...opts.app,
    }));
  });
  return t;
}

/** An instant to start a test's events at: the ingest refuses the future, the evaluator's clock does not care. */
export const halfAnHourAgo = () => Date.now() - 30 * 60_000;

/** The from and to of a breach list: an hour either side of `ms`. */
export const hourAround = (ms: number) =>
  `from=${new Date(ms - 3_600_000).toISOString()}&to=${new Date(ms + 3_600_000).toISOString()}`;

/** POSTs `draft` as a new rule of `site`, as the admin: the rule, answered with 201. */
export async function createRule(
  app: { request: Api["app"]["request"] },
  site: string,
  draft: RuleDraftInput,
): Promise<Rule> {
  const res = await app.request(`/api/v1/rules?site=${site}`, {
    method: "POST",
    body: JSON.stringify(draft),
    headers: { ...asAdmin.headers, "content-type": "application/json" },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return Rule.parse(await res.json());
}

/** Cards' longest wait now: over 2 min for 30 s fires, back under 90 s for 30 s resolves. */
export const waitRule = {
  kind: "threshold",
  name: "cards: nobody waits 2 min",
  figure: "longest_waiting_s",
  window: "now",
  scope: { kind: "queue", queue: "cards" },
  comparator: ">",
  threshold: 120,
  recovery_threshold: 90,
  for_s: 30,
  keep_firing_for_s: 30,
} satisfies RuleDraftInput;

/** Each queue's service level over 15 minutes under 80 %, once 20 contacts were offered. */
export const slRule = {
  kind: "threshold",
  name: "cards: service level",
  figure: "service_level",
  window: "15m",
  scope: { kind: "each_queue" },
  comparator: "<",
  threshold: 0.8,
  min_volume: 20,
} satisfies RuleDraftInput;
