// The webhook network guard against real sockets on 127.0.0.1: what send answers for each kind of
// receiver (answering, redirecting, silent, streaming forever, gone), and that a refused target,
// literal or resolved, is refused before any connection is made, DNS rebinding included.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import tls from "node:tls";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  checkTarget,
  type LookupAll,
  parseAllowNetworks,
  send,
} from "../../api/src/webhooks/network";

interface Receiver {
  url: (path?: string) => string;
  port: number;
  /** Connections accepted since the start (or the last reset). */
  connections: () => number;
  /** Connections still open. */
  open: () => number;
  requests: { url: string; headers: http.IncomingHttpHeaders; body: string }[];
  reset: () => void;
  close: () => Promise<void>;
}

/** An HTTP server on 127.0.0.1 that records what reaches it and answers with `handle`. */
async function startReceiver(
  handle: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void,
): Promise<Receiver> {
  const requests: Receiver["requests"] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ url: req.url ?? "", headers: req.headers, body });
      handle(req, res, body);
    });
  });
  server.on("connection", (socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path = "/hook") => `http://127.0.0.1:${port}${path}`,
    connections: () => connections,
    open: () => sockets.size,
    requests,
    reset: () => {
      connections = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const local = parseAllowNetworks("127.0.0.1/32");
const none = parseAllowNetworks("");
const post = (url: string, body = '{"type":"test"}') => ({
  url,
  headers: { "content-type": "application/json", "webhook-id": "msg_1" },
  body,
});
const resolvesTo =
  (...addresses: string[]): LookupAll =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("send to receivers on 127.0.0.1 (allowed by the operator)", () => {
  const receivers: Receiver[] = [];
  const start = async (handle: Parameters<typeof startReceiver>[0]) => {
    const r = await startReceiver(handle);
    receivers.push(r);
    return r;
  };

  // Every attempt leaves no socket behind, whatever the receiver did.
  afterEach(async () => {
    for (const r of receivers) await expect.poll(() => r.open(), { timeout: 5_000 }).toBe(0);
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });

  it("answers a 200 with its body, having posted the body and headers as given", async () => {
    const r = await start((_req, res, body) => res.end(`got ${body.length} bytes`));
    const result = await send(post(r.url("/hook?x=1")), { policy: local, timeoutMs: 5_000 });
    expect(result).toMatchObject({ status: 200, body: "got 15 bytes", error: null });
    expect(result.latency_ms).toBeGreaterThanOrEqual(0);
    expect(result.latency_ms).toBeLessThan(5_000);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]).toMatchObject({ url: "/hook?x=1", body: '{"type":"test"}' });
    expect(r.requests[0]?.headers["content-type"]).toBe("application/json");
    expect(r.requests[0]?.headers["webhook-id"]).toBe("msg_1");
  });

  it("connects by name to the address its lookup answered, once that address is allowed", async () => {
    const r = await start((_req, res) => res.end("named"));
    const result = await send(post(`http://receiver.test:${r.port}/hook`), {
      policy: local,
      timeoutMs: 5_000,
      lookup: resolvesTo("127.0.0.1"),
    });
    expect(result).toMatchObject({ status: 200, body: "named", error: null });
    expect(r.requests[0]?.headers.host).toBe(`receiver.test:${r.port}`);
  });

  it("over https, names the URL's host in SNI while connecting to the checked address", async () => {
    // No certificate: the server only records the name the client asked for, then hangs up.
    const names: string[] = [];
    const server = tls.createServer({
      SNICallback: (servername, cb) => {
        names.push(servername);
        cb(new Error("no certificate here"));
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const result = await send(post(`https://receiver.test:${port}/hook`), {
        policy: local,
        timeoutMs: 5_000,
        lookup: resolvesTo("127.0.0.1"),
      });
      expect(names).toEqual(["receiver.test"]);
      expect(result.status).toBeNull();
      expect(result.error).toMatch(/\S/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("does not follow a redirect: the 302 is the answer and its target receives nothing", async () => {
    const target = await start((_req, res) => res.end("should never be reached"));
    const r = await start((_req, res) => {
      res.writeHead(302, { location: target.url("/next?token=abcdef0123456789") });
      res.end("moved");
    });
    const result = await send(post(r.url()), { policy: local, timeoutMs: 5_000 });
    expect(result).toMatchObject({
      status: 302,
      body: "moved",
      error: `redirects are not followed (302 to http://127.0.0.1:${target.port}/next?token=****)`,
    });
    expect(target.connections()).toBe(0);
  });

  it("times a silent receiver out at timeoutMs with no status", async () => {
    const r = await start(() => {
      // Never answers.
    });
    const result = await send(post(r.url()), { policy: local, timeoutMs: 500 });
    expect(result).toMatchObject({ status: null, body: "", error: "timed out after 500 ms" });
    expect(result.latency_ms).toBeGreaterThanOrEqual(490);
    expect(result.latency_ms).toBeLessThan(1_500);
    expect(r.requests).toHaveLength(1);
  });

  it("keeps at most 1 KiB of a body that never ends, and returns at once", async () => {
    const chunk = Buffer.alloc(64 * 1024, "x");
    let written = 0;
    const r = await start((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      // Writes until the client goes: a receiver that would hold a worker forever.
      const pump = () => {
        while (!res.destroyed && written < 64 * 1024 * 1024 && res.write(chunk)) {
          written += chunk.length;
        }
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
    });
    const result = await send(post(r.url()), { policy: local, timeoutMs: 10_000 });
    expect(result.status).toBe(200);
    expect(result.error).toBeNull();
    expect(result.body).toBe("x".repeat(1024));
    expect(result.latency_ms).toBeLessThan(2_000);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it("cuts a 1 MiB body on a UTF-8 character boundary", async () => {
    // "é" is two bytes and "€" three: 1024 falls inside a character either way.
    const r = await start((_req, res) => res.end(`a${"€".repeat(350_000)}`));
    const result = await send(post(r.url()), {
      policy: local,
      timeoutMs: 5_000,
      maxResponseBytes: 1024,
    });
    expect(result.status).toBe(200);
    expect(result.body).toBe(`a${"€".repeat(341)}`);
    expect(Buffer.byteLength(result.body)).toBe(1024);
    expect(result.body).not.toContain("\uFFFD");
  });

  it("scrubs the URL's key and the given secrets from what the receiver echoes", async () => {
    const r = await start((req, res) =>
      res.end(`bad request to ${req.url} signed ${req.headers["webhook-signature"]}`),
    );
    const signature = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=";
    const result = await send(
      {
        url: r.url("/cgi-bin/webhook/send?key=693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa"),
        headers: { "webhook-signature": signature },
        body: "{}",
      },
      { policy: local, timeoutMs: 5_000, secrets: [signature] },
    );
    expect(result.status).toBe(200);
    expect(result.body).toBe("bad request to /cgi-bin/webhook/send?key=**** signed ****");
  });

  it("says a refused connection in short, without the URL's secrets", async () => {
    const gone = await startReceiver(() => {});
    const port = gone.port;
    await gone.close();
    const result = await send(post(`http://127.0.0.1:${port}/hook?key=supersecretkey123`), {
      policy: local,
      timeoutMs: 5_000,
    });
    expect(result.status).toBeNull();
    expect(result.error).toMatch(/ECONNREFUSED/);
    expect(result.error).not.toContain("supersecretkey123");
    expect(result.latency_ms).toBeLessThan(5_000);
  });
});

describe("send refuses what the policy refuses, before connecting", () => {
  let r: Receiver | undefined;
  afterEach(async () => {
    await r?.close();
    r = undefined;
  });

  it("refuses the 127.0.0.1 receiver under the default policy, naming loopback", async () => {
    r = await startReceiver((_req, res) => res.end("ok"));
    const result = await send(post(r.url()), { policy: none, timeoutMs: 5_000 });
    expect(result).toMatchObject({
      status: null,
      body: "",
      error: "127.0.0.1 is a loopback address",
    });
    expect(r.connections()).toBe(0);
    // The same receiver is reachable once allowed: the refusal was the policy's.
    expect((await send(post(r.url()), { policy: local, timeoutMs: 5_000 })).status).toBe(200);
  });

  it("refuses localhost by the address it resolves to under the default policy", async () => {
    r = await startReceiver((_req, res) => res.end("ok"));
    const result = await send(post(`http://localhost:${r.port}/hook`), {
      policy: none,
      timeoutMs: 5_000,
    });
    expect(result.status).toBeNull();
    expect(result.error).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address$/);
    expect(r.connections()).toBe(0);
  });

  it("refuses http to a name that resolves to a public address", async () => {
    const result = await send(post("http://example.com/hook"), {
      policy: none,
      timeoutMs: 5_000,
      lookup: resolvesTo("93.184.216.34"),
    });
    expect(result).toMatchObject({
      status: null,
      error:
        "the URL must be https (http is accepted only for addresses in WEBHOOK_ALLOW_NETWORKS)",
    });
  });

  it("refuses a name rebound to 127.0.0.1 after checkTarget accepted it", async () => {
    r = await startReceiver((_req, res) => res.end("ok"));
    let calls = 0;
    const rebinding: LookupAll = async () => [
      { address: calls++ === 0 ? "93.184.216.34" : "127.0.0.1", family: 4 },
    ];
    const url = `https://rebind.test:${r.port}/hook`;
    expect(await checkTarget(url, none, { lookup: rebinding })).toBeNull();
    const result = await send(post(url), { policy: none, timeoutMs: 5_000, lookup: rebinding });
    expect(calls).toBe(2);
    expect(result).toMatchObject({
      status: null,
      error: "rebind.test resolves to 127.0.0.1, a loopback address",
    });
    expect(r.connections()).toBe(0);
  });
});

describe("checkTarget", () => {
  const publicLookup = resolvesTo("93.184.216.34");

  it("refuses http to a public address and accepts https to it", async () => {
    expect(await checkTarget("http://example.com/hook", none, { lookup: publicLookup })).toBe(
      "the URL must be https (http is accepted only for addresses in WEBHOOK_ALLOW_NETWORKS)",
    );
    expect(
      await checkTarget("https://example.com/hook", none, { lookup: publicLookup }),
    ).toBeNull();
  });

  it.each([
    ["https://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"],
    ["https://10.0.0.1/hook", "10.0.0.1 is a private address"],
    [
      "https://[::ffff:127.0.0.1]/hook",
      "::ffff:7f00:1 is a loopback address (it embeds 127.0.0.1)",
    ],
    ["http://2130706433/", "127.0.0.1 is a loopback address"],
    [
      "https://metadata.test/",
      "metadata.test resolves to 169.254.169.254, a cloud metadata address",
    ],
  ])("refuses %s", async (url, reason) => {
    expect(await checkTarget(url, none, { lookup: resolvesTo("169.254.169.254") })).toBe(reason);
  });

  it("accepts http to an allowed address, as tests and operators' own networks need", async () => {
    expect(await checkTarget("http://127.0.0.1:9/hook", local)).toBeNull();
    expect(await checkTarget("http://127.0.0.2:9/hook", local)).toBe(
      "127.0.0.2 is a loopback address",
    );
  });
});
