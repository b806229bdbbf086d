import { Link, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { session, useSession } from "../api/session.ts";

/** The frame of every page: skip link, header with navigation and sign-in state, live region. */
export function Layout() {
  const me = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          Ticketing
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/search">Search</NavLink>
            </li>
            {me && (
              <li>
                <NavLink to="/my/bookings">My bookings</NavLink>
              </li>
            )}
            {me?.user.role === "admin" && (
              <li>
                <NavLink to="/admin">Admin</NavLink>
              </li>
            )}
            <li>
              {me ? (
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    session.end();
                    navigate("/");
                  }}
                >
                  Sign out <span className="who">({me.user.email})</span>
                </button>
              ) : (
                <NavLink to={`/signin?next=${encodeURIComponent(here)}`}>Sign in</NavLink>
              )}
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>Ticketing — an open-source box office.</p>
      </footer>
      <div id="announcer" className="visually-hidden" aria-live="polite" aria-atomic="true" />
    </>
  );
}
