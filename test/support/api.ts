// Credentials of the API under test: an ADMIN_TOKEN-style admin for tests about figures, and
// stored tokens of each role for tests about access (api/src/auth).
import { randomBytes } from "node:crypto";
import { createApp, makeTokenStore, startServer, type AppOptions } from "@floorwatch/api";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { DEFAULT_TIME_ZONE, ErrorEnvelope, type Role } from "@floorwatch/contracts";
import { insertRows, SITES_TABLE, type ClickHouseClient } from "@floorwatch/sql";
import { afterAll, beforeAll, expect } from "vitest";
import { createHarness, type Harness } from "./harness";

/** Passed as `adminToken` to createApp/startServer: what ADMIN_TOKEN does in production. */
export const TEST_ADMIN_TOKEN = `test-admin-${randomBytes(16).toString("hex")}`;

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const asAdmin = { headers: bearer(TEST_ADMIN_TOKEN) };

/** A token stored in the database of `ch`, as `npm run token -- create` or POST /tokens make them. */
export async function storedToken(
  ch: ClickHouseClient,
  role: Role,
  opts: {
    sites?: string[];
    pii?: boolean;
    layout?: string;
    expires_at?: string;
    name?: string;
  } = {},
): Promise<{ id: string; token: string }> {
  const { info, token } = await makeTokenStore(ch).create(
    {
      name: opts.name ?? `test ${role}`,
      role,
      sites: opts.sites ?? [],
      pii: opts.pii ?? false,
      layout: opts.layout ?? "",
      expires_at: opts.expires_at,
    },
    "test",
  );
  return { id: info.id, token };
}

/**
 * Sites that exist as the ingest makes them on their first event (default zone, no name): the API
 * answers 404 for a site that was never configured and never sent anything.
 */
export async function seenSites(ch: ClickHouseClient, sites: readonly string[]): Promise<void> {
  await insertRows(
    ch,
    SITES_TABLE,
    sites.map((site) => ({
      site,
      tz: DEFAULT_TIME_ZONE,
      name: site,
      updated_ms: 0,
      updated_by: "auto",
    })),
  );
}

/**
 * The API over `h`'s database on a port of its own at 127.0.0.1, TEST_ADMIN_TOKEN as its
 * ADMIN_TOKEN; `opts` are the test's own settings (tick, heartbeats, caps).
 */
export const startTestServer = (
  h: Harness,
  opts: Partial<Parameters<typeof startServer>[0]> = {},
): ReturnType<typeof startServer> =>
  startServer({
    ch: h.ch,
    log: h.log,
    port: 0,
    host: "127.0.0.1",
    adminToken: TEST_ADMIN_TOKEN,
    ...opts,
  });

export interface ApiUnderTest {
  /** The file's own database, topics and consumer group. */
  h: Harness;
  /** The API over that database, with TEST_ADMIN_TOKEN as its ADMIN_TOKEN. */
  app: ReturnType<typeof createApp>;
  /** The ingest, when asked for: events produced to the harness's topics reach the database. */
  ingest?: RunningIngest;
}

/**
 * A harness and an API over it, made before the file's tests (before its own beforeAll hooks)
 * and removed after them. The fields are filled in once the hook has run.
 */
export function useApi(
  name: string,
  opts: { ingest?: boolean; app?: Partial<AppOptions>; sites?: string[] } = {},
): ApiUnderTest {
  const t = {} as ApiUnderTest;
  beforeAll(async () => {
    t.h = await createHarness(name);
    if (opts.sites?.length) await seenSites(t.h.ch, opts.sites);
    if (opts.ingest) t.ingest = await startIngest(t.h.config, t.h.log, { kafka: t.h.kafka });
    t.app = createApp({ ch: t.h.ch, log: t.h.log, adminToken: TEST_ADMIN_TOKEN, ...opts.app });
  });
  afterAll(async () => {
    await t.ingest?.stop();
    await t.h?.cleanup();
  });
  return t;
}

/** The parameters an error names, each once (a value can break several rules of one field). */
export const issuePaths = (e: { issues?: { path: string }[] }) => [
  ...new Set((e.issues ?? []).map((i) => i.path)),
];

/**
 * `method path` on `app` with `body` as JSON (a string is sent as it is, for bodies that are not
 * JSON) and `headers` (credentials, If-Match) beside the JSON content type.
 */
export async function sendJson(
  app: ApiUnderTest["app"],
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return app.request(path, {
    method,
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    headers: { "content-type": "application/json", ...headers },
  });
}

/** The error of an answer that must have `status` (its body in the failure message when not). */
export async function refused(res: Response | Promise<Response>, status: number) {
  const r = await res;
  expect(r.status, await r.clone().text()).toBe(status);
  return ErrorEnvelope.parse(await r.json()).error;
}
