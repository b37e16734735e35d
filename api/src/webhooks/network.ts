// The network side of webhook delivery: which addresses a webhook may reach, how its URL may be
// shown, and the one POST an attempt makes.
//
// A webhook URL is chosen by whoever holds an admin or integration token, and the API sends to it
// from inside the bank's network. Without a guard that is a server-side request forgery: a
// subscription to http://169.254.169.254/ or http://10.0.0.5:8123/ turns the delivery log's
// response excerpt into a window on the cloud's metadata service or the internal ClickHouse. So
// loopback, private, link-local, metadata and other non-public addresses are refused unless the
// operator lists them in WEBHOOK_ALLOW_NETWORKS, and the check is made twice: when the
// subscription is written (checkTarget, for a 400 that says why) and on the address each delivery
// actually connects to (send's lookup), because a name that resolved to a public address at
// creation can resolve to 127.0.0.1 a minute later (DNS rebinding).
//
// send uses node:http and node:https directly and honours no HTTP_PROXY/HTTPS_PROXY: through a
// proxy the socket would connect to the proxy's address, the check would judge the proxy instead
// of the target, and the proxy would then reach whatever the URL names, private or not.
import { lookup as dnsLookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import net, { BlockList } from "node:net";
import type { AttemptResult, OutgoingRequest } from "./types";

/** What an operator allows beyond the public internet (WEBHOOK_ALLOW_NETWORKS). */
export interface NetworkPolicy {
  /** The allowed networks: an address inside is accepted whatever its class, and over http. */
  allow: BlockList;
  /** The entries as written, for logs and messages. */
  networks: readonly string[];
}

/** One resolved address, as dns.lookup answers with `all: true`. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to all its addresses (dns.lookup by default; tests inject their own). */
export type LookupAll = (hostname: string) => Promise<readonly ResolvedAddress[]>;

const systemLookup: LookupAll = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    );
  });

/**
 * Parses WEBHOOK_ALLOW_NETWORKS: comma-separated IPv4 or IPv6 addresses and CIDRs, empty by
 * default. Throws naming the first bad entry, so the service refuses to start on a typo rather
 * than silently allowing less (or more) than the operator meant.
 */
export function parseAllowNetworks(text: string): NetworkPolicy {
  const allow = new BlockList();
  const networks: string[] = [];
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const slash = entry.indexOf("/");
    const address = slash < 0 ? entry : entry.slice(0, slash);
    const family = net.isIP(address);
    // A zone (fe80::1%eth0) names an interface, not a network: refused rather than misread.
    if (family === 0 || address.includes("%")) {
      throw new Error(`WEBHOOK_ALLOW_NETWORKS: "${entry}" is not an IP address or CIDR`);
    }
    const type = family === 4 ? "ipv4" : "ipv6";
    if (slash < 0) {
      allow.addAddress(address, type);
    } else {
      const prefixText = entry.slice(slash + 1);
      const prefix = Number(prefixText);
      const max = family === 4 ? 32 : 128;
      if (!/^\d{1,3}$/.test(prefixText) || prefix > max) {
        throw new Error(
          `WEBHOOK_ALLOW_NETWORKS: "${entry}" has a bad prefix length (0 to ${max} for IPv${family})`,
        );
      }
      allow.addSubnet(address, prefix, type);
    }
    networks.push(entry);
  }
  return { allow, networks };
}

// The address classes refused by default, most specific first: the first that holds an address
// names it (169.254.169.254 is "a cloud metadata address" before it is a link-local one).
const LOOPBACK = "a loopback address";
const PRIVATE = "a private address";
const LINK_LOCAL = "a link-local address";
const METADATA = "a cloud metadata address";
const UNSPECIFIED = "an unspecified address";
const MULTICAST = "a multicast address";
const RESERVED = "a reserved address";
const DOCUMENTATION = "a documentation address";
const BENCHMARKING = "a benchmarking address";

const IPV4_CLASSES: readonly (readonly [cidr: string, label: string])[] = [
  ["255.255.255.255/32", "a broadcast address"],
  // AWS, GCP, Azure, Oracle; Alibaba Cloud's (used by many Chinese banks) sits in 100.64/10.
  ["169.254.169.254/32", METADATA],
  ["100.100.100.200/32", METADATA],
  ["0.0.0.0/8", UNSPECIFIED],
  ["127.0.0.0/8", LOOPBACK],
  ["10.0.0.0/8", PRIVATE],
  ["172.16.0.0/12", PRIVATE],
  ["192.168.0.0/16", PRIVATE],
  // Carrier-grade NAT space: inside a cloud it is the provider's own services, never a receiver.
  ["100.64.0.0/10", "a shared (carrier-grade NAT) address"],
  ["169.254.0.0/16", LINK_LOCAL],
  ["192.0.0.0/24", "an IETF protocol address"],
  ["192.0.2.0/24", DOCUMENTATION],
  ["198.51.100.0/24", DOCUMENTATION],
  ["203.0.113.0/24", DOCUMENTATION],
  ["192.88.99.0/24", RESERVED],
  ["198.18.0.0/15", BENCHMARKING],
  ["224.0.0.0/4", MULTICAST],
  ["240.0.0.0/4", RESERVED],
];

// The IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that
// address before these apply, so ::ffff:127.0.0.1 is loopback like 127.0.0.1.
const IPV6_CLASSES: readonly (readonly [cidr: string, label: string])[] = [
  ["::/128", UNSPECIFIED],
  ["::1/128", LOOPBACK],
  ["fd00:ec2::254/128", METADATA],
  ["fc00::/7", PRIVATE],
  ["fec0::/10", "a site-local address"],
  ["fe80::/10", LINK_LOCAL],
  ["ff00::/8", MULTICAST],
  ["64:ff9b:1::/48", "a local-use NAT64 address"],
  ["100::/64", "a discard-only address"],
  ["2001:db8::/32", DOCUMENTATION],
  ["3fff::/20", DOCUMENTATION],
  ["2001:2::/48", BENCHMARKING],
  // Teredo hides its client's IPv4 address (inverted); nobody's receiver lives behind one.
  ["2001::/32", "a Teredo address"],
];

const classList = (classes: readonly (readonly [string, string])[], type: "ipv4" | "ipv6") =>
  classes.map(([cidr, label]) => {
    const [address = "", prefix = ""] = cidr.split("/");
    const list = new BlockList();
    list.addSubnet(address, Number(prefix), type);
    return { list, label };
  });

const V4 = classList(IPV4_CLASSES, "ipv4");
const V6 = classList(IPV6_CLASSES, "ipv6");
// Global unicast (2000::/3): anything outside it not named above is reserved, never a receiver.
const GLOBAL_UNICAST = new BlockList();
GLOBAL_UNICAST.addSubnet("2000::", 3, "ipv6");

/** The 16 bytes of a valid IPv6 address (zone already removed). */
function ipv6Bytes(address: string): number[] {
  let text = address;
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two hex groups.
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    const [a = 0, b = 0, c = 0, d = 0] = text
      .slice(lastColon + 1)
      .split(".")
      .map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left = "", right] = text.split("::");
  const groupsOf = (part: string) => (part === "" ? [] : part.split(":"));
  const head = groupsOf(left);
  const tail = right === undefined ? [] : groupsOf(right);
  const groups = [...head, ...Array(8 - head.length - tail.length).fill("0"), ...tail];
  return groups.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/** The IPv4 address an IPv6 address embeds and routes to, if it is of such a form. */
function embeddedIPv4(address: string): string | null {
  const b = ipv6Bytes(address);
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const quad = (at: number) => b.slice(at, at + 4).join(".");
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible; :: and ::1 are judged as IPv6).
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return quad(12);
  if (zero(0, 12) && (!zero(12, 15) || (b[15] ?? 0) > 1)) return quad(12);
  // 64:ff9b::a.b.c.d (NAT64, well-known prefix).
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12)) return quad(12);
  // 2002:aabb:ccdd::/48 (6to4).
  if (b[0] === 0x20 && b[1] === 0x02) return quad(2);
  return null;
}

interface Judgement {
  label: string;
  /** The IPv4 address the label was judged on, when the address embeds one. */
  embedded: string | null;
}

/** Why `address` (an IP address) may not be reached under `policy`, or null. */
function judge(address: string, policy: NetworkPolicy): Judgement | null {
  const bare = address.split("%")[0] ?? address;
  const family = net.isIP(bare);
  if (family === 4) {
    if (policy.allow.check(bare, "ipv4")) return null;
    const hit = V4.find((c) => c.list.check(bare, "ipv4"));
    return hit ? { label: hit.label, embedded: null } : null;
  }
  if (family !== 6) return { label: "not an IP address", embedded: null };
  if (policy.allow.check(bare, "ipv6")) return null;
  const v4 = embeddedIPv4(bare);
  if (v4 !== null) {
    const inner = judge(v4, policy);
    return inner ? { label: inner.label, embedded: v4 } : null;
  }
  const hit = V6.find((c) => c.list.check(bare, "ipv6"));
  if (hit) return { label: hit.label, embedded: null };
  return GLOBAL_UNICAST.check(bare, "ipv6") ? null : { label: RESERVED, embedded: null };
}

const labelOf = (j: Judgement) =>
  j.embedded === null ? j.label : `${j.label} (it embeds ${j.embedded})`;

/**
 * Why a webhook may not be sent to `address` (an IPv4 or IPv6 address) under `policy`, e.g.
 * "10.1.2.3 is a private address"; null when it may.
 */
export function addressProblem(address: string, policy: NetworkPolicy): string | null {
  const j = judge(address, policy);
  return j ? `${address} is ${labelOf(j)}` : null;
}

/** Whether `address`, or the IPv4 address it embeds, is in the operator's allow list. */
function allowed(address: string, policy: NetworkPolicy): boolean {
  const bare = address.split("%")[0] ?? address;
  const family = net.isIP(bare);
  if (family === 4) return policy.allow.check(bare, "ipv4");
  if (family !== 6) return false;
  if (policy.allow.check(bare, "ipv6")) return true;
  const v4 = embeddedIPv4(bare);
  return v4 !== null && policy.allow.check(v4, "ipv4");
}

const HTTP_REFUSED =
  "the URL must be https (http is accepted only for addresses in WEBHOOK_ALLOW_NETWORKS)";

/**
 * Why a request to `host` at `addresses` over `protocol` is refused, or null: any refused address
 * refuses the target (the system may connect to any of them), and http needs every one allowed.
 */
function targetRefusal(
  host: string,
  addresses: readonly string[],
  protocol: string,
  policy: NetworkPolicy,
): string | null {
  for (const address of addresses) {
    const j = judge(address, policy);
    if (!j) continue;
    return host === address
      ? `${address} is ${labelOf(j)}`
      : `${host} resolves to ${address}, ${labelOf(j)}`;
  }
  if (protocol === "http:" && !addresses.every((a) => allowed(a, policy))) return HTTP_REFUSED;
  return null;
}

/** The URL's host as an address or name: IPv6 without its brackets. */
const bareHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, "$1");

/** Why `url` can't be used as it stands (scheme, user info), before anything is resolved. */
function urlRefusal(url: URL): string | null {
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return `the URL must be https (not ${url.protocol.replace(/:$/, "")})`;
  }
  // Credentials in the URL would be logged wherever a URL is, and sent as nothing anyway.
  if (url.username !== "" || url.password !== "") {
    return "the URL may not hold a user name or password";
  }
  if (bareHost(url) === "") return "the URL has no host";
  return null;
}

const parseUrl = (text: string): URL | null => {
  try {
    return new URL(text);
  } catch {
    return null;
  }
};

const errorCode = (err: unknown): string | undefined =>
  typeof err === "object" && err !== null && "code" in err && typeof err.code === "string"
    ? err.code
    : undefined;

/**
 * Whether a subscription may be created with (or changed to) `url` under `policy`: null when it
 * may, else the reason for the 400. A literal IP host (including the forms the URL parser
 * normalises, http://2130706433/ → 127.0.0.1) is judged as it is; a name by all it resolves to.
 * Passing here is not enough to send: send checks again on the address it connects to.
 */
export async function checkTarget(
  url: string,
  policy: NetworkPolicy,
  opts: { lookup?: LookupAll } = {},
): Promise<string | null> {
  const parsed = parseUrl(url);
  if (!parsed) return "not a URL";
  const bad = urlRefusal(parsed);
  if (bad) return bad;
  const host = bareHost(parsed);
  if (net.isIP(host) !== 0) return targetRefusal(host, [host], parsed.protocol, policy);
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await (opts.lookup ?? systemLookup)(host);
  } catch (err) {
    return `${host} does not resolve (${errorCode(err) ?? "lookup failed"})`;
  }
  if (addresses.length === 0) return `${host} does not resolve`;
  return targetRefusal(
    host,
    addresses.map((a) => a.address),
    parsed.protocol,
    policy,
  );
}

const MASK = "****";

/**
 * The path segments of `url` that hold a secret: Slack's /services/T…/B…/<secret>, Feishu's and
 * Lark's /open-apis/bot/v2/hook/<token>, and any segment that looks like a token (long, letters
 * and digits mixed, or very long) as other services put their keys in the path too.
 */
function secretSegments(url: URL): Set<number> {
  const segments = url.pathname.split("/");
  const out = new Set<number>();
  segments.forEach((segment, i) => {
    const before = segments[i - 1]?.toLowerCase();
    const slack = segments[i - 3]?.toLowerCase() === "services" && i === segments.length - 1;
    const tokenLike =
      /^[\w.~%-]+$/.test(segment) &&
      ((segment.length >= 16 && /\d/.test(segment) && /[a-z]/i.test(segment)) ||
        segment.length >= 32);
    if (segment !== "" && (before === "hook" || slack || tokenLike)) out.add(i);
  });
  return out;
}

/**
 * `url` as it may be shown and logged: scheme, host, port and path, with token-like path
 * segments and every query value replaced by "****" (WeCom's key=, DingTalk's access_token= and
 * its sign=), no user info and no fragment.
 */
export function maskUrl(url: string): string {
  const parsed = parseUrl(url);
  if (!parsed) return "(not a URL)";
  const masked = secretSegments(parsed);
  const path = parsed.pathname
    .split("/")
    .map((segment, i) => (masked.has(i) ? MASK : segment))
    .join("/");
  const keys = [...parsed.searchParams.keys()];
  const query =
    keys.length === 0 ? "" : `?${keys.map((k) => `${encodeURIComponent(k)}=${MASK}`).join("&")}`;
  return `${parsed.protocol}//${parsed.host}${path}${query}`;
}

/** Everything secret in `url` as it may be echoed back: user info, query values, masked segments. */
function urlSecrets(url: URL): string[] {
  const segments = url.pathname.split("/");
  const raw = [
    url.username,
    url.password,
    ...url.searchParams.values(),
    ...[...secretSegments(url)].map((i) => segments[i] ?? ""),
  ];
  const out = new Set<string>();
  for (const value of raw) {
    // Short values (format=json) are not secrets, and scrubbing them would mangle the excerpt.
    if (value.length < 8) continue;
    out.add(value);
    out.add(encodeURIComponent(value));
    try {
      out.add(decodeURIComponent(value));
    } catch {
      // Not percent-encoded: the value itself is enough.
    }
  }
  return [...out];
}

/** `text` with every secret replaced by "****", the longest first (one may contain another). */
function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(MASK);
  return out;
}

/** The longest prefix of `bytes` that is at most `max` bytes and ends on a UTF-8 character. */
function utf8Prefix(bytes: Buffer, max: number): string {
  if (bytes.length <= max) return bytes.toString("utf8");
  let end = max;
  // A continuation byte (10xxxxxx) at the cut means a character straddles it: leave it out.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
}

/** A failure whose message is final (a policy refusal, a name that does not resolve). */
class Unreachable extends Error {}

/** What went wrong, short: the error's code and Node's one-line message, never a stack. */
function describeError(err: unknown): string {
  if (err instanceof Unreachable) return err.message;
  if (!(err instanceof Error)) return String(err);
  const code = errorCode(err);
  // Happy Eyeballs (autoSelectFamily) fails with an AggregateError of one error per address.
  const message =
    err.message ||
    (err instanceof AggregateError
      ? [...new Set(err.errors.map((e) => (e instanceof Error ? e.message : String(e))))].join("; ")
      : "");
  if (!code) return message || "request failed";
  return message.includes(code) ? message : `${code}: ${message || "request failed"}`;
}

export interface SendOptions {
  policy: NetworkPolicy;
  /** For the whole attempt: connecting, the answer and reading its excerpt. */
  timeoutMs: number;
  /** How much of the body is kept (default 1024); reading stops there. */
  maxResponseBytes?: number;
  /** Scrubbed ("****") from the error and the excerpt, beside the URL's own secrets. */
  secrets?: readonly string[];
  /** Resolves host names (dns.lookup by default). */
  lookup?: LookupAll;
}

/**
 * Sends `req` as one POST and answers what came back; never throws. The target is checked on the
 * address actually connected to (literal IPs before the request, names in the socket's lookup),
 * so a name rebound to a private address since the subscription was written is refused. A 3xx is
 * an answer, not followed: following would reach a second URL no check has seen. `status` is null
 * when there was no answer; `error` says why, or why an answer is not a delivery (a redirect, a
 * body cut off), and holds neither the URL's secrets nor `opts.secrets`.
 */
export async function send(req: OutgoingRequest, opts: SendOptions): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const parsed = parseUrl(req.url);
  const secrets = [...(parsed ? urlSecrets(parsed) : []), ...(opts.secrets ?? [])]
    .filter((s) => s !== "")
    .sort((a, b) => b.length - a.length);
  const clean = (text: string) => scrub(text, secrets);
  const failed = (error: string): AttemptResult => ({
    status: null,
    body: "",
    latency_ms: elapsed(),
    error: clean(error),
  });
  if (!parsed) return failed("not a URL");
  const bad = urlRefusal(parsed);
  if (bad) return failed(bad);
  const url = parsed;
  const host = bareHost(url);
  const literal = net.isIP(host) !== 0;
  // A literal IP never goes through lookup: it is judged here, before any socket exists.
  if (literal) {
    const refused = targetRefusal(host, [host], url.protocol, opts.policy);
    if (refused) return failed(refused);
  }
  const maxBytes = opts.maxResponseBytes ?? 1024;
  // Read a secret's length past the excerpt, so a secret echoed across the cut is still whole
  // when it is scrubbed instead of leaving its first half in the delivery log.
  const readLimit = maxBytes + Math.max(0, ...secrets.map((s) => Buffer.byteLength(s)));
  const resolveAll = opts.lookup ?? systemLookup;

  // The socket's lookup: resolves, refuses the whole target if any address is refused, and hands
  // the socket exactly the addresses judged (one, or all for Happy Eyeballs).
  const guardedLookup: net.LookupFunction = (hostname, options, callback) => {
    resolveAll(hostname).then(
      (found) => {
        const addresses = [...found];
        const first = addresses[0];
        if (!first) return callback(new Unreachable(`${hostname} does not resolve`), []);
        const refused = targetRefusal(
          hostname,
          addresses.map((a) => a.address),
          url.protocol,
          opts.policy,
        );
        if (refused) return callback(new Unreachable(refused), []);
        if (options.all)
          return callback(
            null,
            addresses.map((a) => ({ ...a })),
          );
        callback(null, first.address, first.family);
      },
      (err: unknown) =>
        callback(
          new Unreachable(`${hostname} does not resolve (${errorCode(err) ?? "lookup failed"})`),
          [],
        ),
    );
  };

  const headers: Record<string, string> = {
    "user-agent": "Floorwatch-Webhooks/1",
    ...req.headers,
    "content-length": String(Buffer.byteLength(req.body)),
  };

  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    let request: http.ClientRequest | undefined;
    let onTimeout = () => finish(failed(`timed out after ${opts.timeoutMs} ms`));
    const timer = setTimeout(() => onTimeout(), opts.timeoutMs);
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Whatever is still open (a body streaming on, a half-made connection) goes now: nothing
      // more is read, and no socket outlives its attempt.
      request?.destroy();
      resolve(result);
    };

    try {
      request = (url.protocol === "https:" ? https : http).request(
        {
          protocol: url.protocol,
          host,
          port: url.port === "" ? undefined : Number(url.port),
          path: `${url.pathname}${url.search}`,
          method: "POST",
          headers,
          // A fresh agent per attempt: no pooled socket to a target whose name may have moved.
          agent: false,
          ...(literal ? {} : { lookup: guardedLookup }),
          // The certificate is checked for the name in the URL, not for the address connected to.
          ...(literal || url.protocol !== "https:" ? {} : { servername: host }),
        },
        (res) => {
          const status = res.statusCode ?? null;
          const chunks: Buffer[] = [];
          let size = 0;
          let note: string | null = null;
          if (status !== null && status >= 300 && status < 400) {
            // Relative locations are resolved against the URL, then masked like it.
            let target: string | null = null;
            try {
              target = new URL(res.headers.location ?? "", url).href;
            } catch {
              target = null;
            }
            note =
              res.headers.location !== undefined && target !== null
                ? `redirects are not followed (${status} to ${maskUrl(target)})`
                : `redirects are not followed (${status})`;
          }
          const answered = (error: string | null) => {
            const text = utf8Prefix(Buffer.concat(chunks), readLimit);
            const body = utf8Prefix(Buffer.from(clean(text)), maxBytes);
            finish({
              status,
              body,
              latency_ms: elapsed(),
              error: error === null ? null : clean(error),
            });
          };
          onTimeout = () =>
            answered(note ?? `timed out after ${opts.timeoutMs} ms reading the response body`);
          res.on("data", (chunk: Buffer) => {
            chunks.push(chunk);
            size += chunk.length;
            // Enough for the excerpt: stop reading, a receiver streaming forever can't hold us.
            if (size >= readLimit) answered(note);
          });
          res.on("end", () => answered(note));
          res.on("error", (err) =>
            answered(note ?? `${describeError(err)} reading the response body`),
          );
          res.on("close", () => {
            if (!res.complete) answered(note ?? "the connection closed before the body ended");
          });
        },
      );
      request.on("error", (err) => finish(failed(describeError(err))));
      request.end(req.body);
    } catch (err) {
      // A header value Node refuses (a newline in it) throws before anything is sent.
      finish(failed(describeError(err)));
    }
  });
}
