// Webhook subscriptions written wrongly (issue #13): a 400 naming each problem (issue path and
// message, the refused target's reason included), 404 for what is not there, 409 for an edit of a
// version someone else already replaced or a test of a disabled subscription, 503 naming
// WEBHOOK_SECRET_KEY when the operator set none.
import { randomBytes } from "node:crypto";
import { createApp } from "@floorwatch/api";
import { Webhook, WebhookCreated, type WebhookDraftInput } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { asAdmin, issuePaths, refused, sendJson, TEST_ADMIN_TOKEN, useApi } from "../support/api";

const site = "webhooks-error";
const draft = {
  name: "Duty manager",
  format: "standard",
  url: "http://127.0.0.1:9/hook",
  sites: [site],
} satisfies WebhookDraftInput;

describe("webhook subscription errors", () => {
  const api = useApi("webhooks_error", {
    sites: [site],
    app: {
      webhooks: { secretKey: randomBytes(32).toString("base64"), allowNetworks: "127.0.0.1/32" },
    },
  });
  const send = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    app = api.app,
  ) => sendJson(app, method, path, body, { ...asAdmin.headers, ...headers });
  /** A POST of `body` refused with 400; the error. */
  const invalid = async (body: unknown, app = api.app) =>
    refused(send("POST", "/api/v1/webhooks", body, {}, app), 400);
  const create = async () => {
    const res = await send("POST", "/api/v1/webhooks", draft);
    expect(res.status, await res.clone().text()).toBe(201);
    return WebhookCreated.parse(await res.json());
  };
  const count = async () =>
    ((await (await api.app.request("/api/v1/webhooks", asAdmin)).json()) as { webhooks: unknown[] })
      .webhooks.length;

  it("refuses a URL that is not one", async () => {
    const e = await invalid({ ...draft, url: "not a url" });
    expect(issuePaths(e)).toEqual(["url"]);
    expect(e.message).toContain("absolute URL");
  });

  it("refuses plain http to an address outside WEBHOOK_ALLOW_NETWORKS, saying https", async () => {
    const e = await invalid({ ...draft, url: "http://93.184.216.34/hook" });
    expect(issuePaths(e)).toEqual(["url"]);
    expect(e.message).toContain("https");
  });

  it("refuses private, link-local metadata and loopback targets, saying which", async () => {
    const privateNet = await invalid({ ...draft, url: "https://10.0.0.5/hook" });
    expect(issuePaths(privateNet)).toEqual(["url"]);
    expect(privateNet.message).toContain("10.0.0.5 is a private address");
    const metadata = await invalid({ ...draft, url: "https://169.254.169.254/latest/meta-data" });
    expect(issuePaths(metadata)).toEqual(["url"]);
    expect(metadata.message).toContain("169.254.169.254");
    expect(metadata.message).toContain("metadata");
    // 127.0.0.1/32 is allowed here; the rest of loopback is not.
    const loopback = await invalid({ ...draft, url: "https://127.0.0.2/hook" });
    expect(loopback.message).toContain("loopback");
  });

  it("refuses localhost where the operator did not allow loopback", async () => {
    const strict = createApp({
      ch: api.h.ch,
      log: api.h.log,
      adminToken: TEST_ADMIN_TOKEN,
      webhooks: { secretKey: randomBytes(32).toString("base64") },
    });
    const e = await invalid({ ...draft, url: "https://localhost:8443/hook" }, strict);
    expect(issuePaths(e)).toEqual(["url"]);
    expect(e.message).toContain("localhost");
    expect(e.message).toContain("loopback");
  });

  it("refuses a robot secret on a format whose robot has none", async () => {
    const e = await invalid({ ...draft, format: "slack", robot_secret: "xoxb-something" });
    expect(issuePaths(e)).toEqual(["robot_secret"]);
    expect(e.message).toContain("dingtalk");
    const standard = await invalid({ ...draft, robot_secret: "SECabc" });
    expect(issuePaths(standard)).toEqual(["robot_secret"]);
  });

  it("refuses an unknown format, an empty list of event types and an unknown field", async () => {
    expect(issuePaths(await invalid({ ...draft, format: "teams" }))).toEqual(["format"]);
    const types = await invalid({ ...draft, events: { types: [] } });
    expect(issuePaths(types)).toEqual(["events.types"]);
    expect(types.message).toContain("at least one event type");
    expect(issuePaths(await invalid({ ...draft, events: { types: ["webhook.test"] } }))).toEqual([
      "events.types.0",
    ]);
    expect((await invalid({ ...draft, secret: "whsec_mine" })).message).toContain("secret");
  });

  it("names an unknown site by its place in the list", async () => {
    const e = await invalid({ ...draft, sites: [site, "nowhere"] });
    expect(issuePaths(e)).toEqual(["sites.1"]);
    expect(e.message).toContain("nowhere");
  });

  it("names every problem of one subscription at once, and stores nothing", async () => {
    const before = await count();
    const e = await invalid({
      ...draft,
      format: "wecom",
      url: "https://10.0.0.5/hook",
      sites: ["nowhere"],
      robot_secret: "abc",
    });
    expect(issuePaths(e).sort()).toEqual(["robot_secret", "sites.0", "url"]);
    expect(await count()).toBe(before);
  });

  it("checks a new URL on an edit, and refuses to turn a standard subscription into a robot", async () => {
    const made = await create();
    const { url: _url, ...rest } = draft;
    const e = await refused(
      send("PUT", `/api/v1/webhooks/${made.id}`, { ...rest, url: "https://10.0.0.5/x" }),
      400,
    );
    expect(issuePaths(e)).toEqual(["url"]);
    const format = await refused(
      send("PUT", `/api/v1/webhooks/${made.id}`, { ...rest, format: "slack" }),
      400,
    );
    expect(issuePaths(format)).toEqual(["format"]);
    // Neither was written.
    const read = await api.app.request(`/api/v1/webhooks/${made.id}`, asAdmin);
    expect(read.headers.get("etag")).toBe('"1"');
  });

  it("refuses to rotate a robot's subscription: it signs with the robot's own secret", async () => {
    const res = await send("POST", "/api/v1/webhooks", { ...draft, format: "dingtalk" });
    const robot = WebhookCreated.parse(await res.json());
    const e = await refused(send("POST", `/api/v1/webhooks/${robot.id}/rotate`, {}), 400);
    expect(issuePaths(e)).toEqual(["format"]);
    expect(e.message).toContain("robot_secret");
    const made = await create();
    const overlong = await refused(
      send("POST", `/api/v1/webhooks/${made.id}/rotate`, { overlap_s: 8 * 86_400 }),
      400,
    );
    expect(issuePaths(overlong)).toEqual(["overlap_s"]);
  });

  it("answers 409 to an edit, rotation or delete whose If-Match is no longer the current version", async () => {
    const made = await create();
    const { url: _url, ...rest } = draft;
    const first = await send(
      "PUT",
      `/api/v1/webhooks/${made.id}`,
      { ...rest, name: "first" },
      { "if-match": '"1"' },
    );
    expect(first.status).toBe(200);
    const path = `/api/v1/webhooks/${made.id}`;
    const stale = await refused(
      send("PUT", path, { ...rest, name: "second" }, { "if-match": '"1"' }),
      409,
    );
    expect(stale.message).toContain("version 2");
    await refused(send("POST", `${path}/rotate`, {}, { "if-match": '"1"' }), 409);
    await refused(send("DELETE", path, undefined, { "if-match": '"1"' }), 409);
    const current = await api.app.request(path, asAdmin);
    expect(current.headers.get("etag")).toBe('"2"');
    expect(Webhook.parse(await current.json()).name).toBe("first");
    const bad = await refused(send("PUT", path, rest, { "if-match": '"abc"' }), 400);
    expect(issuePaths(bad)).toEqual(["If-Match"]);
  });

  it("lets one of three simultaneous edits of the same version through", async () => {
    const made = await create();
    const { url: _url, ...rest } = draft;
    const answers = await Promise.all(
      ["a", "b", "c"].map((name) =>
        send("PUT", `/api/v1/webhooks/${made.id}`, { ...rest, name }, { "if-match": '"1"' }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
  });

  it("answers 404 to ids that do not exist, and 400 to ids that are not ids", async () => {
    const none = "wh_0000000000000000";
    const { url: _url, ...rest } = draft;
    for (const [method, path, body] of [
      ["GET", `/api/v1/webhooks/${none}`],
      ["PUT", `/api/v1/webhooks/${none}`, rest],
      ["DELETE", `/api/v1/webhooks/${none}`],
      ["POST", `/api/v1/webhooks/${none}/rotate`, {}],
      ["POST", `/api/v1/webhooks/${none}/test`],
      ["GET", `/api/v1/webhooks/${none}/deliveries`],
    ] as const)
      expect((await refused(send(method, path, body), 404)).message, path).toContain(none);
    const made = await create();
    const delivery = `dlv_${"0".repeat(24)}`;
    await refused(send("GET", `/api/v1/webhooks/${made.id}/deliveries/${delivery}`), 404);
    await refused(
      send("POST", `/api/v1/webhooks/${made.id}/deliveries/${delivery}/redeliver`),
      404,
    );
    expect(issuePaths(await refused(send("GET", "/api/v1/webhooks/r-123"), 400))).toEqual(["id"]);
    expect(
      issuePaths(await refused(send("GET", `/api/v1/webhooks/${made.id}/deliveries/abc`), 400)),
    ).toEqual(["delivery"]);
  });

  it("refuses a deliveries query it cannot read", async () => {
    const made = await create();
    const base = `/api/v1/webhooks/${made.id}/deliveries`;
    expect(issuePaths(await refused(send("GET", `${base}?state=lost`), 400))).toEqual(["state"]);
    expect(issuePaths(await refused(send("GET", `${base}?limit=0`), 400))).toEqual(["limit"]);
    expect(issuePaths(await refused(send("GET", `${base}?before=yesterday`), 400))).toEqual([
      "before",
    ]);
    expect(issuePaths(await refused(send("GET", `${base}?page=2`), 400))).toEqual(["(root)"]);
  });

  it("refuses a test of a disabled subscription with 409", async () => {
    const made = await create();
    const { url: _url, ...rest } = draft;
    await send("PUT", `/api/v1/webhooks/${made.id}`, { ...rest, enabled: false });
    const e = await refused(send("POST", `/api/v1/webhooks/${made.id}/test`), 409);
    expect(e.message).toContain("disabled");
  });

  it("answers 503 naming WEBHOOK_SECRET_KEY to writes when the operator set no key", async () => {
    const made = await create();
    const keyless = createApp({ ch: api.h.ch, log: api.h.log, adminToken: TEST_ADMIN_TOKEN });
    const { url: _url, ...rest } = draft;
    for (const res of [
      send("POST", "/api/v1/webhooks", draft, {}, keyless),
      send("PUT", `/api/v1/webhooks/${made.id}`, rest, {}, keyless),
      send("POST", `/api/v1/webhooks/${made.id}/rotate`, {}, {}, keyless),
    ]) {
      const e = await refused(res, 503);
      expect(e.code).toBe("unavailable");
      expect(e.message).toContain("WEBHOOK_SECRET_KEY");
    }
  });
});
