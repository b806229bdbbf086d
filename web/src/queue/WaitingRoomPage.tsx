// The waiting room: the buyer's place in line, people ahead, the estimated wait and a progress
// bar, kept current by the WatchQueue stream (re-opened if it drops, after a wait that grows with
// the estimated wait: reconnect-delay.ts). Admitted → straight back to the seats with the
// admission token; sold out → said at once.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useEffect, useRef, useState } from "react";
import { Link, Navigate, useNavigate, useParams, useSearchParams } from "react-router";
import { QueueState, type QueueStatus } from "#gen/ticketing/queue/v1/queue_pb.js";
import { api } from "../api/client.ts";
import { problemOf } from "../api/problems.ts";
import { useSession } from "../api/session.ts";
import { when } from "../lib/format.ts";
import { useLoad } from "../lib/use-load.ts";
import { useTitle } from "../lib/use-title.ts";
import { safeNext } from "../pages/SignInPage.tsx";
import { admissions, queuePath } from "./admissions.ts";
import { reconnectDelayMs } from "./reconnect-delay.ts";

function waitText(seconds: number | undefined): string {
  if (seconds === undefined) return "Estimating your wait…";
  if (seconds < 60) return "Less than a minute to go";
  const minutes = Math.round(seconds / 60);
  return minutes < 90
    ? `About ${minutes} minute${minutes === 1 ? "" : "s"} to go`
    : `About ${Math.round(minutes / 60)} hours to go`;
}

export function WaitingRoomPage() {
  const { eventId = "" } = useParams();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next") ?? `/e/${eventId}`);
  const navigate = useNavigate();
  const me = useSession();
  const [status, setStatus] = useState<QueueStatus>();
  const [error, setError] = useState<string>();
  const firstPosition = useRef(0);
  const page = useLoad((signal) => api.getEventPage({ eventId }, { signal }), [eventId]);
  useTitle("Waiting room");

  useEffect(() => {
    if (!me) return;
    const controller = new AbortController();
    const { signal } = controller;
    const follow = async () => {
      let estimate: number | undefined;
      let failures = 0;
      const seen = (status: QueueStatus | undefined) => {
        if (!status) return;
        setStatus(status);
        estimate = status.estimatedWaitSeconds;
        failures = 0;
      };
      while (!signal.aborted) {
        try {
          seen((await api.joinQueue({ eventId }, { signal })).status);
          for await (const res of api.watchQueue({ eventId }, { signal })) {
            seen(res.status);
            setError(undefined);
          }
          return;
        } catch (err) {
          if (signal.aborted) return;
          const p = problemOf(err);
          setError(p.kind === "busy" ? "Reconnecting…" : p.message);
          if (p.kind !== "busy") return;
          failures += 1;
          await new Promise((r) => setTimeout(r, reconnectDelayMs(estimate, failures)));
        }
      }
    };
    void follow();
    return () => controller.abort();
  }, [eventId, me]);

  useEffect(() => {
    if (!status) return;
    if (status.state === QueueState.WAITING && status.position > firstPosition.current)
      firstPosition.current = Number(status.position);
    if (status.state === QueueState.ADMITTED) {
      const endsAt = status.shoppingEndsAt ? timestampDate(status.shoppingEndsAt).getTime() : Date.now();
      admissions.save(eventId, status.admissionToken, endsAt);
      navigate(next, { replace: true });
    } else if (status.state === QueueState.NOT_REQUIRED) navigate(next, { replace: true });
  }, [status, eventId, next, navigate]);

  if (!me) return <Navigate to={`/signin?next=${encodeURIComponent(queuePath(eventId, next))}`} replace />;

  const event = page.data?.event;
  const position = Number(status?.position ?? 0);
  const ahead = Number(status?.ahead ?? 0);
  const opensAt = status?.opensAt ? timestampDate(status.opensAt) : undefined;
  const drawn = position > 0;
  const first = Math.max(firstPosition.current, position, 1);
  return (
    <section className="narrow waiting-room">
      <h1>Waiting room</h1>
      {event && (
        <p>
          <strong>{event.name}</strong> · {when(event.startsAt, page.data?.venue?.timezone)}
        </p>
      )}
      {status?.state === QueueState.SOLD_OUT && (
        <div role="alert" className="ended">
          <p>Sold out: every ticket for this event has been sold.</p>
          <p>
            <Link to="/search">Find other events</Link>
          </p>
        </div>
      )}
      {status?.state === QueueState.CLOSED && (
        <div role="alert" className="ended">
          <p>Your shopping time for this event is over.</p>
          <p>
            <Link to={`/e/${eventId}`}>Back to the event</Link>
          </p>
        </div>
      )}
      {(!status || status.state === QueueState.WAITING) && (
        <>
          <p>
            Lots of people want tickets for this event. Keep this page open: you will go straight to the seats
            when it is your turn.
          </p>
          <div className="place" role="status" aria-live="polite">
            {!status && <p>Joining the line…</p>}
            {status && !drawn && opensAt && (
              <p>
                The line opens {when(status.opensAt)}. Everyone who arrives before then gets a random place at
                opening.
              </p>
            )}
            {status && drawn && (
              <>
                <p className="big">You are number {position.toLocaleString("en-US")} in line</p>
                <p>
                  {ahead === 0
                    ? "Nobody is ahead of you."
                    : `${ahead.toLocaleString("en-US")} ${ahead === 1 ? "person is" : "people are"} ahead of you.`}{" "}
                  {waitText(status.estimatedWaitSeconds)}.
                </p>
              </>
            )}
          </div>
          {drawn && (
            <progress
              max={first}
              value={Math.max(0, first - position)}
              aria-label="Progress to the front of the line"
            />
          )}
        </>
      )}
      {error && <p className="error">{error}</p>}
    </section>
  );
}
