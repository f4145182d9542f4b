import assert from "node:assert/strict";
import type { ConnectionStatus } from "./connection.ts";
import { WsClient } from "./ws_client.ts";
import { backoffDelay, retry } from "./retry.ts";
import { VenueError, venueErrorFromStatus } from "./venue_error.ts";

interface EchoServer {
  url: string;
  sockets: WebSocket[];
  opened: number;
  received: string[];
  close(): Promise<void>;
}

function startServer(onOpen?: (socket: WebSocket) => void): EchoServer {
  const state: EchoServer = {
    url: "",
    sockets: [],
    opened: 0,
    received: [],
    close: async () => {},
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const { socket, response } = Deno.upgradeWebSocket(request);
    socket.onopen = () => {
      state.opened++;
      state.sockets.push(socket);
      onOpen?.(socket);
    };
    socket.onmessage = (event) => state.received.push(String(event.data));
    socket.onclose = () => state.sockets = state.sockets.filter((s) => s !== socket);
    return response;
  });
  state.url = `ws://127.0.0.1:${server.addr.port}/ws`;
  state.close = async () => {
    for (const socket of state.sockets) socket.close();
    await server.shutdown();
  };
  return state;
}

async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error("Timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const FAST = { initialMs: 5, maxMs: 20 };

Deno.test("WsClient resubscribes through onOpen after the server drops it", async () => {
  const server = startServer((socket) => socket.send("hello"));
  const statuses: ConnectionStatus[] = [];
  const messages: string[] = [];
  const client = new WsClient({
    venue: "test",
    url: () => server.url,
    onOpen: (c) => void c.send("subscribe"),
    onMessage: (text) => messages.push(text),
    onStatus: (status) => statuses.push(status),
    backoff: FAST,
  });
  await client.connect();
  await waitFor(() => messages.length === 1 && server.received.length === 1);
  for (const socket of server.sockets) socket.close(1011, "going away");
  await waitFor(() => server.received.length === 2 && messages.length === 2);
  assert.deepEqual(server.received, ["subscribe", "subscribe"]);
  assert.equal(client.reconnections, 1);
  assert.equal(client.status, "connected");
  await client.close();
  await server.close();
  assert.deepEqual(statuses, [
    "connecting",
    "connected",
    "reconnecting",
    "connected",
    "disconnected",
  ]);
});

Deno.test("WsClient keeps retrying while the venue is down and connects when it returns", async () => {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const client = new WsClient({
    venue: "test",
    url: () => `ws://127.0.0.1:${port}/ws`,
    onMessage: () => {},
    backoff: FAST,
  });
  const connected = client.connect();
  await waitFor(() => client.reconnections >= 3);
  assert.equal(client.status, "reconnecting");
  assert.equal(client.lastError?.code, "connection");
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, (request) => {
    const { response } = Deno.upgradeWebSocket(request);
    return response;
  });
  await connected;
  assert.equal(client.status, "connected");
  await client.close();
  await server.shutdown();
});

Deno.test("WsClient gives up with status error after maxAttempts failures", async () => {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const client = new WsClient({
    venue: "test",
    url: () => `ws://127.0.0.1:${port}/ws`,
    onMessage: () => {},
    backoff: FAST,
    maxAttempts: 3,
  });
  await assert.rejects(client.connect(), VenueError);
  assert.equal(client.status, "error");
  await client.close();
});

Deno.test("WsClient reconnects when the venue goes quiet and at the end of its lifetime", async () => {
  const server = startServer();
  const client = new WsClient({
    venue: "test",
    url: () => server.url,
    onMessage: () => {},
    idleTimeoutMs: 60,
    backoff: FAST,
  });
  await client.connect();
  await waitFor(() => server.opened >= 3);
  assert.match(client.lastError?.message ?? "", /no message for 60 ms|closed/);
  await client.close();

  const lifetime = new WsClient({
    venue: "test",
    url: () => server.url,
    onMessage: () => {},
    maxLifetimeMs: 50,
    idleTimeoutMs: 0,
    backoff: FAST,
  });
  const before = server.opened;
  await lifetime.connect();
  await waitFor(() => server.opened >= before + 3);
  await lifetime.close();
  await server.close();
});

Deno.test("WsClient sends the keepalive message while open", async () => {
  const server = startServer();
  const client = new WsClient({
    venue: "test",
    url: () => server.url,
    onMessage: () => {},
    keepalive: { intervalMs: 10, message: () => "ping" },
  });
  await client.connect();
  await waitFor(() => server.received.filter((m) => m === "ping").length >= 3);
  await client.close();
  await server.close();
});

Deno.test("WsClient rejects connect when closed before the first connection", async () => {
  const client = new WsClient({
    venue: "test",
    url: () => "ws://127.0.0.1:9/never",
    onMessage: () => {},
    backoff: { initialMs: 1000 },
  });
  const connecting = client.connect();
  await client.close();
  await assert.rejects(connecting, /closed before connecting/);
  assert.equal(client.status, "disconnected");
});

Deno.test("backoffDelay grows by the factor, stays under the cap and applies jitter", () => {
  const none = { initialMs: 100, maxMs: 1000, jitter: 0 };
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, none)), [
    100,
    200,
    400,
    800,
    1000,
    1000,
  ]);
  const half = { initialMs: 100, maxMs: 1000, jitter: 0.5 };
  assert.equal(backoffDelay(2, { ...half, random: () => 0 }), 400);
  assert.equal(backoffDelay(2, { ...half, random: () => 0.999999 }), 200);
});

Deno.test("retry stops at a permanent error and honours a rate limit's suggested delay", async () => {
  let calls = 0;
  await assert.rejects(
    retry(() => {
      calls++;
      throw new VenueError("unknown_symbol", "no such pair");
    }, { venue: "test", initialMs: 1 }),
    /no such pair/,
  );
  assert.equal(calls, 1);

  const waits: number[] = [];
  const limited = venueErrorFromStatus("test", 429, "slow down", "0.02");
  assert.equal(limited.errorClass, "resource_exhausted");
  assert.equal(limited.suggestedDelayMs, 20);
  const result = await retry((attempt) => {
    if (attempt < 2) throw limited;
    return Promise.resolve("ok");
  }, { venue: "test", initialMs: 1, jitter: 0, onRetry: (_e, _n, delay) => waits.push(delay) });
  assert.equal(result, "ok");
  assert.deepEqual(waits, [20, 20]);
  assert.equal(venueErrorFromStatus("test", 503, "down").errorClass, "transient");
  assert.equal(venueErrorFromStatus("test", 401, "bad key").isRetryable, false);
});

Deno.test("WsClient survives a throwing message handler and gives up on a malformed URL", async () => {
  const server = startServer((socket) => {
    socket.send("boom");
    socket.send("fine");
  });
  const seen: string[] = [];
  const client = new WsClient({
    venue: "test",
    url: () => server.url,
    onMessage: (text) => {
      if (text === "boom") throw new Error("handler bug");
      seen.push(text);
    },
  });
  await client.connect();
  await waitFor(() => seen.length === 1);
  assert.equal(client.status, "connected");
  await client.close();
  await server.close();

  const bad = new WsClient({ venue: "test", url: () => "not a url", onMessage: () => {} });
  await assert.rejects(bad.connect(), /cannot open not a url/);
  assert.equal(bad.status, "error");
  await bad.close();
});
