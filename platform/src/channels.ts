// Redis pub/sub channel names shared by publishers and subscribers in different processes. ioredis
// does not apply `keyPrefix` to channels, so each name carries the prefix itself (tests run several
// stacks on one Redis, each under its own prefix). Payloads are proto messages defined in proto/.

/** An event's seat channel: inventory publishes `ticketing.inventory.v1.SeatChange` on it. */
export function seatChannel(prefix: string, eventId: string): string {
  return `${prefix}seats:${eventId}`;
}

/** The pattern matching every event's seat channel (PSUBSCRIBE), and how to read the event back. */
export const seatChannels = {
  pattern: (prefix: string): string => `${prefix}seats:*`,
  eventOf: (prefix: string, channel: string): string => channel.slice(`${prefix}seats:`.length),
};

/** The catalog's change channel: catalog publishes the sequence of each committed change on it. */
export function catalogChangesChannel(prefix: string): string {
  return `${prefix}catalog:changes`;
}
