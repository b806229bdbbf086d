// A section's tickets with live status. Until a live stream exists the page re-reads them every
// few seconds; taken seats drop out of the buyer's selection with a message naming them.
import { api } from "../api/client.ts";
import { useLoad } from "../lib/use-load.ts";

export const refreshMs = 3000;

export function useSectionTickets(eventId: string, sectionId: string | undefined) {
  return useLoad(
    async (signal) =>
      sectionId ? (await api.listSectionTickets({ eventId, sectionId }, { signal })).tickets : [],
    [eventId, sectionId],
    sectionId ? refreshMs : 0,
  );
}
