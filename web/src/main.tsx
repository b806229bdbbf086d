// The storefront: real URLs for every page (deep links and Back work). The home, search and
// sign-in pages are in the first bundle; the event page (seat map), checkout, bookings and admin
// load on demand. Declarative routing: the data router would add ~20 kB gzip to every page.
import { type ComponentType, lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Route, Routes } from "react-router";
import { Layout } from "./components/Layout.tsx";
import { HomePage } from "./pages/HomePage.tsx";
import { NotFoundPage } from "./pages/NotFoundPage.tsx";
import { SearchPage } from "./pages/SearchPage.tsx";
import { SignInPage } from "./pages/SignInPage.tsx";
import "./styles.css";

function page<M>(load: () => Promise<M>, pick: (m: M) => ComponentType) {
  const Page = lazy(async () => ({ default: pick(await load()) }));
  return (
    <Suspense fallback={<p aria-busy="true">Loading…</p>}>
      <Page />
    </Suspense>
  );
}

const eventPage = page(
  () => import("./event/EventPage.tsx"),
  (m) => m.EventPage,
);
const checkoutPage = page(
  () => import("./checkout/CheckoutPage.tsx"),
  (m) => m.CheckoutPage,
);
const confirmationPage = page(
  () => import("./bookings/BookingDetail.tsx"),
  (m) => () => <m.BookingDetail confirmation />,
);
const bookingPage = page(
  () => import("./bookings/BookingDetail.tsx"),
  (m) => m.BookingDetail,
);
const myBookingsPage = page(
  () => import("./bookings/MyBookingsPage.tsx"),
  (m) => m.MyBookingsPage,
);
const waitingRoomPage = page(
  () => import("./queue/WaitingRoomPage.tsx"),
  (m) => m.WaitingRoomPage,
);
const adminPage = page(
  () => import("./admin/AdminPage.tsx"),
  (m) => m.AdminPage,
);

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
