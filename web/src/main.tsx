// The storefront: real URLs for every page (deep links and Back work). The home, search and
// sign-in pages are in the first bundle; the event page (seat map), checkout, bookings and admin
// load on demand, without Suspense (lib/on-demand.ts says why). Declarative routing: the data
// router would add ~20 kB gzip to every page.
import { type ReactNode, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Route, Routes } from "react-router";
import { Layout } from "./components/Layout.tsx";
import { eventPageCode, seatMapCode } from "./event/event-code.ts";
import { eventRouteOf, prefetchEvent } from "./event/event-prefetch.ts";
import { type OnDemand, onDemand, useOnDemand } from "./lib/on-demand.ts";
import { HomePage } from "./pages/HomePage.tsx";
import { NotFoundPage } from "./pages/NotFoundPage.tsx";
import { SearchPage } from "./pages/SearchPage.tsx";
import { SignInPage } from "./pages/SignInPage.tsx";
import "./styles.css";

/** A page whose code loads on demand: a placeholder until it arrives, then the page. */
function OnDemandPage<M>({ code, render }: { code: OnDemand<M>; render: (m: M) => ReactNode }) {
  const { module, failed } = useOnDemand(code);
  if (failed) return <p role="alert">This page could not be loaded. Please reload.</p>;
  if (!module) return <p aria-busy="true">Loading…</p>;
  return render(module);
}

const page = <M,>(code: OnDemand<M>, render: (m: M) => ReactNode) => (
  <OnDemandPage code={code} render={render} />
);

const eventPage = page(eventPageCode, (m) => <m.EventPage />);
const bookingCode = onDemand(() => import("./bookings/BookingDetail.tsx"));
const checkoutPage = page(
  onDemand(() => import("./checkout/CheckoutPage.tsx")),
  (m) => <m.CheckoutPage />,
);
const confirmationPage = page(bookingCode, (m) => <m.BookingDetail confirmation />);
const bookingPage = page(bookingCode, (m) => <m.BookingDetail />);
const myBookingsPage = page(
  onDemand(() => import("./bookings/MyBookingsPage.tsx")),
  (m) => <m.MyBookingsPage />,
);
const waitingRoomPage = page(
  onDemand(() => import("./queue/WaitingRoomPage.tsx")),
  (m) => <m.WaitingRoomPage />,
);
const adminPage = page(
  onDemand(() => import("./admin/AdminPage.tsx")),
  (m) => <m.AdminPage />,
);

// Opened on an event's URL: its code and data start loading together, before React even renders.
const opening = eventRouteOf(window.location.pathname, window.location.search);
if (opening) {
  void eventPageCode.preload().catch(() => {});
  if (opening.sectionId) void seatMapCode.preload().catch(() => {});
  prefetchEvent(opening.eventId, opening.sectionId);
}

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <BrowserRouter>
        <Routes>
          <Route path="/" element={<Layout />}>
            <Route index element={<HomePage />} />
            <Route path="search" element={<SearchPage />} />
            <Route path="signin" element={<SignInPage />} />
            <Route path="e/:eventId" element={eventPage} />
            <Route path="checkout/:holdId" element={checkoutPage} />
            <Route path="confirmation/:bookingId" element={confirmationPage} />
            <Route path="my/bookings" element={myBookingsPage} />
            <Route path="my/bookings/:bookingId" element={bookingPage} />
            <Route path="queue/:eventId" element={waitingRoomPage} />
            <Route path="admin" element={adminPage} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </StrictMode>,
  );
}
