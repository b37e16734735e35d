// The live stream's fan-out (conventions.md habit 8): per site with at least one listener, one
// snapshot per tick, serialised once, written to every listener. The number of open wallboards
// changes the bytes sent, not the work ClickHouse does.
//
// - A tick every `tickMs` (1 s); between ticks a cheap signature of who waits and what agents do
//   is read every `probeMs`, and a change computes a snapshot at once.
// - Every frame has an `id:` (the snapshot's instant, ms). A client that reconnects with
//   Last-Event-ID gets the current snapshot at once unless it already has it; snapshots are whole
//   states, so nothing older needs replaying. A site's channel outlives its last listener by
//   `lingerMs` (ticking paused), so a lone TV that lost its connection resumes where it was.
// - A heartbeat comment every `heartbeatMs` keeps proxies from closing a quiet stream (ClickHouse
//   down: no snapshots, but an `unavailable` event and heartbeats).
// - A listener that has not taken its last `maxQueued` frames (a stalled TV, a dead network) is
//   dropped, not buffered for without bound; its wallboard reconnects and resumes.
// - A listener whose token is revoked or expires gets a `revoked` event and is closed.
// - One token holds at most `maxStreamsPerToken` streams (the route answers 429 beyond): with
//   sites that exist only (sites.ts), that bounds what one leaked or scripted token can hold open.
// - A TV listener (`view=tv`, issue #12) gets `tv` frames: the snapshot projected onto its layout
//   (tv.ts). Per tick the snapshot is computed once as for everyone, then projected and serialised
//   once per layout with a listener, and the same bytes written to each screen of that layout: a
//   few KiB per screen instead of the whole snapshot, and no work per screen but the write. The
//   whole snapshot is serialised only while a listener wants it.
import type { LiveSnapshot, TvFrame } from "@floorwatch/contracts";
import {
  errorFields,
  liveSignature,
  runQuery,
  type ClickHouseClient,
  type Logger,
} from "@floorwatch/sql";
import type { Principal } from "../auth/roles";

export interface BroadcastOptions {
  tickMs?: number;
  probeMs?: number;
  heartbeatMs?: number;
  maxQueued?: number;
  lingerMs?: number;
  now?: () => number;
  /** Streams one token may hold open at once (a screen or two, with room for reconnections). */
  maxStreamsPerToken?: number;
  /** The snapshot projected onto a layout of the site (`tv` listeners; tv.ts projectTv). */
  tvFrame?: (site: string, layout: string, snap: LiveSnapshot) => Promise<TvFrame>;
}

/** Default of `maxStreamsPerToken`: far above what a person or a TV opens, far below a flood. */
export const MAX_STREAMS_PER_TOKEN = 20;

export interface Listener {
  principal: Principal;
  /** The id of the last frame the client saw (Last-Event-ID), if it is resuming. */
  lastEventId?: string;
  /** A TV: `tv` frames of this layout (its id) instead of whole snapshots. */
  layout?: string;
}

export interface Broadcaster {
  /** A stream of SSE frames for one listener of `site`. */
  subscribe(site: string, listener: Listener): ReadableStream<Uint8Array>;
  /** Sends the site's listeners a snapshot computed now (an alert changed), if any listen. */
  refresh(site: string): void;
  /** Listeners per site (tests, metrics). */
  listeners(site: string): number;
  /** Streams open with one token (by its id). */
  streamsOf(tokenId: string): number;
  /** The ids of the tokens with a stream open now (the screens' "connected", "last seen"). */
  openTokens(): string[];
  readonly maxStreamsPerToken: number;
  close(): void;
}

const encoder = new TextEncoder();
const frame = (event: string, data: unknown, id?: string) =>
  encoder.encode(`${id ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

interface Client {
  controller: ReadableStreamDefaultController<Uint8Array>;
  principal: Principal;
  lastEventId?: string;
  /** A TV's layout id; undefined: whole snapshots. */
  layout?: string;
}

interface Channel {
  clients: Set<Client>;
  timers: ReturnType<typeof setInterval>[];
  linger?: ReturnType<typeof setTimeout>;
  /** The latest snapshot; its `snapshot` frame serialised once a listener wants it. */
  latest?: { id: string; snap: LiveSnapshot; bytes?: Uint8Array };
  /** The latest `tv` frame per layout id. */
  tv: Map<string, { id: string; bytes: Uint8Array }>;
  signature?: string;
  computing: boolean;
}

/** The latest frame for a listener of `layout` (undefined: whole snapshots), if any. */
function latestFor(chan: Channel, layout?: string) {
  if (layout !== undefined) {
    const tv = chan.tv.get(layout);
    return tv && { id: tv.id, bytes: () => tv.bytes };
  }
  const latest = chan.latest;
  return latest && { id: latest.id, bytes: () => snapshotBytes(latest) };
}

/** The snapshot's `snapshot` frame, serialised at most once. */
function snapshotBytes(latest: NonNullable<Channel["latest"]>): Uint8Array {
  latest.bytes ??= frame("snapshot", latest.snap, latest.id);
  return latest.bytes;
}

export function makeBroadcaster(
  ch: ClickHouseClient,
  /** The site's snapshot; `fresh`: computed now, not one shared from earlier in the period. */
  snapshot: (site: string, fresh: boolean) => Promise<LiveSnapshot>,
  stillValid: (p: Principal) => Promise<boolean>,
  log: Logger,
  opts: BroadcastOptions = {},
): Broadcaster {
  const tickMs = opts.tickMs ?? 1_000;
  const probeMs = opts.probeMs ?? 250;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const maxQueued = opts.maxQueued ?? 8;
  const lingerMs = opts.lingerMs ?? 30_000;
  const now = opts.now ?? Date.now;
  const channels = new Map<string, Channel>();
  const perToken = new Map<string, number>();
  const count = (tokenId: string, by: number) => {
    const n = (perToken.get(tokenId) ?? 0) + by;
    if (n > 0) perToken.set(tokenId, n);
    else perToken.delete(tokenId);
  };

  function drop(site: string, c: Client, last?: Uint8Array) {
    const chan = channels.get(site);
    if (chan?.clients.delete(c)) count(c.principal.id, -1);
    try {
      if (last) c.controller.enqueue(last);
      c.controller.close();
    } catch {
      // already closed by the client
    }
    if (chan && chan.clients.size === 0 && chan.timers.length > 0) {
      for (const t of chan.timers) clearInterval(t);
      chan.timers = [];
      chan.linger = setTimeout(() => channels.delete(site), lingerMs);
      chan.linger.unref();
    }
  }

  /** Hands a frame to one client, or drops the client when it has stopped taking them. */
  function send(site: string, c: Client, bytes: Uint8Array) {
    // desiredSize counts frames (highWaterMark 1): 1 − queued. Past maxQueued the client is gone.
    if ((c.controller.desiredSize ?? 0) <= 1 - maxQueued) {
      log.warn("live stream listener too slow; dropped", { site, token: c.principal.id });
      drop(site, c);
      return;
    }
    try {
      c.controller.enqueue(bytes);
    } catch {
      drop(site, c);
    }
  }

  async function tick(site: string, fresh = false) {
    const chan = channels.get(site);
    if (!chan || chan.computing) return;
    chan.computing = true;
    try {
      for (const c of [...chan.clients]) {
        if (!(await stillValid(c.principal)))
          drop(site, c, frame("revoked", { message: "the token was revoked or has expired" }));
      }
      if (chan.clients.size === 0) return;
      const snap = await snapshot(site, fresh);
      const id = String(Date.parse(snap.as_of));
      if (chan.latest?.id !== id) chan.latest = { id, snap };
      const latest = chan.latest;
      // Listeners by what they are sent: whole snapshots, or the frame of one layout.
      const whole: Client[] = [];
      const byLayout = new Map<string, Client[]>();
      for (const c of chan.clients) {
        if (c.layout === undefined) whole.push(c);
        else if (chan.tv.get(c.layout)?.id !== id) {
          const group = byLayout.get(c.layout);
          if (group) group.push(c);
          else byLayout.set(c.layout, [c]);
        }
      }
      if (whole.length > 0 && latest.bytes === undefined) {
        const bytes = snapshotBytes(latest);
        for (const c of whole) send(site, c, bytes);
      }
      if (byLayout.size > 0) await sendTv(site, chan, latest, byLayout);
    } catch (err) {
      log.warn("live snapshot failed; listeners told", { site, ...errorFields(err) });
      const bytes = frame("unavailable", {
        code: "unavailable",
        message: "live figures cannot be computed now; retrying",
      });
      for (const c of [...chan.clients]) send(site, c, bytes);
    } finally {
      chan.computing = false;
    }
  }

  /** Projects the snapshot once per layout and writes each layout's bytes to its listeners. */
  async function sendTv(
    site: string,
    chan: Channel,
    latest: NonNullable<Channel["latest"]>,
    byLayout: Map<string, Client[]>,
  ) {
    const project = opts.tvFrame;
    const layouts = [...byLayout.keys()];
    // Layouts and rules come from caches: usually no statement at all, never one per layout.
    const frames = await Promise.allSettled(
      layouts.map((layout) =>
        project
          ? project(site, layout, latest.snap)
          : Promise.reject(new Error("no TV projection configured")),
      ),
    );
    frames.forEach((r, i) => {
      const layout = layouts[i]!;
      let bytes: Uint8Array;
      if (r.status === "fulfilled") {
        bytes = frame("tv", r.value, latest.id);
        chan.tv.set(layout, { id: latest.id, bytes });
      } else {
        log.warn("TV frame failed; its screens told", { site, layout, ...errorFields(r.reason) });
        bytes = frame("unavailable", {
          code: "unavailable",
          message: "this layout's figures cannot be shown now; retrying",
        });
      }
      for (const c of byLayout.get(layout)!) if (chan.clients.has(c)) send(site, c, bytes);
    });
  }

  async function probe(site: string) {
    const chan = channels.get(site);
    if (!chan || chan.computing) return;
    try {
      const [s] = await runQuery(ch, liveSignature, { site });
      const signature = JSON.stringify(s);
      if (chan.signature !== undefined && chan.signature !== signature) void tick(site, true);
      chan.signature = signature;
    } catch {
      // the tick reports ClickHouse being away
    }
  }

  function channel(site: string): Channel {
    let chan = channels.get(site);
    if (!chan) {
      chan = { clients: new Set(), timers: [], tv: new Map(), computing: false };
      channels.set(site, chan);
    }
    clearTimeout(chan.linger);
    if (chan.timers.length > 0) return chan;
    // A snapshot kept while nobody listened is offered only while it is recent: never old numbers
    // on a screen that has just been switched on.
    if (chan.latest && now() - Number(chan.latest.id) > 2 * tickMs) {
      chan.latest = undefined;
      chan.tv.clear();
    }
    const heartbeat = encoder.encode(": heartbeat\n\n");
    chan.timers.push(
      setInterval(() => void tick(site), tickMs),
      setInterval(() => void probe(site), probeMs),
      setInterval(() => {
        for (const c of [...(channels.get(site)?.clients ?? [])]) send(site, c, heartbeat);
      }, heartbeatMs),
    );
    // Listeners, not timers, keep a server up: a stopping server closes its connections, and
    // with them the channels.
    for (const t of chan.timers) t.unref();
    return chan;
  }

  return {
    subscribe(site, listener) {
      let client: Client;
      return new ReadableStream<Uint8Array>(
        {
          start(controller) {
            const chan = channel(site);
            client = {
              controller,
              principal: listener.principal,
              lastEventId: listener.lastEventId,
              layout: listener.layout,
            };
            chan.clients.add(client);
            count(listener.principal.id, 1);
            // How long a browser waits before reconnecting after a drop.
            controller.enqueue(encoder.encode("retry: 2000\n\n"));
            const latest = latestFor(chan, listener.layout);
            if (latest && latest.id !== listener.lastEventId) controller.enqueue(latest.bytes());
            else if (!latest) void tick(site);
          },
          cancel() {
            drop(site, client);
          },
        },
        new CountQueuingStrategy({ highWaterMark: 1 }),
      );
    },
    refresh(site) {
      if (channels.get(site)?.clients.size) void tick(site, true);
    },
    listeners: (site) => channels.get(site)?.clients.size ?? 0,
    streamsOf: (tokenId) => perToken.get(tokenId) ?? 0,
    openTokens: () => [...perToken.keys()],
    maxStreamsPerToken: opts.maxStreamsPerToken ?? MAX_STREAMS_PER_TOKEN,
    close() {
      for (const [site, chan] of channels) for (const c of [...chan.clients]) drop(site, c);
    },
  };
}
