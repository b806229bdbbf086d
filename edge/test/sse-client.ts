// A small Server-Sent Events reader over fetch for tests: collects frames and heartbeats, and
// waits for the next frame that matches.

export interface SseFrame {
  id?: string;
  event: string;
  data: Record<string, unknown>;
}

export interface SseStream {
  status: number;
  headers: Headers;
  frames: SseFrame[];
  /** SSE comments received (`: heartbeat`). */
  comments: number;
  /** Set when the server ended the stream. */
  ended: boolean;
  /** The first frame after the `from`-th that matches, waiting up to `timeoutMs`. */
  next(match?: (f: SseFrame) => boolean, timeoutMs?: number, from?: number): Promise<SseFrame>;
  close(): void;
  /** For a non-200 answer: its JSON body. */
  body?: Record<string, unknown>;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: "text/event-stream", ...headers },
    signal: abort.signal,
  });
  const stream: SseStream = {
    status: res.status,
    headers: res.headers,
    frames: [],
    comments: 0,
    ended: false,
    async next(match = () => true, timeoutMs = 5000, from = 0) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = stream.frames.slice(from).find(match);
        if (found) return found;
        if (stream.ended || Date.now() > deadline) {
          throw new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(stream.frames)}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => abort.abort(),
  };
  if (res.status !== 200 || !res.body) {
    stream.body = (await res.json()) as Record<string, unknown>;
    stream.ended = true;
    return stream;
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        let cut = buffered.indexOf("\n\n");
        while (cut >= 0) {
          parseBlock(buffered.slice(0, cut), stream);
          buffered = buffered.slice(cut + 2);
          cut = buffered.indexOf("\n\n");
        }
      }
    } catch {
      // aborted by close()
    } finally {
      stream.ended = true;
    }
  })();
  return stream;
}

function parseBlock(block: string, stream: SseStream): void {
  let id: string | undefined;
  let event = "message";
  const data: string[] = [];
  let comment = false;
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) comment = true;
    else if (line.startsWith("id: ")) id = line.slice(4);
    else if (line.startsWith("event: ")) event = line.slice(7);
    else if (line.startsWith("data: ")) data.push(line.slice(6));
  }
  if (data.length === 0) {
    if (comment) stream.comments++;
    return;
  }
  stream.frames.push({
    ...(id === undefined ? {} : { id }),
    event,
    data: JSON.parse(data.join("\n")) as Record<string, unknown>,
  });
}
