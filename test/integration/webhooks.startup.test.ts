// The key that seals subscriptions at rest (issue #13): "without the key the API refuses to start
// when webhooks exist". Each case spawns the real API process (api/src/main.ts) against one
// database, because what is checked is the process's start itself: its exit code and the one line
// it logs. A spawn that exits on its own must do so before it listens, and must name the variable
// without quoting its value (the log ends up in an orchestrator's event stream).
import { randomBytes } from "node:crypto";
import { DeliveryList, Webhook, WebhookCreated, WebhookList } from "@floorwatch/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, seenSites, storedToken } from "../support/api";
import { spawnApi, type ApiProcess } from "../support/api-process";
import { createHarness, eventually, type Harness } from "../support/harness";
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

  it("starts with a different, well-formed key, lists the subscription it cannot open without its secrets, and leaves it out of sending", async () => {
    // What the store does with a row sealed under another key (store.ts): the list and GET read
    // only the clear fields, so the subscription is still listed, its URL masked, with no secret
    // and nothing sealed; the sender's read (`current()`) opens each one and leaves out, with one
    // warning naming the subscription, those it cannot open, whose deliveries wait for the key. This process is elected (its own
    // election topic) so that its dispatcher reads the subscriptions and the warning is written.
    const topic = `t.wh-startup.${randomBytes(4).toString("hex")}`;
    const other = start({
      WEBHOOK_SECRET_KEY: testSecretKey(),
      ALERTS_EVALUATOR: "true",
      ALERTS_ELECTION_TOPIC: topic,
      ALERTS_ELECTION_GROUP: `g-${topic}`,
      WEBHOOK_POLL_MS: "200",
    });
    await other.url;

    const res = await call(other, "GET", "/api/v1/webhooks");
    const text = await res.text();
    expect(res.status, text).toBe(200);
    const list = WebhookList.parse(JSON.parse(text));
    expect(list.webhooks.map((w) => w.id)).toEqual([created.id]);
    const listed = list.webhooks[0]!;
    expect(listed.signing?.secret_hint).toBe(created.signing?.secret_hint);
    expect(text).not.toContain(created.secret!);
    expect(text).not.toContain(created.secret!.slice("whsec_".length));
    expect(text).not.toContain("sealed");
    expect(Object.keys(JSON.parse(text).webhooks[0])).not.toContain("secret");

    const one = await call(other, "GET", `/api/v1/webhooks/${created.id}`);
    expect(one.status).toBe(200);
    expect(Webhook.parse(await one.json()).id).toBe(created.id);

    // A write must open the stored version to keep its URL and secret: it is refused with a 503
    // that says which setting to fix, and nothing of the sealed part.
    for (const [method, path, body] of [
      ["PUT", `/api/v1/webhooks/${created.id}`, { name: "x", format: "standard", sites: [site] }],
      ["POST", `/api/v1/webhooks/${created.id}/rotate`, {}],
    ] as const) {
      const refused = await call(other, method, path, body);
      const answer = await refused.text();
      expect(refused.ok, answer).toBe(false);
      expect(refused.status, answer).toBe(503);
      expect(JSON.parse(answer)).toMatchObject({ error: { code: "unavailable" } });
      expect(answer).toContain("WEBHOOK_SECRET_KEY");
      // Nothing of a sealed value (v1.<key id>.<iv>.<tag>.<ciphertext>) nor the secret.
      expect(answer).not.toMatch(/v1\.[0-9a-f]{8}\.[\w-]+\./);
      expect(answer).not.toContain(created.secret!);
    }
    // A test event is queued without opening anything (202); the sender cannot open the
    // subscription, so it sends nothing, and the delivery waits (pending, no attempt) for a
    // process with the key instead of being cancelled: a deploy with the wrong key for a minute
    // must not lose the backlog.
    const queued = await call(other, "POST", `/api/v1/webhooks/${created.id}/test`, {});
    expect(queued.status).toBe(202);
    const { delivery_id } = (await queued.json()) as { delivery_id: string };
    // The sender, reading the subscriptions for that delivery, warns once of the one it cannot open.
    await eventually(async () => {
      expect(other.output()).toContain(
        "webhook subscription cannot be opened; its deliveries wait",
      );
    }, 60_000);
    const warning = other
      .output()
      .split("\n")
      .find((l) => l.includes("cannot be opened"))!;
    expect(warning).toContain(created.id);
    expect(warning).toContain("neither WEBHOOK_SECRET_KEY nor one of WEBHOOK_SECRET_KEY_PREVIOUS");
    expect(other.output()).not.toContain(created.secret!);

    const deliveryNow = async () => {
      const res = await call(other, "GET", `/api/v1/webhooks/${created.id}/deliveries`);
      return DeliveryList.parse(await res.json()).deliveries.find((x) => x.id === delivery_id);
    };
    expect(await deliveryNow()).toMatchObject({ state: "pending", attempts: 0 });
    // Several polls of the sender (200 ms apart) later, still waiting, never cancelled.
    await new Promise((done) => setTimeout(done, 2_000));
    expect(await deliveryNow()).toMatchObject({ state: "pending", attempts: 0 });
    expect(listed.url).not.toContain(HOOK_PATH);
    expect(other.output()).not.toContain(HOOK_PATH);
    await stop(other);
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
