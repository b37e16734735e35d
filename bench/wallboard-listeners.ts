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
import { get } from "node:http";
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

/**
 * One TV's stream over node:http, not fetch: what is measured is the server's fan-out, and 500
 * web-stream readers in one process on the same two cores cost more per frame than the server's
 * write does (a TV reads its one stream on a machine of its own).
 */
function listen(token: string): Promise<Listener> {
  let gotFirst!: () => void;
  let failFirst!: (e: unknown) => void;
  const first = new Promise<void>((ok, fail) => {
    gotFirst = ok;
    failFirst = fail;
  });
  first.catch(() => {}); // awaited below with the others; never an unhandled rejection meanwhile
  let endedOk!: () => void;
  const ended = new Promise<void>((ok) => {
    endedOk = ok;
  });
  return new Promise<Listener>((resolve, reject) => {
    const req = get(
      url!,
      { headers: { accept: "text/event-stream", authorization: `Bearer ${token}` }, agent: false },
      (res) => {
        if (res.statusCode !== 200) {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => {
            text += c;
          });
          res.on("end", () =>
            reject(new Error(`stream answered ${res.statusCode}: ${text.slice(0, 300)}`)),
          );
          return;
        }
        resolve({ first, ended, close: () => req.destroy() });
        res.setEncoding("utf8");
        let buffer = "";
        let seen = 0;
        res.on("data", (chunk: string) => {
          const arrived = Date.now();
          if (measuring) bytes += Buffer.byteLength(chunk);
          buffer += chunk;
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
        });
        const end = () => {
          if (!closing) dropped++;
          failFirst(new Error("stream ended before its first tv frame"));
          endedOk();
        };
        res.on("end", end);
        res.on("error", end);
      },
    );
    req.on("error", (err) => {
      if (!closing) failFirst(err);
      reject(err);
    });
  });
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
