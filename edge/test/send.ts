// A JSON request to the edge for tests that look at status, Retry-After and the JSON body: a POST
// when there is a body, else a GET.
export type Sent = {
  status: number;
  retryAfter: string | null;
  body: Record<string, unknown> & { code?: string; message?: string };
};

export async function send(
  url: string,
  path: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Sent> {
  const res = await fetch(`${url}${path}`, {
    method: init.body === undefined ? "GET" : "POST",
    headers: { ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    body: text ? JSON.parse(text) : {},
  };
}
