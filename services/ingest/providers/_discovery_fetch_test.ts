import assert from "node:assert/strict";
import { VenueError } from "@shared/venue/mod.ts";
import { startFakeVenueServer } from "./_fake_venue_server.ts";
import { fetchDiscoveryJson } from "./_discovery_fetch.ts";

function startRest(body: string) {
  return startFakeVenueServer({
    accept: () => new Response("", { status: 404 }),
    onText: () => {},
    rest: () => new Response(body),
    failureBody: "",
  }).handle;
}

const FAST_RETRY = { maxAttempts: 2, initialMs: 1, maxMs: 5 };

Deno.test("fetchDiscoveryJson() retries a 429, then parses the reply", async () => {
  await using fake = startRest(`{"n":1}`);
  fake.failRest(429, { retryAfter: "0" });
  const json = await fetchDiscoveryJson(`${fake.restUrl}/list`, {
    venue: "toy",
    what: "list",
    retry: FAST_RETRY,
  });
  assert.deepEqual(json, { n: 1 });
  assert.deepEqual(fake.restRequests, ["/list", "/list"]);
});

Deno.test("fetchDiscoveryJson() classifies HTTP errors and refuses a body that is not JSON", async () => {
  await using fake = startRest("not json");
  const options = { venue: "toy", what: "list", retry: FAST_RETRY };
  fake.failRest(400);
  await assert.rejects(fetchDiscoveryJson(fake.restUrl, options), (error: unknown) => {
    assert.ok(error instanceof VenueError);
    assert.equal(error.code, "rejected");
    assert.match(error.message, /HTTP 400: empty body/);
    return true;
  });
  await assert.rejects(fetchDiscoveryJson(fake.restUrl, options), (error: unknown) => {
    assert.ok(error instanceof VenueError);
    assert.equal(error.code, "protocol");
    assert.equal(error.message, "toy: list is not JSON");
    return true;
  });
  const upper = await fetchDiscoveryJson(fake.restUrl, {
    ...options,
    parse: (t) => t.toUpperCase(),
  });
  assert.equal(upper, "NOT JSON");
});
