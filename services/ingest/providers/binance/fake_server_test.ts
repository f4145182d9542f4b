import assert from "node:assert/strict";
import { BinanceProvider } from "./client.ts";
import { startFakeBinance } from "./fake_server.ts";
import { tradeFrame } from "./fake_frames.ts";
import { closeSocket, delay, FAST, openSocket, RecordingSink } from "../testing.ts";

Deno.test("the fake answers the five control methods and their documented errors", async () => {
  await using fake = await startFakeBinance({ maxMessagesPerSecond: 0 });
  const { socket, replies } = await openSocket(`${fake.wsUrl}/ws`);
  const requests = [
    `{"method":"SUBSCRIBE","params":["btcusdt@trade","ethbtc@bookTicker"],"id":1}`,
    `{"method":"LIST_SUBSCRIPTIONS","id":3}`,
    `{"method":"UNSUBSCRIBE","params":["ethbtc@bookTicker"],"id":312}`,
    `{"method":"GET_PROPERTY","params":["combined"],"id":2}`,
    `{"method":"SET_PROPERTY","params":["combined",true],"id":5}`,
    `{"method":"GET_PROPERTY","params":["combined"],"id":"abc"}`,
    `{"method":"SET_PROPERTY","params":["nope",true],"id":6}`,
    `{"method":"SET_PROPERTY","params":["combined","yes"],"id":7}`,
    `{"method":"SUBSCRIBE","params":["foousdt@trade"],"id":8}`,
    `nonsense`,
  ];
  for (const request of requests) socket.send(request);
  socket.send(`{"params":[],"id":9}`);
  await fake.waitFor(() => replies.length === 11);
  assert.deepEqual(replies, [
    `{"result":null,"id":1}`,
    `{"result":["btcusdt@trade","ethbtc@bookTicker"],"id":3}`,
    `{"result":null,"id":312}`,
    `{"result":false,"id":2}`,
    `{"result":null,"id":5}`,
    `{"result":true,"id":"abc"}`,
    `{"code":0,"msg":"Unknown property","id":6}`,
    `{"code":1,"msg":"Invalid value type: expected Boolean"}`,
    `{"code":2,"msg":"Invalid request: invalid stream foousdt@trade","id":8}`,
    `{"code":3,"msg":"Invalid JSON: expected value at line 1 column 1"}`,
    `{"code":2,"msg":"Invalid request: missing field \`method\` at line 1 column 20"}`,
  ]);
  await closeSocket(socket);
});

Deno.test("the fake closes a connection that sends more than 5 messages in a second", async () => {
  await using fake = await startFakeBinance();
  const { socket, replies } = await openSocket(`${fake.wsUrl}/ws`);
  const closed = new Promise<CloseEvent>((resolve) => socket.onclose = resolve);
  for (let id = 1; id <= 6; id++) socket.send(`{"method":"LIST_SUBSCRIPTIONS","id":${id}}`);
  const event = await closed;
  assert.equal(event.code, 1008);
  assert.equal(replies.length, 5);
});

Deno.test("the fake serves raw /ws/<stream> connections with unwrapped events", async () => {
  await using fake = await startFakeBinance();
  const { socket, replies } = await openSocket(`${fake.wsUrl}/ws/btcusdt@trade`);
  await fake.waitFor(() => fake.subscribed().has("btcusdt@trade"));
  const frame = tradeFrame({
    symbol: "BTCUSDT",
    tradeId: 1,
    price: "1.00",
    quantity: "2.00",
    tradeTime: 5,
    buyerMaker: false,
  });
  fake.publish("btcusdt@trade", frame);
  fake.publish("ethbtc@trade", frame);
  await fake.waitFor(() => replies.length === 1);
  assert.deepEqual(replies, [frame]);
  assert.deepEqual(fake.connectionPaths(), ["/ws/btcusdt@trade"]);
  await closeSocket(socket);
});

Deno.test("the fake closes a client that never answers its pings", async () => {
  await using fake = await startFakeBinance({ pingIdleTimeoutSec: 1 });
  const port = new URL(fake.restUrl).port;
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
  const handshake = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n" +
    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
    "Sec-WebSocket-Version: 13\r\n\r\n";
  await conn.write(new TextEncoder().encode(handshake));
  const bytes: number[] = [];
  const buffer = new Uint8Array(4096);
  for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
    bytes.push(...buffer.subarray(0, n));
  }
  // Skip the HTTP 101 response, then walk the (short, unmasked) server frames.
  const text = new TextDecoder().decode(new Uint8Array(bytes));
  let at = text.indexOf("\r\n\r\n") + 4;
  const opcodes: number[] = [];
  while (at > 3 && at + 1 < bytes.length) {
    opcodes.push(bytes[at]! & 0x0f);
    at += 2 + (bytes[at + 1]! & 0x7f);
  }
  conn.close();
  assert.deepEqual(opcodes, [0x9, 0x8]); // a ping, then the close frame: no pong came back
  await fake.waitFor(() => fake.connections() === 0);
});

Deno.test("server pings are answered by Deno's WebSocket: the connection lives on for 3 s", async () => {
  await using fake = await startFakeBinance({ pingIdleTimeoutSec: 1 });
  const provider = new BinanceProvider({
    wsUrl: fake.wsUrl,
    restUrl: fake.restUrl,
    sink: new RecordingSink(),
    backoff: FAST,
    idleTimeoutMs: 0,
    keepaliveMs: 0,
  });
  await provider.subscribe(["BTCUSD"]);
  await provider.connect();
  // The fake pings after 0.5-1 s of silence and drops an unanswered client 1 s later.
  await delay(3000);
  assert.equal(fake.connectionsOpened(), 1);
  assert.equal(fake.connections(), 1);
  assert.equal(provider.stats().reconnections, 0);
  assert.equal(provider.stats().messages, 0);
  assert.equal(fake.received.length, 0);
  await provider.disconnect();
});
