// Unit test of the storefront's date formatting (no browser): times read as the venue's clock.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { expect } from "chai";
import { when } from "../src/lib/format.ts";

describe("storefront: event times in the venue's time zone", () => {
  const at = timestampFromDate(new Date("2027-03-14T20:00:00Z"));

  it("shows the venue's local date, time and zone, whatever the process's zone", () => {
    expect(when(at, "Europe/London")).to.equal("Sun, Mar 14, 2027, 8:00 PM GMT");
    expect(when(at, "America/New_York")).to.equal("Sun, Mar 14, 2027, 4:00 PM EDT");
    // Past midnight in Tokyo: the local date moves on too.
    expect(when(at, "Asia/Tokyo")).to.equal("Mon, Mar 15, 2027, 5:00 AM GMT+9");
  });

  it("falls back to the runtime's zone, still named, for a missing or unknown zone", () => {
    const local = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" })
      .formatToParts(new Date("2027-03-14T20:00:00Z"))
      .find((p) => p.type === "timeZoneName")?.value;
    expect(when(at, ""))
      .to.match(/2027/)
      .and.to.have.string(local ?? "?");
    expect(when(at, "Mars/Olympus_Mons")).to.equal(when(at));
    expect(when(undefined, "Europe/London")).to.equal("Date to be announced");
  });
});
