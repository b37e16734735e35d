// A Server-Sent Events reader over fetch (what the wallboard does: EventSource cannot send an
// Authorization header), for tests of GET /api/v1/live/stream.
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  /** The next event (heartbeat comments are counted, not returned), or throws after `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseEvent>;
  /** Heartbeat comments seen so far. */
  heartbeats(): number;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: "text/event-stream", ...headers },
    signal: abort.signal,
  });
  const queue: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  let beats = 0;
  let done = false;
  const ended = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      const reader = res.body.getReader();
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e: SseEvent = { event: "message", data: "" };
          let any = false;
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) beats++;
            else if (line.startsWith("id: ")) e.id = line.slice(4);
            else if (line.startsWith("event: ")) {
              e.event = line.slice(7);
              any = true;
            } else if (line.startsWith("data: ")) {
              e.data += line.slice(6);
              any = true;
            }
          }
          if (any) queue.push(e);
          for (const w of waiters.splice(0)) w();
        }
      }
    } catch {
      // aborted by close()
    } finally {
      done = true;
      for (const w of waiters.splice(0)) w();
    }
  })();
  return {
    status: res.status,
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0) {
        if (done) throw new Error("stream ended");
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, left);
          waiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
      return queue.shift()!;
    },
    heartbeats: () => beats,
    ended,
    close: () => abort.abort(),
  };
}
