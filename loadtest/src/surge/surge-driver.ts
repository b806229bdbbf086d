// The onsale at small scale, as buyers see it: everyone joins before opening, the admin opens the
// sale, waiters follow their place (SSE or polling), the admitted hold seats with their admission
// token and book (some walk away, some send their booking twice), a few try to skip the queue.
import { readEvents } from "./sse.ts";
import type { BuyerReport, SurgePlan, SurgeReport } from "./surge-plan.ts";

const finalStates = new Set(["sold_out", "closed", "not_required"]);
const card = {
  cardNumber: "4242 4242 4242 4242",
  expMonth: 12,
  expYear: 2030,
  cvc: "123",
  name: "Surge Fan",
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSurge(plan: SurgePlan): Promise<SurgeReport> {
  const report: SurgeReport = {
    startedAt: Date.now(),
    openedAt: 0,
    finishedAt: 0,
    statuses: {},
    serverErrors: [],
    networkErrors: [],
    buyers: plan.buyerTokens.map((_, index) => ({
      index,
      joined: { status: 0 },
      states: [],
      lastWaitingAt: 0,
      watcher: index < plan.watchers,
      streamEnded: false,
      bookings: [],
      replays: [],
      cheats: [],
      oddAnswers: [],
      abandoned: false,
    })),
    timedOut: false,
  };
  const deadline = report.startedAt + plan.deadlineMs;
  let random = 12345;
  const rnd = () => {
    random = (random * 48271) % 2147483647;
    return random / 2147483647;
  };

  /** A fetch that retries a broken connection (counted: a network error is a failed answer too). */
  const send = async (path: string, init: RequestInit): Promise<Response> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetch(`${plan.url}${path}`, init);
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        report.networkErrors.push(`${init.method ?? "GET"} ${path}: ${cause?.code ?? cause?.message ?? err}`);
        if (attempt === 3) throw err;
        await sleep(200 * attempt);
      }
    }
  };
  const request = async (method: string, path: string, token: string, body?: unknown, headers = {}) => {
    const res = await send(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    report.statuses[res.status] = (report.statuses[res.status] ?? 0) + 1;
    if (res.status >= 500)
      report.serverErrors.push(
        `+${Date.now() - report.startedAt} ms ${method} ${path} → ${res.status} ${text.slice(0, 120)}`,
      );
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      json = { raw: text };
    }
    return { status: res.status, body: json, text };
  };
  const queuePath = `/events/${plan.eventId}/queue`;
  const see = (buyer: BuyerReport, state: string) => {
    if (state === "waiting") buyer.lastWaitingAt = Date.now();
    if (buyer.states.at(-1)?.state !== state) buyer.states.push({ state, at: Date.now() });
  };

  // 1. Everyone joins before the sale opens (the room opens far in the future until the admin says so).
  let next = 0;
  await Promise.all(
    Array.from({ length: plan.concurrency }, async () => {
      while (next < plan.buyerTokens.length) {
        const i = next++;
        const buyer = report.buyers[i] as BuyerReport;
        const res = await request("POST", queuePath, plan.buyerTokens[i] as string);
        buyer.joined = {
          status: res.status,
          state: String(res.body.state),
          position: Number(res.body.position),
        };
      }
    }),
  );

  // Shopping, for whoever is admitted.
  /** The shopping window ran out mid-checkout: the token is refused, as it should be. */
  const expired = (res: { status: number; body: Record<string, unknown> }) =>
    res.status === 403 && /expired/.test(String(res.body.message));

  /**
   * An admitted shopper until their window ends: list the seats, hold one or two free ones, book
   * (or walk away holding them). While every unsold seat is held by others they wait for holds to
   * lapse; once nothing is left to hold they leave the room (DELETE), freeing their slot at once.
   */
  const shop = async (buyer: BuyerReport, token: string, place: Record<string, unknown>) => {
    const admission = String(place.admissionToken);
    const endsAt = Math.min(deadline, Date.parse(String(place.shoppingEndsAt)) || deadline);
    const abandon = rnd() < plan.abandonRate;
    const leave = () => request("DELETE", queuePath, token);
    for (let attempt = 0; Date.now() < endsAt; attempt++) {
      const list = await request("GET", `/events/${plan.eventId}/tickets?section=${plan.sectionId}`, token);
      const tickets = (list.body.tickets as { id: string; status: string }[] | undefined) ?? [];
      const free = tickets.filter((t) => t.status === "AVAILABLE");
      if (free.length === 0) {
        if (list.status === 200 && tickets.every((t) => t.status === "SOLD")) return void (await leave());
        await sleep(plan.retryMs);
        continue;
      }
      const want = Math.min(free.length, 1 + Math.floor(rnd() * 2));
      const start = Math.floor(rnd() * free.length);
      const ticketIds = Array.from(
        { length: want },
        (_, k) => (free[(start + k) % free.length] as { id: string }).id,
      );
      const headers = { "admission-token": admission };
      const held = await request("POST", `/events/${plan.eventId}/holds`, token, { ticketIds }, headers);
      if (held.status === 409) continue;
      if (expired(held)) return;
      if (held.status !== 201) {
        buyer.oddAnswers.push({ status: held.status, body: held.text.slice(0, 200) });
        return;
      }
      if (abandon) {
        // Walks away from the seats (the hold lapses after HOLD_SECONDS and they sell again) and
        // from the room: the slot goes to the next waiter, as the storefront's "leave" does.
        buyer.abandoned = true;
        return void (await leave());
      }
      const key = `surge-${buyer.index}-${attempt}`;
      const bookBody = { ticketIds, holdId: held.body.holdId, paymentDetails: card };
      const booked = await request("POST", `/bookings/${plan.eventId}`, token, bookBody, {
        ...headers,
        "idempotency-key": key,
      });
      if (booked.status === 201) {
        buyer.bookings.push({ bookingId: String(booked.body.bookingId), ticketIds, at: Date.now() });
        if (rnd() < plan.replayRate) {
          const late = Date.now() >= endsAt;
          const again = await request("POST", `/bookings/${plan.eventId}`, token, bookBody, {
            ...headers,
            "idempotency-key": key,
          });
          buyer.replays.push({
            first: String(booked.body.bookingId),
            second: String(again.body.bookingId ?? again.text.slice(0, 200)),
            status: again.status,
            afterWindow: late || Date.now() >= endsAt,
          });
        }
        return;
      }
      if (expired(booked)) return;
      if (booked.status !== 409)
        buyer.oddAnswers.push({ status: booked.status, body: booked.text.slice(0, 200) });
    }
  };

  const cheat = async (buyer: BuyerReport, token: string) => {
    const held = await request("POST", `/events/${plan.eventId}/holds`, token, {
      ticketIds: [plan.sectionId],
    });
    buyer.cheats.push(held.status);
  };

  /** A waiter from before the opening until the end; `ready` once they have seen their place. */
  const follow = async (buyer: BuyerReport, ready: () => void) => {
    const token = plan.buyerTokens[buyer.index] as string;
    if (rnd() < plan.cheatRate) await cheat(buyer, token);
    if (buyer.watcher) {
      const res = await send(`${queuePath}/stream`, { headers: { authorization: `Bearer ${token}` } }).catch(
        () => undefined,
      );
      if (res) report.statuses[res.status] = (report.statuses[res.status] ?? 0) + 1;
      if (res?.status !== 200 || !res.body) return ready();
      let admitted: Record<string, unknown> | undefined;
      await readEvents(res.body as unknown as AsyncIterable<Uint8Array>, (event) => {
        see(buyer, String(event.state));
        ready();
        if (event.state === "admitted") admitted = event;
      });
      buyer.streamEnded = true;
      if (admitted) await shop(buyer, token, admitted);
      return;
    }
    ready();
    while (Date.now() < deadline) {
      await sleep(plan.pollMs * (0.5 + rnd()));
      const res = await request("GET", queuePath, token);
      const state = String(res.body.state);
      see(buyer, state);
      if (state === "admitted") return shop(buyer, token, res.body);
      if (finalStates.has(state)) return;
    }
  };

  // 2. Everyone waits on the room's page (streams open, pollers polling), then the admin opens the sale.
  const readies: Promise<void>[] = [];
  const following = report.buyers.map((buyer) => {
    let ready = () => {};
    readies.push(
      new Promise<void>((resolve) => {
        ready = resolve;
      }),
    );
    return follow(buyer, ready);
  });
  await Promise.all(readies);
  const opened = await fetch(`${plan.url}/ticketing.queue.v1.QueueService/SetQueueSettings`, {
    method: "POST",
    headers: { authorization: `Bearer ${plan.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({
      eventId: plan.eventId,
      settings: { enabled: true, ...plan.settings, opensAt: new Date(Date.now() + 300).toISOString() },
    }),
  });
  if (!opened.ok) throw new Error(`opening the sale failed: ${opened.status} ${await opened.text()}`);
  report.openedAt = Date.now();

  await Promise.all(following);
  report.timedOut = Date.now() >= deadline;
  report.finishedAt = Date.now();
  return report;
}
