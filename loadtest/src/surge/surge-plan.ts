// What one surge run does, and what it reports back: plain JSON, so the driver can run in a
// process of its own (the load must not share a core with the servers it measures).

export interface SurgePlan {
  /** The public address (HAProxy in CI). */
  url: string;
  eventId: string;
  sectionId: string;
  /** One bearer token per simulated buyer. */
  buyerTokens: string[];
  /** An admin's bearer token: the driver opens the sale once everyone has joined. */
  adminToken: string;
  /** The room's settings while open (opensAt is set by the driver). */
  settings: { maxActiveShoppers: number; admissionsPerMinute: number; shoppingWindowSeconds: number };
  /** Buyers 0..watchers-1 follow their place over SSE; the others poll GET …/queue. */
  watchers: number;
  pollMs: number;
  /** How long a shopper who finds every unsold seat held waits before looking again. */
  retryMs: number;
  /** Share of admitted shoppers who hold seats and walk away. */
  abandonRate: number;
  /** Share of bookings sent twice with the same Idempotency-Key. */
  replayRate: number;
  /** Share of waiting buyers who try to hold seats without a token (must get 403). */
  cheatRate: number;
  /** Joins in flight at once. */
  concurrency: number;
  /** Give up after this long (ms). */
  deadlineMs: number;
}

export interface BuyerReport {
  index: number;
  /** The state the join answered (pre-queue joins say waiting, position 0). */
  joined: { status: number; state?: string; position?: number };
  /** States seen, in order, with the time (ms since epoch) each was first seen. */
  states: { state: string; at: number }[];
  /** When this buyer was last told "waiting" (polls and stream events alike). */
  lastWaitingAt: number;
  watcher: boolean;
  /** For watchers: whether the stream ended after a final state. */
  streamEnded: boolean;
  bookings: { bookingId: string; ticketIds: string[]; at: number }[];
  /** Replayed bookings: the second answer's booking id (or body), and whether the window had ended. */
  replays: { first: string; second: string; status: number; afterWindow: boolean }[];
  /** Statuses of hold attempts made without an admission token. */
  cheats: number[];
  /** Hold/booking answers other than 201/409/403 seen while shopping. */
  oddAnswers: { status: number; body: string }[];
  abandoned: boolean;
}

export interface SurgeReport {
  startedAt: number;
  openedAt: number;
  finishedAt: number;
  /** Every HTTP status the driver got, counted. */
  statuses: Record<string, number>;
  /** 5xx answers with their route, for the failure message. */
  serverErrors: string[];
  /** Requests whose connection failed (each retried up to three times). */
  networkErrors: string[];
  buyers: BuyerReport[];
  timedOut: boolean;
}
