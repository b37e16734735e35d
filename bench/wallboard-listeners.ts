// The TV listeners of bench:wallboard, in a process of their own (as TVs are): opens N streams of
// GET /api/v1/live/stream?…&view=tv, each with one of the given display tokens (round robin), waits
// until each has had its first `tv` frame, prints "ready", then records until a line "stop" arrives
// on stdin: for every `tv` frame every listener receives, the delay from the frame's instant
// (`as_of`) to its arrival; the size of each frame's data; every byte read (heartbeats included).
// "lap" prints what was recorded since ready (or the last lap) as one JSON line and starts again;
// "stop" prints the last lap and exits. A lap: { delays, frames, dropped, seconds, bytes,
// frameBytes (mean data bytes of a frame), lastFrameBytes }.
//
//   tsx bench/wallboard-listeners.ts <stream url> <token,token,…> <count>
import { createInterface } from "node:readline";

const [url, tokenList, count] = process.argv.slice(2);
const tokens = tokenList!.split(",");
const n = Number(count);

interface Listener {
  /** Resolves with the first tv frame. */
  first: Promise<void>;
  ended: Promise<void>;
  close(): void;
}

let measuring = false;
let delays: number[] = [];
let frameBytes: number[] = [];
let frames = 0;
let bytes = 0;
let dropped = 0;
let closing = false;
const AS_OF = /"as_of":"([^"]+)"/;

async function listen(token: string): Promise<Listener> {
  const abort = new AbortController();
  let gotFirst!: () => void;
  let failFirst!: (e: unknown) => void;
  const first = new Promise<void>((ok, fail) => {
    gotFirst = ok;
    failFirst = fail;
  });
  first.catch(() => {}); // awaited below with the others; never an unhandled rejection meanwhile
  const res = await fetch(url!, {
    headers: { accept: "text/event-stream", authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  if (res.status !== 200 || !res.body) {
    abort.abort();
    throw new Error(`stream answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  }
  const reader = res.body.getReader();
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    let seen = 0;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const arrived = Date.now();
        if (measuring) bytes += value.byteLength;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = "message";
          let data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("event: ")) event = line.slice(7);
            else if (line.startsWith("data: ")) data += line.slice(6);
          }
          if (event !== "tv") continue;
          if (seen++ === 0) {
            gotFirst(); // the first may be the channel's latest, kept from before: not measured
            continue;
          }
          if (!measuring) continue;
          const asOf = AS_OF.exec(data)?.[1];
          if (asOf) delays.push(arrived - Date.parse(asOf));
          frameBytes.push(Buffer.byteLength(data));
          frames++;
        }
      }
      if (!closing) dropped++;
    } catch (err) {
      if (!closing) {
        dropped++;
        failFirst(err);
      }
    }
    failFirst(new Error("stream ended before its first tv frame"));
  })();
  return { first, ended, close: () => abort.abort() };
}

const listeners: Listener[] = [];
// Opened in groups, as screens coming on over a few seconds would; all at once would measure the
// accept queue.
for (let i = 0; i < n; i += 50)
  listeners.push(
    ...(await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, (_, k) =>
        listen(tokens[(i + k) % tokens.length]!),
      ),
    )),
  );
await Promise.race([
  Promise.all(listeners.map((l) => l.first)),
  new Promise((_, fail) =>
    setTimeout(() => fail(new Error("not every listener had a tv frame within 60 s")), 60_000),
  ),
]);
measuring = true;
let started = Date.now();
process.stdout.write("ready\n");

function lap(): string {
  const out = JSON.stringify({
    delays,
    frames,
    dropped,
    seconds: (Date.now() - started) / 1000,
    bytes,
    frameBytes: frameBytes.length ? frameBytes.reduce((a, b) => a + b, 0) / frameBytes.length : 0,
    lastFrameBytes: frameBytes.at(-1) ?? 0,
  });
  delays = [];
  frameBytes = [];
  frames = 0;
  bytes = 0;
  dropped = 0;
  started = Date.now();
  return `${out}\n`;
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line === "lap") process.stdout.write(lap());
  if (line === "stop") break;
}
measuring = false;
closing = true;
const last = lap();
for (const l of listeners) l.close();
process.stdout.write(last);
process.exit(0);
