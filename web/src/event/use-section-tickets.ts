// A section's tickets with live status from the WatchAvailability stream: a snapshot, then each
// change as it happens (coalesced by the edge), resumed from the last sequence after a drop. While
// the stream is down the section is re-read every few seconds instead, so the map never freezes.
import { useCallback, useEffect, useRef, useState } from "react";
import type { Ticket } from "#gen/ticketing/inventory/v1/inventory_pb.js";
import { api } from "../api/client.ts";
import { prefetchedSection } from "./event-prefetch.ts";

const retryMs = 3000;
/**
 * A re-read while the stream is up too: a change the stream never delivered (a release whose
 * announcement came late, a snapshot taken a moment before a lease ran out) is corrected within
 * this long instead of lasting until a reload. Cheap: the edge micro-caches the read.
 */
const reconcileMs = 10_000;

export function useSectionTickets(eventId: string, sectionId: string | undefined) {
  const [data, setData] = useState<Ticket[]>();
  const [error, setError] = useState<unknown>();
  const current = useRef<Ticket[]>([]);

  const publish = useCallback((tickets: Ticket[]) => {
    current.current = tickets;
    setData(tickets);
  }, []);

  const reload = useCallback(async () => {
    if (!sectionId) return;
    publish((await api.listSectionTickets({ eventId, sectionId })).tickets);
  }, [eventId, sectionId, publish]);

  useEffect(() => {
    setData(undefined);
    current.current = [];
    if (!sectionId) {
      setData([]);
      return;
    }
    const controller = new AbortController();
    const { signal } = controller;
    // A plain read alongside the stream: the edge micro-caches it, so it usually answers before the
    // stream's snapshot does; once the stream has said anything, it is the one that counts.
    let streamed = false;
    (prefetchedSection(eventId, sectionId) ?? api.listSectionTickets({ eventId, sectionId }, { signal }))
      .then((res) => {
        if (!streamed && !signal.aborted) publish(res.tickets);
      })
      .catch(() => {});
    // When the stream last changed a seat: a re-read that may predate it (the edge micro-caches
    // reads for about a second) must not undo it.
    let streamedAt = 0;
    const follow = async () => {
      let after = 0n;
      while (!signal.aborted) {
        try {
          for await (const msg of api.watchAvailability(
            { eventId, sectionId, afterSequence: after },
            { signal },
          )) {
            after = msg.sequence;
            streamed = true;
            if (msg.update.case === "snapshot") publish(msg.update.value.seats);
            else if (msg.update.case === "changes" && msg.update.value.seats.length > 0) {
              streamedAt = Date.now();
              const status = new Map(msg.update.value.seats.map((s) => [s.ticketId, s.status]));
              publish(
                current.current.map((t) => {
                  const next = status.get(t.id);
                  return next === undefined || next === t.status ? t : { ...t, status: next };
                }),
              );
            }
            setError(undefined);
          }
          // The edge ended the stream (a restart, a deploy): pick it up again from `after`.
          await new Promise((r) => setTimeout(r, 250));
        } catch (err) {
          if (signal.aborted) return;
          setError(err);
          await api
            .listSectionTickets({ eventId, sectionId }, { signal })
            .then((res) => publish(res.tickets))
            .catch(() => {});
          await new Promise((r) => setTimeout(r, retryMs));
        }
      }
    };
    void follow();
    const reconcile = setInterval(() => {
      if (document.visibilityState !== "visible") return;
      const started = Date.now();
      api
        .listSectionTickets({ eventId, sectionId }, { signal })
        .then((res) => {
          if (streamedAt < started - 2000) publish(res.tickets);
        })
        .catch(() => {});
    }, reconcileMs);
    return () => {
      clearInterval(reconcile);
      controller.abort();
    };
  }, [eventId, sectionId, publish]);

  return { data, error, reload };
}
