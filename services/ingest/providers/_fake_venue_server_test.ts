import assert from "node:assert/strict";
import { type FakeConnection, startFakeVenueServer } from "./_fake_venue_server.ts";
import { openSocket } from "./testing.ts";

/** An echo venue: `/echo` sockets answer each frame with `echo:<frame>`; REST says `{"ok":1}`. */
function startEcho() {
  const opened: string[] = [];
  const server = startFakeVenueServer<{ name: string }>({
    wsPath: "/echo",
    accept: (url) =>
      url.pathname === "/echo"
        ? { name: url.searchParams.get("name") ?? "anon" }
        : new Response("no", { status: 404 }),
    onOpen(c: { name: string } & FakeConnection) {
      opened.push(c.name);
      c.timers.push(setInterval(() => {}, 60_000));
    },
    onText: (c, text) => server.send(c, `echo:${text}`),
    rest: () => new Response(`{"ok":1}`),
    failureBody: `{"error":"busy"}`,
  });
  return { ...server, opened };
}

Deno.test("the fake venue server records frames, counts connections and drops them all", async () => {
  const { handle, opened } = startEcho();
  await using fake = handle;
  assert.match(fake.wsUrl, /^ws:\/\/127\.0\.0\.1:\d+\/echo$/);
  const { socket, replies } = await openSocket(`${fake.wsUrl}?name=a`);
  socket.send("hi");
  await fake.waitFor(() => replies.length === 1);
  fake.broadcast("all");
  await fake.waitFor(() => replies.length === 2);
  assert.deepEqual(replies, ["echo:hi", "all"]);
  assert.deepEqual(fake.received, ["hi"]);
  assert.deepEqual(opened, ["a"]);
  assert.equal(fake.connections(), 1);
  const closed = new Promise<CloseEvent>((resolve) => socket.onclose = resolve);
  fake.dropAll();
  assert.equal((await closed).code, 1011);
  await fake.waitFor(() => fake.connections() === 0);
  assert.equal(fake.connectionsOpened(), 1);
  await assert.rejects(fake.waitFor(() => false, 20), /Timed out after 20 ms/);
});

Deno.test("the fake venue server refuses other paths and fails REST requests on demand", async () => {
  await using fake = startEcho().handle;
  const refused = await fetch(fake.wsUrl.replace("ws:", "http:").replace("/echo", "/other"), {
    headers: { upgrade: "websocket" },
  });
  assert.equal(refused.status, 404);
  assert.equal(await refused.text(), "no");
  fake.failRest(429, { retryAfter: "3", times: 2 });
  fake.failRest(503, { body: "down" });
  const replies = [];
  for (let i = 0; i < 4; i++) {
    const response = await fetch(`${fake.restUrl}/x?i=${i}`);
    replies.push([response.status, response.headers.get("retry-after"), await response.text()]);
  }
  assert.deepEqual(replies, [
    [429, "3", `{"error":"busy"}`],
    [429, "3", `{"error":"busy"}`],
    [503, null, "down"],
    [200, null, `{"ok":1}`],
  ]);
  assert.deepEqual(fake.restRequests, ["/x?i=0", "/x?i=1", "/x?i=2", "/x?i=3"]);
});
