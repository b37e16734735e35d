import { createLogger } from "@floorwatch/sql";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { onError } from "../errors";
import type { AppEnv } from "../types";
import { authenticate, clientAddress, type FailureLimit, makeFailureCounter } from "./middleware";
import type { Principal } from "./roles";
import type { TokenStore } from "./tokens";

describe("clientAddress", () => {
  it("is the socket's address when no proxy is trusted, whatever X-Forwarded-For claims", () => {
    expect(clientAddress("10.0.0.5", "1.2.3.4", 0)).toBe("10.0.0.5");
    expect(clientAddress(undefined, undefined, 0)).toBe("unknown");
  });

  it("behind one trusted proxy, is the address that proxy saw, not what the client wrote before it", () => {
    // The client forged "6.6.6.6"; the proxy appended the real one.
    expect(clientAddress("10.0.0.1", "6.6.6.6, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientAddress("10.0.0.1", "203.0.113.7", 1)).toBe("203.0.113.7");
  });

  it("counts hops from the right and falls back to the socket when the header is short", () => {
    expect(clientAddress("10.0.0.1", "203.0.113.7, 10.0.0.9", 2)).toBe("203.0.113.7");
    expect(clientAddress("10.0.0.1", "10.0.0.9", 2)).toBe("10.0.0.1");
  });
});

describe("makeFailureCounter", () => {
  it("blocks an address after the limit until its window passes, others not at all", () => {
    let t = 0;
    const c = makeFailureCounter({ maxFailures: 3, windowMs: 60_000 }, () => t);
    for (let i = 0; i < 3; i++) c.fail("a");
    expect(c.blockedFor("a")).toBe(60_000);
    expect(c.blockedFor("b")).toBe(0);
    t = 59_000;
    expect(c.blockedFor("a")).toBe(1_000);
    t = 60_000;
    expect(c.blockedFor("a")).toBe(0);
  });
});

describe("authenticate", () => {
  const principal: Principal = {
    id: "t1",
    name: "supervisor",
    role: "supervisor",
    sites: "all",
    pii: false,
    layout: "",
    expiresMs: 0,
  };
  /** A store that knows one token, and records whether each lookup was from memory only. */
  function appWith(limit: FailureLimit) {
    const lookups: boolean[] = [];
    const store = {
      async verify(token: string, opts?: { cachedOnly?: boolean }) {
        lookups.push(opts?.cachedOnly ?? false);
        return token === "good" ? principal : ({ rejected: "unknown" } as const);
      },
    } as unknown as TokenStore;
    const app = new Hono<AppEnv>()
      .onError(onError(createLogger("test", "error")))
      .use(authenticate(store, { limit }))
      .get("/", (c) => c.text("ok"));
    const get = async (token: string) =>
      (await app.request("/", { headers: { authorization: `Bearer ${token}` } })).status;
    return { get, lookups };
  }

  it("refuses only guesses from a blocked address, looked up from memory, and serves its valid tokens", async () => {
    const { get, lookups } = appWith({ maxFailures: 2, windowMs: 60_000 });
    expect([await get("guess-1"), await get("guess-2")]).toEqual([401, 401]);
    expect(await get("guess-3")).toBe(429);
    expect(await get("good")).toBe(200);
    expect(lookups).toEqual([false, false, true, true]);
  });
});
