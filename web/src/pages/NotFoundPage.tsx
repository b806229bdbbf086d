import { Link } from "react-router";
import { useTitle } from "../lib/use-title.ts";

export function NotFoundPage() {
  useTitle("Page not found");
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Go to the home page</Link> or{" "}
        <Link to="/search">search for events</Link>.
      </p>
    </>
  );
}
