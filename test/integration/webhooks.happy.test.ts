// Notification subscriptions as an admin keeps them (issue #13): the signing secret shown once by
// create and by rotate and never again, the URL masked when read back, an edit that leaves the URL
// out keeping it, a test event and a redelivery queued in the outbox with the same message id, the
// stored row holding neither the URL's key nor a secret in clear, and a delete.
import { randomBytes } from "node:crypto";
import { createApi } from "@floorwatch/api";
import {
  DeliveryList,
  Webhook,
  WebhookCreated,
  WebhookDelivery,
  WebhookEvent,
  WebhookList,
  type WebhookDraftInput,
} from "@floorwatch/contracts";
import { loadWebhookVersions, runQuery } from "@floorwatch/sql";
import { describe, expect, it } from "vitest";
import { makeSealer } from "../../api/src/webhooks/seal";
import { asAdmin, refused, sendJson, TEST_ADMIN_TOKEN, useApi } from "../support/api";

const KEY = randomBytes(32).toString("base64");
const site = "webhooks-happy";
/** The receiver's key in its URL: what must never be read back or stored in clear. */
const URL_KEY = `k${randomBytes(12).toString("hex")}`;
const target = `http://127.0.0.1:9/cgi-bin/webhook/send?key=${URL_KEY}`;

const draft = {
  name: "Duty manager",
  format: "standard",
  url: target,
  sites: [site],
  events: { types: ["alert.firing", "alert.resolved"] },
  lang: "en",
} satisfies WebhookDraftInput;

describe("webhook subscriptions", () => {
  const api = useApi("webhooks_happy", {
    sites: [site],
    app: { webhooks: { secretKey: KEY, allowNetworks: "127.0.0.1/32" } },
  });
  const send = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => sendJson(api.app, method, path, body, { ...asAdmin.headers, ...headers });
  const ok = async (res: Response | Promise<Response>, status = 200) => {
    const r = await res;
    const text = await r.text();
    expect(r.status, text).toBe(status);
    return { body: JSON.parse(text) as unknown, text, etag: r.headers.get("etag") };
  };
  const create = async (d: WebhookDraftInput = draft) =>
    WebhookCreated.parse((await ok(send("POST", "/api/v1/webhooks", d), 201)).body);
  /** The stored versions of a subscription as the table holds them, oldest first. */
  const rawRows = async (id: string) =>
    (await runQuery(api.h.ch, loadWebhookVersions, { webhook_id: id })).sort(
      (a, b) => a.version - b.version,
    );
  /** What a stored version's sealed part opens to, with the key the API was given. */
  const opened = async (id: string) => {
    const last = (await rawRows(id)).at(-1)!;
    const body = JSON.parse(last.body) as { sealed: string };
    return JSON.parse(makeSealer({ key: KEY }).open(body.sealed, id)) as {
      url: string;
      secret: string | null;
      previous_secret: string | null;
      robot_secret: string | null;
    };
  };

  it("creates a standard subscription: the secret shown once, the URL masked", async () => {
    const made = await create();
    expect(made.id).toMatch(/^wh_[0-9a-f]{16}$/);
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(made.url).toBe("http://127.0.0.1:9/cgi-bin/webhook/send?key=****");
    expect(made).toMatchObject({
      name: "Duty manager",
      format: "standard",
      sites: [site],
      events: {
        types: ["alert.firing", "alert.resolved"],
        severities: [],
        rules: [],
        queues: [],
      },
      lang: "en",
      enabled: true,
      disabled_reason: null,
      signing: { secret_hint: `${made.secret!.slice(0, 10)}…`, previous_until: null },
      robot_secret_set: false,
      health: { state: "ok", failing_since: null, last_success_at: null, last_failure_at: null },
      version: 1,
      created_by: "ADMIN_TOKEN",
    });

    const read = await ok(api.app.request(`/api/v1/webhooks/${made.id}`, asAdmin));
    expect(read.etag).toBe('"1"');
    const { secret: _secret, ...shown } = made;
    expect(Webhook.parse(read.body)).toEqual(shown);
    expect(read.body).not.toHaveProperty("secret");
    expect(read.text).not.toContain(made.secret!);
    expect(read.text).not.toContain(URL_KEY);

    const list = await ok(api.app.request("/api/v1/webhooks", asAdmin));
    expect(WebhookList.parse(list.body).webhooks.map((w) => w.id)).toContain(made.id);
    expect(list.text).not.toContain(made.secret!);
    expect(list.text).not.toContain(URL_KEY);
  });

  it("stores neither the URL's key nor the secret in clear, and the sealed part opens to them", async () => {
    const made = await create();
    const [row] = await rawRows(made.id);
    expect(row!.body).not.toContain(URL_KEY);
    expect(row!.body).not.toContain(made.secret!);
    expect(row!.body).not.toContain(made.secret!.slice(6));
    expect(JSON.parse(row!.body)).toMatchObject({ url_masked: made.url, sealed: /^v1\./ });
    expect(await opened(made.id)).toEqual({
      url: target,
      secret: made.secret,
      previous_secret: null,
      robot_secret: null,
    });
  });

  it("keeps the URL of an edit that leaves it out, and stores the edit as the next version", async () => {
    const made = await create();
    const { url: _url, ...rest } = draft;
    const put = await ok(
      send(
        "PUT",
        `/api/v1/webhooks/${made.id}`,
        { ...rest, name: "Night shift" },
        {
          "if-match": '"1"',
        },
      ),
    );
    expect(put.etag).toBe('"2"');
    const edited = Webhook.parse(put.body);
    expect(edited).toMatchObject({ name: "Night shift", url: made.url, version: 2 });
    expect(edited.signing?.secret_hint).toBe(made.signing?.secret_hint);
    expect(put.text).not.toContain(made.secret!);
    expect(await opened(made.id)).toMatchObject({ url: target, secret: made.secret });
    expect((await rawRows(made.id)).map((r) => r.version)).toEqual([1, 2]);

    // A new URL is taken (and checked) when given.
    const moved = `http://127.0.0.1:10/other?token=${URL_KEY}x`;
    const again = Webhook.parse(
      (await ok(send("PUT", `/api/v1/webhooks/${made.id}`, { ...rest, url: moved }))).body,
    );
    expect(again.url).toBe("http://127.0.0.1:10/other?token=****");
    expect((await opened(made.id)).url).toBe(moved);
  });

  it("keeps every field an edit leaves out: renaming never widens the sites or re-enables", async () => {
    const made = await create();
    const { url: _url, ...rest } = draft;
    await ok(
      send("PUT", `/api/v1/webhooks/${made.id}`, {
        ...rest,
        enabled: false,
        events: { types: ["alert.firing"], severities: ["critical"] },
        lang: "en",
      }),
    );
    const renamed = Webhook.parse(
      (await ok(send("PUT", `/api/v1/webhooks/${made.id}`, { name: "Renamed only" }))).body,
    );
    expect(renamed).toMatchObject({
      name: "Renamed only",
      sites: made.sites,
      enabled: false,
      lang: "en",
      url: made.url,
      events: { types: ["alert.firing"], severities: ["critical"] },
    });
    expect(renamed.sites.length).toBeGreaterThan(0);
  });

  it("rotates: a new secret shown once, the previous one kept until the overlap ends", async () => {
    const made = await create();
    const before = Date.now();
    const rotated = WebhookCreated.parse(
      (await ok(send("POST", `/api/v1/webhooks/${made.id}/rotate`, { overlap_s: 3600 }))).body,
    );
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(made.secret);
    expect(rotated.version).toBe(2);
    const read = await ok(api.app.request(`/api/v1/webhooks/${made.id}`, asAdmin));
    const w = Webhook.parse(read.body);
    expect(w.signing?.secret_hint).toBe(`${rotated.secret!.slice(0, 10)}…`);
    const until = Date.parse(w.signing!.previous_until!);
    expect(until).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(read.text).not.toContain(rotated.secret!);
    expect(read.text).not.toContain(made.secret!);
    expect(await opened(made.id)).toMatchObject({
      secret: rotated.secret,
      previous_secret: made.secret,
    });
    // Without a body: the default overlap of a day.
    const second = WebhookCreated.parse(
      (
        await ok(
          api.app.request(`/api/v1/webhooks/${made.id}/rotate`, { method: "POST", ...asAdmin }),
        )
      ).body,
    );
    expect(Date.parse(second.signing!.previous_until!)).toBeGreaterThan(Date.now() + 86_000_000);
  });

  it("keeps a robot's own secret write-only, and removes it with null", async () => {
    const robot = await create({
      ...draft,
      format: "feishu",
      url: "http://127.0.0.1:9/open-apis/bot/v2/hook/0b9f3c2e-1d4a-4b8e-9f6a-7c5d2e1f0a3b",
      robot_secret: "feishu-signing-secret-abc",
      lang: "zh-CN",
    });
    expect(robot.secret).toBeNull();
    expect(robot.signing).toBeNull();
    expect(robot.robot_secret_set).toBe(true);
    expect(robot.url).toBe("http://127.0.0.1:9/open-apis/bot/v2/hook/****");
    expect(JSON.stringify(robot)).not.toContain("feishu-signing-secret-abc");
    const {
      url: _url,
      robot_secret: _rs,
      ...rest
    } = {
      ...draft,
      format: "feishu",
      robot_secret: "",
    };
    const kept = Webhook.parse((await ok(send("PUT", `/api/v1/webhooks/${robot.id}`, rest))).body);
    expect(kept.robot_secret_set).toBe(true);
    expect((await opened(robot.id)).robot_secret).toBe("feishu-signing-secret-abc");
    const removed = Webhook.parse(
      (await ok(send("PUT", `/api/v1/webhooks/${robot.id}`, { ...rest, robot_secret: null }))).body,
    );
    expect(removed.robot_secret_set).toBe(false);
    expect((await opened(robot.id)).robot_secret).toBeNull();
  });

  it("queues a test event as a pending delivery, and a redelivery of it with the same message id", async () => {
    const made = await create();
    const queued = await ok(send("POST", `/api/v1/webhooks/${made.id}/test`), 202);
    const answer = queued.body as { delivery_id: string; message_id: string };
    expect(answer.delivery_id).toMatch(/^dlv_[0-9a-f]{24}$/);
    expect(answer.message_id).toMatch(/^msg_[0-9a-f]{24}$/);

    const deliveries = DeliveryList.parse(
      (await ok(api.app.request(`/api/v1/webhooks/${made.id}/deliveries`, asAdmin))).body,
    );
    expect(deliveries.webhook_id).toBe(made.id);
    expect(deliveries.deliveries).toHaveLength(1);
    expect(deliveries.deliveries[0]).toMatchObject({
      id: answer.delivery_id,
      message_id: answer.message_id,
      webhook_id: made.id,
      type: "webhook.test",
      site,
      redelivery_of: null,
      attempt_log: [],
    });
    // The worker is not running here: the delivery stays as it was queued.
    expect(deliveries.deliveries[0]!.state).toBe("pending");

    const one = await ok(
      api.app.request(`/api/v1/webhooks/${made.id}/deliveries/${answer.delivery_id}`, asAdmin),
    );
    const detail = one.body as WebhookDelivery & { payload: unknown };
    expect(WebhookDelivery.parse(detail).id).toBe(answer.delivery_id);
    const payload = WebhookEvent.parse(detail.payload);
    expect(payload.type).toBe("webhook.test");
    expect(payload.data.test).toBe(true);
    expect(payload.data.site.id).toBe(site);
    expect(one.text).not.toContain(made.secret!);
    expect(one.text).not.toContain(URL_KEY);

    const again = await ok(
      send("POST", `/api/v1/webhooks/${made.id}/deliveries/${answer.delivery_id}/redeliver`),
      202,
    );
    const re = again.body as { delivery_id: string; message_id: string };
    expect(re.delivery_id).not.toBe(answer.delivery_id);
    expect(re.message_id).toBe(answer.message_id);
    const both = DeliveryList.parse(
      (await ok(api.app.request(`/api/v1/webhooks/${made.id}/deliveries?state=pending`, asAdmin)))
        .body,
    ).deliveries;
    expect(both.map((d) => d.id).sort()).toEqual([answer.delivery_id, re.delivery_id].sort());
    expect(both.find((d) => d.id === re.delivery_id)).toMatchObject({
      message_id: answer.message_id,
      redelivery_of: answer.delivery_id,
    });
    // Paging: nothing was created before the first delivery; no delivery is delivered yet.
    const first = both.find((d) => d.id === answer.delivery_id)!;
    const older = DeliveryList.parse(
      (
        await ok(
          api.app.request(
            `/api/v1/webhooks/${made.id}/deliveries?before=${encodeURIComponent(first.created_at)}`,
            asAdmin,
          ),
        )
      ).body,
    );
    expect(older.deliveries).toEqual([]);
    const delivered = DeliveryList.parse(
      (await ok(api.app.request(`/api/v1/webhooks/${made.id}/deliveries?state=delivered`, asAdmin)))
        .body,
    );
    expect(delivered.deliveries).toEqual([]);
  });

  it("clears the service's reason when a person enables a disabled subscription again", async () => {
    const made = await create();
    // The worker disables through the store (410 Gone); another store over the same tables here.
    const other = createApi({
      ch: api.h.ch,
      log: api.h.log,
      adminToken: TEST_ADMIN_TOKEN,
      webhooks: { secretKey: KEY },
    });
    await other.webhooks.store.disable(made.id, "the receiver answered 410 Gone");
    const disabled = Webhook.parse(
      (await ok(api.app.request(`/api/v1/webhooks/${made.id}`, asAdmin))).body,
    );
    expect(disabled).toMatchObject({
      enabled: false,
      disabled_reason: "the receiver answered 410 Gone",
      health: { state: "disabled" },
      updated_by: "floorwatch",
      version: 2,
    });
    // The service's disable kept the sealed part: the secret still opens, unchanged.
    expect((await opened(made.id)).secret).toBe(made.secret);
    await refused(send("POST", `/api/v1/webhooks/${made.id}/test`), 409);
    const { url: _url, ...rest } = draft;
    const enabled = Webhook.parse(
      (await ok(send("PUT", `/api/v1/webhooks/${made.id}`, { ...rest, enabled: true }))).body,
    );
    expect(enabled).toMatchObject({ enabled: true, disabled_reason: null, version: 3 });
    expect((await other.webhooks.store.current(0)).find((s) => s.id === made.id)).toMatchObject({
      enabled: true,
      url: target,
      secret: made.secret,
    });
  });

  it("deletes a subscription: gone from the list, its reads 404, its versions kept", async () => {
    const made = await create();
    const res = await send("DELETE", `/api/v1/webhooks/${made.id}`);
    expect(res.status).toBe(204);
    await refused(api.app.request(`/api/v1/webhooks/${made.id}`, asAdmin), 404);
    await refused(api.app.request(`/api/v1/webhooks/${made.id}/deliveries`, asAdmin), 404);
    const list = WebhookList.parse((await ok(api.app.request("/api/v1/webhooks", asAdmin))).body);
    expect(list.webhooks.map((w) => w.id)).not.toContain(made.id);
    expect((await rawRows(made.id)).map((r) => [r.version, r.deleted])).toEqual([
      [1, 0],
      [2, 1],
    ]);
  });
});
