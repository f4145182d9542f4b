import assert from "node:assert/strict";
import { startFakeKrakenFutures } from "./fake_server.ts";
import { tradeFrame } from "./fake_frames.ts";
import { closeSocket, openSocket } from "../testing.ts";

Deno.test("the fake greets with info, acks per product, and sends documented errors", async () => {
  await using fake = await startFakeKrakenFutures();
  const { socket, replies } = await openSocket(fake.wsUrl);
  fake.publish(
    "trade",
    "PI_XBTUSD",
    tradeFrame({
      productId: "PI_XBTUSD",
      uid: "a",
      side: "buy",
      seq: 1,
      time: 5,
      qty: "10",
      price: "100.0",
    }),
  );
  socket.send(`{"event":"subscribe","feed":"trade","product_ids":["PI_XBTUSD","PI_NOPE"]}`);
  socket.send(`{"event":"subscribe","feed":"candles","product_ids":["PI_XBTUSD"]}`);
  socket.send(`not json`);
  socket.send(`{"event":"unsubscribe","feed":"trade","product_ids":["PI_XBTUSD"]}`);
  await fake.waitFor(() => replies.length === 7);
  assert.deepEqual(replies, [
    `{"event":"info","version":1}`,
    `{"event":"subscribed","feed":"trade","product_ids":["PI_XBTUSD"]}`,
    `{"feed":"trade_snapshot","product_id":"PI_XBTUSD","trades":[{"feed":"trade",` +
    `"product_id":"PI_XBTUSD","uid":"a","side":"buy","type":"fill","seq":1,"time":5,"qty":10,` +
    `"price":100.0}]}`,
    `{"event":"error","message":"Invalid product id"}`,
    `{"event":"error","message":"Invalid feed"}`,
    `{"event":"error","message":"Json Error"}`,
    `{"event":"unsubscribed","feed":"trade","product_ids":["PI_XBTUSD"]}`,
  ]);
  assert.deepEqual(fake.subscribed(), new Set());
  await closeSocket(socket);
});
