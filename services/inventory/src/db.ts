import type { DbModule } from "#platform";
import { WaitingRoom } from "./admission/waiting-room-entity.ts";
import { Booking } from "./entities/booking-entity.ts";
import { EventSale, FeedPosition } from "./entities/event-sale-entity.ts";
import { Ticket } from "./entities/ticket-entity.ts";
import { Migration20261128075225_Initial } from "./migrations/Migration20261128075225_Initial.ts";
import { Migration20261128120000_AvailablePriceIndex } from "./migrations/Migration20261128120000_AvailablePriceIndex.ts";
import { Migration20261201075801_WaitingRoom } from "./migrations/Migration20261201075801_WaitingRoom.ts";
import { Migration20261201081000_BookingNeedsReview } from "./migrations/Migration20261201081000_BookingNeedsReview.ts";
import { Migration20261201082000_EventSale } from "./migrations/Migration20261201082000_EventSale.ts";

export const inventoryDb: DbModule = {
  schema: "inventory",
  entities: [Ticket, Booking, WaitingRoom, EventSale, FeedPosition],
  migrations: [
    Migration20261128075225_Initial,
    Migration20261128120000_AvailablePriceIndex,
    Migration20261201075801_WaitingRoom,
    Migration20261201081000_BookingNeedsReview,
    Migration20261201082000_EventSale,
  ],
};
