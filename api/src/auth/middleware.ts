// Bearer authentication for everything under /api/v1, and the checks routes make with it.
//
// A missing, malformed, unknown, revoked or expired token is a 401 that does not say which (a
// prober learns nothing). Presented tokens that match no token (guesses) are counted per client
// address; past `maxFailures` in `windowMs` that address gets 429 for every further guess until
// the window passes, without a read of the token table. Valid tokens from that address are still
// served, and revoked or expired tokens and missing headers are neither counted nor refused with
// 429: a whole floor shares one address behind its NAT, and neither one broken script nor one TV
// left polling with a revoked token may lock every supervisor and wallboard out.
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "../errors";
import type { AppEnv } from "../types";
import { can, seesSite, type Capability, type Principal } from "./roles";
import type { TokenStore } from "./tokens";

export interface FailureLimit {
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_FAILURE_LIMIT: FailureLimit = { maxFailures: 20, windowMs: 60_000 };

/**
 * Who is asking, for counting guesses. Behind a reverse proxy every request comes from the proxy,
 * and counting the proxy would let one guesser lock out every user: with `trustedProxies` hops
 * (TRUST_PROXY_HOPS), the address is the one that many hops from the right of X-Forwarded-For
 * (the entries left of it are the client's word and could be forged).
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trustedProxies: number,
): string {
  if (trustedProxies > 0 && forwardedFor) {
    const hops = forwardedFor
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const client = hops[hops.length - trustedProxies];
    if (client) return client;
  }
  return socketAddress ?? "unknown";
}

function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined; // app.request() in tests has no socket
  }
}

export function makeFailureCounter(limit: FailureLimit, now: () => number) {
  const failures = new Map<string, { count: number; since: number }>();
  return {
    blockedFor(addr: string): number {
      const f = failures.get(addr);
      if (!f) return 0;
      const left = f.since + limit.windowMs - now();
      if (left <= 0) {
        failures.delete(addr);
        return 0;
      }
      return f.count >= limit.maxFailures ? left : 0;
    },
    fail(addr: string) {
      const t = now();
      const f = failures.get(addr);
      if (!f || t - f.since >= limit.windowMs) failures.set(addr, { count: 1, since: t });
      else f.count++;
      // Bounded: an attacker rotating addresses must not grow the map without end.
      if (failures.size > 10_000)
        for (const [k, v] of failures) if (t - v.since >= limit.windowMs) failures.delete(k);
    },
  };
}

export function authenticate(
  store: TokenStore,
  opts: { limit?: FailureLimit; now?: () => number; trustedProxies?: number } = {},
): MiddlewareHandler<AppEnv> {
  const counter = makeFailureCounter(opts.limit ?? DEFAULT_FAILURE_LIMIT, opts.now ?? Date.now);
  return async (c, next) => {
    const addr = clientAddress(
      socketAddress(c),
      c.req.header("x-forwarded-for"),
      opts.trustedProxies ?? 0,
    );
    // A blocked address is still served its valid tokens (a floor behind one NAT shares it with
    // the guesser); only what matches no token is refused, and answered from memory only.
    const blocked = counter.blockedFor(addr);
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const verdict = m
      ? await store.verify(m[1]!, { cachedOnly: blocked > 0 })
      : ({ rejected: "malformed" } as const);
    if ("rejected" in verdict) {
      const guess =
        m !== null && (verdict.rejected === "unknown" || verdict.rejected === "malformed");
      if (guess && blocked > 0) {
        c.header("Retry-After", String(Math.ceil(blocked / 1000)));
        throw new ApiError(
          "rate_limited",
          "too many unknown tokens from this address; try again later",
        );
      }
      if (guess) counter.fail(addr);
      c.header("WWW-Authenticate", 'Bearer realm="floorwatch"');
      throw new ApiError(
        "unauthorized",
        m
          ? "the token is not valid (unknown, revoked or expired)"
          : "a bearer token is required: Authorization: Bearer <token>",
      );
    }
    c.set("principal", verdict);
    await next();
  };
}

export function principalOf(c: Context<AppEnv>): Principal {
  const p = c.get("principal");
  if (!p) throw new Error("route mounted outside authenticate()"); // a wiring bug, not a client's
  return p;
}

/** The caller may use `capability`, on `site` when given; else 403. */
export function allow(c: Context<AppEnv>, capability: Capability, site?: string): Principal {
  const p = principalOf(c);
  if (!can(p, capability))
    throw new ApiError("forbidden", `a ${p.role} token may not use ${capability}`);
  if (site !== undefined && !seesSite(p, site))
    throw new ApiError("forbidden", `this token is not scoped to site ${site}`);
  return p;
}
