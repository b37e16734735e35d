// What the notification tests (issue #13) share: an elected API with webhooks on (its own
// election topic, a sealing key, 127.0.0.1 allowed, quick retries), subscriptions made over HTTP,
// and the Standard Webhooks signature checked by the specification's own library.
import { randomBytes } from "node:crypto";
import {
  Webhook as WebhookSchema,
  WebhookCreated,
  type WebhookDelivery,
  type WebhookDraftInput,
} from "@floorwatch/contracts";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { expect } from "vitest";
import type { WebhookOptions } from "../../api/src/webhooks/options";
import { asAdmin, startTestServer, TEST_ADMIN_TOKEN } from "./api";
import { eventually, type Harness } from "./harness";

export const testSecretKey = () => randomBytes(32).toString("base64");

/** Quick enough for tests: retries 200 ms apart (doubling), the outbox looked at every 100 ms. */
export const QUICK_WEBHOOKS: WebhookOptions = {
  allowNetworks: "127.0.0.1/32",
  retryBaseMs: 200,
  retryMaxMs: 1_000,
  pollMs: 100,
  timeoutMs: 2_000,
};

/** The API on a port of its own, elected (it evaluates and sends), with webhooks on. */
export async function startWebhookApi(
  h: Harness,
  webhooks: WebhookOptions = {},
  alertsTickMs = 500,
): Promise<Awaited<ReturnType<typeof startTestServer>>> {
  const topic = `t.wh-election.${randomBytes(4).toString("hex")}`;
  const server = await startTestServer(h, {
    alerts: { tickMs: alertsTickMs },
    webhooks: { secretKey: testSecretKey(), ...QUICK_WEBHOOKS, ...webhooks },
    election: {
      brokers: h.config.kafka.brokers,
      topic,
      groupId: `g-${topic}`,
      sessionTimeoutMs: 6_000,
    },
  });
  await eventually(async () => {
    const res = await fetch(`${server.url}/metrics`, asAdmin);
    expect(await res.text()).toMatch(/^floorwatch_api_alert_evaluator_leader 1$/m);
  }, 60_000);
  return server;
}

/** An admin request to the running API that must succeed; its JSON. */
export async function call<T>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token = TEST_ADMIN_TOKEN,
): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300);
  return (text ? JSON.parse(text) : null) as T;
}

export const subscribe = async (url: string, draft: WebhookDraftInput) =>
  WebhookCreated.parse(await call(url, "POST", "/api/v1/webhooks", draft));

export const readWebhook = async (url: string, id: string) =>
  WebhookSchema.parse(await call(url, "GET", `/api/v1/webhooks/${id}`));

export const deliveriesOf = async (url: string, id: string) =>
  (await call<{ deliveries: WebhookDelivery[] }>(url, "GET", `/api/v1/webhooks/${id}/deliveries`))
    .deliveries;

/** Whether the Standard Webhooks library accepts the request with `secret` (it also checks the timestamp). */
export function verifies(
  secret: string,
  req: { body: string; headers: Record<string, string | string[] | undefined> },
): boolean {
  const h = (k: string) => String(req.headers[k] ?? "");
  try {
    new StandardWebhook(secret).verify(req.body, {
      "webhook-id": h("webhook-id"),
      "webhook-timestamp": h("webhook-timestamp"),
      "webhook-signature": h("webhook-signature"),
    });
    return true;
  } catch {
    return false;
  }
}
