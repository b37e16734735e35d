// Webhook subscriptions against misuse (issue #13): only admins and integration tokens use them;
// an integration of one site neither sees nor touches a subscription that reaches another site
// (nor one of every site) and cannot make one; a refused request changes nothing; no answer but
// create's and rotate's holds a signing secret, none holds the URL's key, and the audit log
// records every write without either.
import { randomBytes } from "node:crypto";
import {
  AuditList,
  WebhookCreated,
  WebhookList,
  type WebhookDraftInput,
} from "@floorwatch/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { asAdmin, bearer, sendJson, storedToken, useApi } from "../support/api";

const A = "webhooks-sec-a";
const B = "webhooks-sec-b";
const URL_KEY = `k${randomBytes(12).toString("hex")}`;
const ROBOT_SECRET = `SEC${randomBytes(12).toString("hex")}`;

const draft = (sites: string[]) =>
  ({
    name: "Bank incident system",
    format: "standard",
    url: `http://127.0.0.1:9/hook?key=${URL_KEY}`,
    sites,
  }) satisfies WebhookDraftInput;

describe("webhook subscription security", () => {
  const api = useApi("webhooks_security", {
    sites: [A, B],
    app: {
      webhooks: { secretKey: randomBytes(32).toString("base64"), allowNetworks: "127.0.0.1/32" },
    },
  });
  const started = new Date(Date.now() - 1_000).toISOString();
  const admin = asAdmin.headers.authorization.slice(7);
  const request = (method: string, path: string, token?: string, body?: unknown) =>
    sendJson(api.app, method, path, body, token ? bearer(token) : {});
  const { url: _url, ...update } = draft([A]);
  /** Every route of subscription `id` with `token` (sent at once; the delete last, if asked). */
  const everyRoute = (id: string, token?: string, withDelete = true) => [
    request("GET", `/api/v1/webhooks/${id}`, token),
    request("PUT", `/api/v1/webhooks/${id}`, token, { ...update, name: "taken" }),
    request("POST", `/api/v1/webhooks/${id}/rotate`, token, {}),
    request("POST", `/api/v1/webhooks/${id}/test`, token),
    request("GET", `/api/v1/webhooks/${id}/deliveries`, token),
    ...(withDelete ? [request("DELETE", `/api/v1/webhooks/${id}`, token)] : []),
  ];
  const statuses = async (answers: Promise<Response>[]) =>
    Promise.all(answers.map(async (a) => (await a).status));
  const create = async (sites: string[], token = admin) => {
    const res = await request("POST", "/api/v1/webhooks", token, draft(sites));
    expect(res.status, await res.clone().text()).toBe(201);
    return WebhookCreated.parse(await res.json());
  };
  const listed = async (token: string) =>
    WebhookList.parse(await (await request("GET", "/api/v1/webhooks", token)).json()).webhooks.map(
      (w) => w.id,
    );
  /** Every secret any answer must leave out: signing secrets made so far, the URL key, the robot's. */
  const secrets = new Set<string>([URL_KEY, ROBOT_SECRET]);
  let ofA: WebhookCreated;
  let ofAB: WebhookCreated;
  let ofAll: WebhookCreated;
  let integrationA: string;

  beforeAll(async () => {
    ofA = await create([A]);
    ofAB = await create([A, B]);
    ofAll = await create([]);
    for (const w of [ofA, ofAB, ofAll]) secrets.add(w.secret!);
    integrationA = (await storedToken(api.h.ch, "integration", { sites: [A] })).token;
  });

  it("refuses every webhooks route without a token, or with one that is not a token", async () => {
    expect(await statuses([request("GET", "/api/v1/webhooks"), ...everyRoute(ofA.id)])).toEqual([
      401, 401, 401, 401, 401, 401, 401,
    ]);
    expect(await statuses(everyRoute(ofA.id, "fw_nonsense"))).toEqual([
      401, 401, 401, 401, 401, 401,
    ]);
  });

  it("refuses supervisors, QA and TVs, even of the site, every webhooks route", async () => {
    for (const role of ["supervisor", "qa", "display"] as const) {
      const { token } = await storedToken(api.h.ch, role, { sites: [A] });
      const answers = await Promise.all([
        request("GET", "/api/v1/webhooks", token),
        request("POST", "/api/v1/webhooks", token, draft([A])),
        ...everyRoute(ofA.id, token),
      ]);
      expect(
        answers.map((a) => a.status),
        role,
      ).toEqual([403, 403, 403, 403, 403, 403, 403, 403]);
    }
  });

  it("shows an integration of site A only the subscriptions whose sites are all its own", async () => {
    const mine = await listed(integrationA);
    expect(mine).toContain(ofA.id);
    expect(mine).not.toContain(ofAB.id);
    expect(mine).not.toContain(ofAll.id);
    // An admin sees all three.
    expect(await listed(admin)).toEqual(expect.arrayContaining([ofA.id, ofAB.id, ofAll.id]));
    // A token of every site sees the every-site one too.
    const everywhere = await storedToken(api.h.ch, "integration", { sites: [] });
    expect(await listed(everywhere.token)).toEqual(
      expect.arrayContaining([ofA.id, ofAB.id, ofAll.id]),
    );
  });

  it("answers an integration of site A 404 for a subscription reaching site B or every site, as for none", async () => {
    expect(await statuses(everyRoute(ofAB.id, integrationA))).toEqual([
      404, 404, 404, 404, 404, 404,
    ]);
    expect(await statuses(everyRoute(ofAll.id, integrationA))).toEqual([
      404, 404, 404, 404, 404, 404,
    ]);
    // Nothing was changed by any of them.
    for (const w of [ofAB, ofAll]) {
      const res = await request("GET", `/api/v1/webhooks/${w.id}`, admin);
      expect(res.headers.get("etag")).toBe('"1"');
    }
  });

  it("refuses an integration of site A a subscription for site B, for every site, or moved to B", async () => {
    const forB = await request("POST", "/api/v1/webhooks", integrationA, draft([A, B]));
    expect(forB.status).toBe(403);
    expect(await forB.text()).toContain(B);
    const all = await request("POST", "/api/v1/webhooks", integrationA, draft([]));
    expect(all.status).toBe(400);
    expect(await all.text()).toContain("every site");
    const own = await create([A], integrationA);
    secrets.add(own.secret!);
    const moved = await request("PUT", `/api/v1/webhooks/${own.id}`, integrationA, {
      ...update,
      sites: [B],
    });
    expect(moved.status).toBe(403);
    const read = await request("GET", `/api/v1/webhooks/${own.id}`, admin);
    expect(read.headers.get("etag")).toBe('"1"');
  });

  it("lets an integration of site A use every route of its own subscription", async () => {
    const own = await create([A], integrationA);
    secrets.add(own.secret!);
    expect(own.created_by).toBe("test integration");
    const answers = await Promise.all(everyRoute(own.id, integrationA, false));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 202, 200]);
    const rotated = WebhookCreated.parse(await answers[2]!.json());
    secrets.add(rotated.secret!);
    expect((await request("DELETE", `/api/v1/webhooks/${own.id}`, integrationA)).status).toBe(204);
  });

  it("answers no secret in any answer but create's and rotate's", async () => {
    const robot = WebhookCreated.parse(
      await (
        await request("POST", "/api/v1/webhooks", admin, {
          ...draft([A]),
          format: "dingtalk",
          robot_secret: ROBOT_SECRET,
        })
      ).json(),
    );
    expect(robot.secret).toBeNull();
    const rotated = WebhookCreated.parse(
      await (await request("POST", `/api/v1/webhooks/${ofA.id}/rotate`, admin, {})).json(),
    );
    secrets.add(rotated.secret!);
    const test = (await (
      await request("POST", `/api/v1/webhooks/${ofA.id}/test`, admin)
    ).json()) as { delivery_id: string };
    const answers = await Promise.all([
      request("GET", "/api/v1/webhooks", admin),
      request("GET", `/api/v1/webhooks/${ofA.id}`, admin),
      request("GET", `/api/v1/webhooks/${robot.id}`, admin),
      request("PUT", `/api/v1/webhooks/${robot.id}`, admin, { ...update, format: "dingtalk" }),
      request("GET", `/api/v1/webhooks/${ofA.id}/deliveries`, admin),
      request("GET", `/api/v1/webhooks/${ofA.id}/deliveries/${test.delivery_id}`, admin),
      request("POST", `/api/v1/webhooks/${ofA.id}/deliveries/${test.delivery_id}/redeliver`, admin),
      request("GET", "/api/v1/openapi.json", admin),
    ]);
    for (const a of answers) {
      expect(a.status, a.url).toBeLessThan(300);
      const text = await a.text();
      for (const s of secrets) expect(text).not.toContain(s);
      expect(text).not.toContain(ROBOT_SECRET);
    }
  });

  it("audits every write by whoever made it, without any secret or the URL's key", async () => {
    const to = new Date(Date.now() + 1_000).toISOString();
    const res = await api.app.request(
      `/api/v1/audit?from=${encodeURIComponent(started)}&to=${encodeURIComponent(to)}`,
      asAdmin,
    );
    const entries = AuditList.parse(await res.json()).entries.filter((e) =>
      e.action.startsWith("webhook."),
    );
    const actions = new Set(entries.map((e) => e.action));
    for (const action of [
      "webhook.create",
      "webhook.update",
      "webhook.delete",
      "webhook.rotate",
      "webhook.test",
      "webhook.redeliver",
    ])
      expect(actions, action).toContain(action);
    expect(
      entries.some((e) => e.action === "webhook.create" && e.actor.name === "test integration"),
    ).toBe(true);
    const created = entries.find((e) => e.action === "webhook.create" && e.target === ofA.id);
    expect(created).toMatchObject({
      site: A,
      detail: { url: "http://127.0.0.1:9/hook?key=****", sites: [A], format: "standard" },
    });
    const text = JSON.stringify(entries);
    for (const s of secrets) expect(text).not.toContain(s);
    // Refused requests wrote nothing: no entry targets a subscription of B by site A's token.
    expect(
      entries.filter(
        (e) => e.actor.name === "test integration" && [ofAB.id, ofAll.id].includes(e.target),
      ),
    ).toEqual([]);
  });
});
