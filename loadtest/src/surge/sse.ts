// Reads a Server-Sent Events response into its `data:` JSON payloads as they arrive.

/** Calls `onEvent` for every `data:` payload (JSON) of the stream; resolves when the server ends it. */
export async function readEvents(
  body: AsyncIterable<Uint8Array>,
  onEvent: (event: Record<string, unknown>) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const data = buffer
        .slice(0, end)
        .split("\n")
        .filter((l) => l.startsWith("data: "))
        .map((l) => l.slice(6))
        .join("");
      buffer = buffer.slice(end + 2);
      if (data) onEvent(JSON.parse(data) as Record<string, unknown>);
      end = buffer.indexOf("\n\n");
    }
  }
}
