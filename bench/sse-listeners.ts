// The listeners of bench:api's SSE measurement, in a process of their own (as TVs are): opens N
// streams, waits until each has a first snapshot, then for `seconds` records, for every snapshot
// every listener receives, the delay from the snapshot's instant (its id) to its arrival.
// Prints one JSON line: { delays, snapshots, dropped }.
import { openSse } from "../test/support/sse";

const [url, token, count, seconds] = process.argv.slice(2);
const streams = await Promise.all(
  Array.from({ length: Number(count) }, () => openSse(url!, { authorization: `Bearer ${token}` })),
);
await Promise.all(streams.map((s) => s.next(60_000)));
process.stdout.write("ready\n");
const delays: number[] = [];
let snapshots = 0;
let dropped = 0;
const until = Date.now() + Number(seconds) * 1000;
await Promise.all(
  streams.map(async (s) => {
    while (Date.now() < until) {
      let e: Awaited<ReturnType<(typeof streams)[number]["next"]>>;
      try {
        e = await s.next(Math.max(1, until - Date.now()));
      } catch (err) {
        if (/ended/.test(String(err))) dropped++;
        return;
      }
      if (e.event !== "snapshot") continue;
      delays.push(Date.now() - Number(e.id));
      snapshots++;
    }
  }),
);
for (const s of streams) s.close();
process.stdout.write(`${JSON.stringify({ delays, snapshots, dropped })}\n`);
process.exit(0);
