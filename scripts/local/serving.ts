/**
 * Whether the edge at `baseUrl` says every backend serves: `/healthz` answering `ok`, not merely
 * ready (`degraded` while one is down or search still builds its index). What `npm start`, the
 * test stacks and the benchmarks wait for.
 */
export async function everyServiceServing(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/healthz`);
    return res.ok && ((await res.json()) as { status?: string }).status === "ok";
  } catch {
    return false;
  }
}
