// The event page's code, loaded on demand: the route renders it, and a result link starts it on
// hover or focus, so a click rarely waits for it. The seat map is a chunk of its own (not every
// event is seated), started with the page's code when a section is chosen in the URL and by the
// page itself as soon as it runs: by the time the seats arrive, it is there.
import { onDemand } from "../lib/on-demand.ts";

export const eventPageCode = onDemand(() => import("./EventPage.tsx"));
export const seatMapCode = onDemand(() => import("./SeatMap.tsx"));
