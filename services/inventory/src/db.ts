import type { DbModule } from "#platform";
import { WaitingRoom } from "./admission/waiting-room-entity.ts";
import { Booking } from "./entities/booking-entity.ts";
import { Ticket } from "./entities/ticket-entity.ts";
import { Migration20261128075225_Initial } from "./migrations/Migration20261128075225_Initial.ts";
import { Migration20261128120000_AvailablePriceIndex } from "./migrations/Migration20261128120000_AvailablePriceIndex.ts";
import { Migration20261201075801_WaitingRoom } from "./migrations/Migration20261201075801_WaitingRoom.ts";

export const inventoryDb: DbModule = {
  schema: "inventory",
  entities: [Ticket, Booking, WaitingRoom],
  migrations: [
    Migration20261128075225_Initial,
    Migration20261128120000_AvailablePriceIndex,
    Migration20261201075801_WaitingRoom,
  ],
};
