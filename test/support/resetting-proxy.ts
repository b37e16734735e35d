// A TCP proxy in front of ClickHouse for tests of the client's keep-alive handling.
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";

/**
 * A TCP proxy in front of ClickHouse that, once armed, resets the next connection that sends a
 * second request: what a client sees when it reuses a keep-alive socket the server closed a moment
 * before (the request goes out, the answer is a reset).
 */
export async function resettingProxy(target: URL) {
  let armed = false;
  let resets = 0;
  const requests: string[] = [];
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    let used = false;
    const upstream = connect(Number(target.port), target.hostname);
    open.add(client).add(upstream);
    upstream.pipe(client);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.on("close", () => upstream.destroy());
    client.on("data", (chunk: Buffer) => {
      const start = /^(GET|POST) [^\r\n]*/.exec(chunk.toString("latin1"))?.[0];
      if (start && used && armed) {
        armed = false;
        resets++;
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      if (start) {
        used = true;
        requests.push(decodeURIComponent(start));
      }
      upstream.write(chunk);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arm: () => {
      armed = true;
    },
    resets: () => resets,
    requests,
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
