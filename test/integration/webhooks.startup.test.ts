// The key that seals subscriptions at rest (issue #13): "without the key the API refuses to start
// when webhooks exist". Each case spawns the real API process (api/src/main.ts) against one
// database, because what is checked is the process's start itself: its exit code and the one line
// it logs. A spawn that exits on its own must do so before it listens, and must name the variable
// without quoting its value (the log ends up in an orchestrator's event stream).
import { randomBytes } from "node:crypto";
import { DeliveryList, Webhook, WebhookCreated, WebhookList } from "@floorwatch/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApi } from "@floorwatch/api";
import { asAdmin, bearer, seenSites, storedToken, TEST_ADMIN_TOKEN } from "../support/api";
import { spawnApi, type ApiProcess } from "../support/api-process";
import { createHarness, type Harness } from "../support/harness";
import { testSecretKey } from "../support/webhooks";

const site = "whstart";
// The target is never called (nothing fires here); 127.0.0.1 is allowed so that creation, which
// resolves and checks the target, does not depend on DNS this machine does not have.
const HOOK_PATH = `/hook-${randomBytes(6).toString("hex")}`;
const HOOK_URL = `http://127.0.0.1:9${HOOK_PATH}`;

describe("the API's start with webhook subscriptions stored", () => {
  let h: Harness;
  let admin: string;
  const key = testSecretKey();
  const spawned: ApiProcess[] = [];
  let created: WebhookCreated;

  /** An API process that neither evaluates nor sends, unless `env` says otherwise. */
  const start = (env: Record<string, string>) => {
    const p = spawnApi(h, {
      ALERTS_EVALUATOR: "false",
      WEBHOOK_ALLOW_NETWORKS: "127.0.0.1/32",
      ...env,
    });
    spawned.push(p);
    return p;
  };

  const stop = async (p: ApiProcess) => {
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  };

  /** Waits for a process that must not start: its exit code and all it wrote. */
  const refusedStart = async (p: ApiProcess) => {
    await expect(p.url).rejects.toThrow(/exited \(1\) before it listened/);
    return { code: await p.exited, output: p.output() };
  };

  const call = (p: ApiProcess, method: string, path: string, body?: unknown) =>
    p.url.then((url) =>
      fetch(`${url}${path}`, {
        method,
        headers: { ...bearer(admin), "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );

  beforeAll(async () => {
    // "Not set" must mean not set: a key inherited from the shell running the tests would make
    // the refusal below pass or fail for the wrong reason.
    expect(process.env.WEBHOOK_SECRET_KEY).toBeUndefined();
    h = await createHarness("webhooks_startup");
    await seenSites(h.ch, [site]);
    admin = (await storedToken(h.ch, "admin")).token;

    const first = start({ WEBHOOK_SECRET_KEY: key });
    const res = await call(first, "POST", "/api/v1/webhooks", {
      name: "Duty group",
      url: HOOK_URL,
      format: "standard",
      sites: [site],
    });
    const text = await res.text();
    expect(res.status, text).toBe(201);
    created = WebhookCreated.parse(JSON.parse(text));
    expect(created.secret).toMatch(/^whsec_/);
    await stop(first);
  }, 90_000);

  afterAll(async () => {
    for (const p of spawned)
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGTERM");
    await Promise.all(spawned.map((p) => p.exited));
    await h?.cleanup();
  });

  it("refuses to start without WEBHOOK_SECRET_KEY, saying which variable to set", async () => {
    const { code, output } = await refusedStart(start({}));
    expect(code).toBe(1);
    expect(output).toContain("api cannot start");
    expect(output).toContain("WEBHOOK_SECRET_KEY is not set");
    expect(output).not.toContain("api listening");
  });

  it("treats an empty WEBHOOK_SECRET_KEY as not set, and refuses to start just the same", async () => {
    const { code, output } = await refusedStart(start({ WEBHOOK_SECRET_KEY: "  " }));
    expect(code).toBe(1);
    expect(output).toContain("WEBHOOK_SECRET_KEY is not set");
  });

  it("refuses a malformed key, naming the variable and the form but never the value", async () => {
    const malformed = `short-${randomBytes(5).toString("hex")}`;
    const { code, output } = await refusedStart(start({ WEBHOOK_SECRET_KEY: malformed }));
    expect(code).toBe(1);
    expect(output).toContain("WEBHOOK_SECRET_KEY must be 32 random bytes");
    expect(output).not.toContain(malformed);
  });

  it("refuses a malformed previous key the same way", async () => {
    const malformed = `short-${randomBytes(5).toString("hex")}`;
    const { code, output } = await refusedStart(
      start({ WEBHOOK_SECRET_KEY: key, WEBHOOK_SECRET_KEY_PREVIOUS: malformed }),
    );
    expect(code).toBe(1);
    expect(output).toContain("WEBHOOK_SECRET_KEY_PREVIOUS must be 32 random bytes");
    expect(output).not.toContain(malformed);
  });

  it("refuses to start with a different key that opens none of them, naming them and never a secret", async () => {
    const { code, output } = await refusedStart(start({ WEBHOOK_SECRET_KEY: testSecretKey() }));
    expect(code).toBe(1);
    expect(output).toContain(created.id);
    expect(output).toContain("WEBHOOK_SECRET_KEY_PREVIOUS");
    expect(output).not.toContain(created.secret!);
    expect(output).not.toContain(HOOK_PATH);
  });

  it("serves, but sends nothing and cancels nothing, where a subscription was sealed under a key it lacks", async () => {
    // A process started with its own key before another one sealed the subscription (a mixed
    // deployment): in process here, since a fresh start would refuse (above). Its list and GET
    // read only the clear fields; a write needs the sealed part and is a 503 naming the settings;
    // a queued delivery waits, pending, for a process with the key, instead of being cancelled.
    const { app, webhooks } = createApi({
      ch: h.ch,
      log: h.log,
      adminToken: TEST_ADMIN_TOKEN,
      webhooks: { secretKey: testSecretKey(), allowNetworks: "127.0.0.1/32", pollMs: 100 },
    });
    const ask = async (method: string, path: string, body?: unknown) => {
      const res = await app.request(path, {
        method,
        headers: { ...asAdmin.headers, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, text: await res.text() };
    };
    try {
      const list = await ask("GET", "/api/v1/webhooks");
      expect(list.status, list.text).toBe(200);
      const listed = WebhookList.parse(JSON.parse(list.text)).webhooks.find(
        (w) => w.id === created.id,
      )!;
      expect(listed.url).not.toContain(HOOK_PATH);
      expect(list.text).not.toContain(created.secret!);
      expect(list.text).not.toMatch(/v1\.[0-9a-f]{8}\.[\w-]+\./);
      const one = await ask("GET", `/api/v1/webhooks/${created.id}`);
      expect(Webhook.parse(JSON.parse(one.text)).id).toBe(created.id);

      for (const [method, path, body] of [
        ["PUT", `/api/v1/webhooks/${created.id}`, { name: "x" }],
        ["POST", `/api/v1/webhooks/${created.id}/rotate`, {}],
      ] as const) {
        const refused = await ask(method, path, body);
        expect(refused.status, refused.text).toBe(503);
        expect(JSON.parse(refused.text)).toMatchObject({ error: { code: "unavailable" } });
        expect(refused.text).toContain("WEBHOOK_SECRET_KEY");
        // Nothing of a sealed value (v1.<key id>.<iv>.<tag>.<ciphertext>) nor the secret.
        expect(refused.text).not.toMatch(/v1\.[0-9a-f]{8}\.[\w-]+\./);
        expect(refused.text).not.toContain(created.secret!);
      }

      const queued = await ask("POST", `/api/v1/webhooks/${created.id}/test`, {});
      expect(queued.status, queued.text).toBe(202);
      const { delivery_id } = JSON.parse(queued.text) as { delivery_id: string };
      webhooks.setLeader(true);
      const deliveryNow = async () => {
        const res = await ask("GET", `/api/v1/webhooks/${created.id}/deliveries`);
        return DeliveryList.parse(JSON.parse(res.text)).deliveries.find(
          (x) => x.id === delivery_id,
        );
      };
      // Many polls of the sender (100 ms apart) later: still waiting, never cancelled.
      await new Promise((done) => setTimeout(done, 2_000));
      expect(await deliveryNow()).toMatchObject({ state: "pending", attempts: 0 });
    } finally {
      await webhooks.stop();
    }
  });

  it("opens the subscription with its key as WEBHOOK_SECRET_KEY_PREVIOUS beside a new one", async () => {
    const next = testSecretKey();
    const rotated = start({ WEBHOOK_SECRET_KEY: next, WEBHOOK_SECRET_KEY_PREVIOUS: key });
    // A write opens the stored version (to keep its URL and secret) and seals the next one under
    // the new key: it succeeds only if the previous key opened it.
    const res = await call(rotated, "PUT", `/api/v1/webhooks/${created.id}`, {
      name: "Duty group (rekeyed)",
      format: "standard",
      sites: [site],
    });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(Webhook.parse(JSON.parse(text)).name).toBe("Duty group (rekeyed)");
    expect(text).not.toContain(created.secret!);
    await stop(rotated);

    // Sealed again under the new key, it now starts and opens with that key alone.
    const alone = start({ WEBHOOK_SECRET_KEY: next });
    const again = await call(alone, "PUT", `/api/v1/webhooks/${created.id}`, {
      name: "Duty group",
      format: "standard",
      sites: [site],
    });
    expect(again.status, await again.text()).toBe(200);
    await stop(alone);
  });
});
