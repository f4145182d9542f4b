// Session rules across the March and November DST switches of both zones, weekends and the daily
// futures halt.
import assert from "node:assert/strict";
import { isOpen, offsetMs, openIntervals, zonedTimeToUtcNs } from "./sessions.ts";

const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;
const iv = (start: string, end: string) => ({ startNs: ns(start), endNs: ns(end) });

Deno.test("zonedTimeToUtcNs() uses standard time before and daylight time after the March switch", () => {
  // 2025-03-09 is the switch in both zones.
  assert.equal(zonedTimeToUtcNs("2025-03-07", "16:00", "America/Chicago"), ns("2025-03-07T22:00Z"));
  assert.equal(zonedTimeToUtcNs("2025-03-09", "17:00", "America/Chicago"), ns("2025-03-09T22:00Z"));
  assert.equal(
    zonedTimeToUtcNs("2025-03-07", "09:30", "America/New_York"),
    ns("2025-03-07T14:30Z"),
  );
  assert.equal(
    zonedTimeToUtcNs("2025-03-10", "09:30", "America/New_York"),
    ns("2025-03-10T13:30Z"),
  );
});

Deno.test("zonedTimeToUtcNs() uses daylight time before and standard time after the November switch", () => {
  // 2025-11-02 is the switch in both zones.
  assert.equal(zonedTimeToUtcNs("2025-10-31", "16:00", "America/Chicago"), ns("2025-10-31T21:00Z"));
  assert.equal(zonedTimeToUtcNs("2025-11-02", "17:00", "America/Chicago"), ns("2025-11-02T23:00Z"));
  assert.equal(
    zonedTimeToUtcNs("2025-10-31", "16:00", "America/New_York"),
    ns("2025-10-31T20:00Z"),
  );
  assert.equal(
    zonedTimeToUtcNs("2025-11-03", "16:00", "America/New_York"),
    ns("2025-11-03T21:00Z"),
  );
});

Deno.test("zonedTimeToUtcNs() takes the earlier of a repeated time and moves a skipped one forward", () => {
  assert.equal(zonedTimeToUtcNs("2025-11-02", "01:30", "America/Chicago"), ns("2025-11-02T06:30Z"));
  assert.equal(zonedTimeToUtcNs("2025-03-09", "02:30", "America/Chicago"), ns("2025-03-09T08:30Z"));
  assert.equal(zonedTimeToUtcNs("2025-06-01", "00:00", "UTC"), ns("2025-06-01T00:00Z"));
});

Deno.test("zonedTimeToUtcNs() rejects malformed dates and times with one line", () => {
  assert.throws(() => zonedTimeToUtcNs("2025-02-30", "10:00", "UTC"), /no such day/);
  assert.throws(() => zonedTimeToUtcNs("2025-2-3", "10:00", "UTC"), /expected YYYY-MM-DD/);
  assert.throws(() => zonedTimeToUtcNs("2025-02-03", "24:00", "UTC"), /expected HH:MM/);
});

Deno.test("offsetMs() is the zone's offset at the instant", () => {
  assert.equal(offsetMs("America/New_York", Date.parse("2025-01-15T12:00Z")), -5 * 3_600_000);
  assert.equal(offsetMs("America/New_York", Date.parse("2025-07-15T12:00Z")), -4 * 3_600_000);
});

Deno.test("openIntervals() of futures has the weekend and the daily halt across the March switch", () => {
  assert.deepEqual(
    openIntervals("futures", ns("2025-03-07T00:00Z"), ns("2025-03-12T00:00Z")),
    [
      iv("2025-03-07T00:00Z", "2025-03-07T22:00Z"), // Thursday's session until Friday 16:00 CST
      iv("2025-03-09T22:00Z", "2025-03-10T21:00Z"), // Sunday 17:00 CDT .. Monday 16:00 CDT
      iv("2025-03-10T22:00Z", "2025-03-11T21:00Z"),
      iv("2025-03-11T22:00Z", "2025-03-12T00:00Z"),
    ],
  );
});

Deno.test("openIntervals() of futures across the November switch", () => {
  assert.deepEqual(
    openIntervals("futures", ns("2025-10-31T12:00Z"), ns("2025-11-04T00:00Z")),
    [
      iv("2025-10-31T12:00Z", "2025-10-31T21:00Z"), // Friday 16:00 CDT
      iv("2025-11-02T23:00Z", "2025-11-03T22:00Z"), // Sunday 17:00 CST .. Monday 16:00 CST
      iv("2025-11-03T23:00Z", "2025-11-04T00:00Z"),
    ],
  );
});

Deno.test("openIntervals() of equities is 09:30-16:00 ET on weekdays across both switches", () => {
  assert.deepEqual(
    openIntervals("equity", ns("2025-03-07T00:00Z"), ns("2025-03-11T00:00Z")),
    [iv("2025-03-07T14:30Z", "2025-03-07T21:00Z"), iv("2025-03-10T13:30Z", "2025-03-10T20:00Z")],
  );
  assert.deepEqual(
    openIntervals("equity", ns("2025-10-31T15:00Z"), ns("2025-11-03T15:00Z")),
    [iv("2025-10-31T15:00Z", "2025-10-31T20:00Z"), iv("2025-11-03T14:30Z", "2025-11-03T15:00Z")],
  );
});

Deno.test("openIntervals() of crypto and unknown asset types is the whole range", () => {
  const from = ns("2025-03-08T00:00Z"); // a Saturday
  const to = ns("2025-03-09T00:00Z");
  assert.deepEqual(openIntervals("crypto", from, to), [{ startNs: from, endNs: to }]);
  assert.deepEqual(openIntervals("option", from, to), [{ startNs: from, endNs: to }]);
  assert.deepEqual(openIntervals("crypto", to, from), []);
  assert.deepEqual(openIntervals("futures", from, to), []);
});

Deno.test("isOpen() is false in the futures halt and on Saturday, true in the session", () => {
  assert.equal(isOpen("futures", ns("2025-03-11T21:30Z")), false); // 16:30 CDT Tuesday
  assert.equal(isOpen("futures", ns("2025-03-11T22:00Z")), true); // 17:00 CDT
  assert.equal(isOpen("futures", ns("2025-03-11T20:59:59.999Z")), true);
  assert.equal(isOpen("futures", ns("2025-03-08T12:00Z")), false);
  assert.equal(isOpen("equity", ns("2025-03-10T13:29:59Z")), false);
  assert.equal(isOpen("equity", ns("2025-03-10T13:30Z")), true);
  assert.equal(isOpen("equity", ns("2025-03-10T20:00Z")), false);
});
