import assert from "node:assert/strict";
import type { Feed } from "../events.ts";
import { RecordingSink } from "../testing.ts";
import { bookSnapshotFrame, bookUpdateFrame, T5_BOOK } from "./fake_frames.ts";
import { KrakenHandler, type PendingRequest } from "./handler.ts";
import { KrakenSymbols } from "./symbols.ts";

function setup(wanted: Record<string, Feed[]> = { BTCUSD: ["trades", "book"] }) {
  const sink = new RecordingSink();
  const pending = new Map<number, PendingRequest>();
  const resubscribed: string[] = [];
  const handler = new KrakenHandler({
    sink,
    normalizer: new KrakenSymbols(),
    bookDepth: 10,
    wants: (symbol, feed) => wanted[symbol]?.includes(feed) ?? false,
    pending,
    resubscribeBook: (venueSymbol) => resubscribed.push(venueSymbol),
  });
  for (const [symbol, feeds] of Object.entries(wanted)) {
    if (feeds.includes("book")) handler.expectBook(symbol);
  }
  return { sink, pending, resubscribed, handler };
}

const T5_SNAPSHOT = bookSnapshotFrame("BTC/USD", T5_BOOK);

Deno.test("a failed ack without a symbol is pinned to its request's symbol by req_id", () => {
  const { sink, pending, handler } = setup();
  pending.set(7, { method: "subscribe", channel: "book", symbols: ["ABC/USD"], acks: 0 });
  handler.handle(`{"method":"subscribe","success":false,"error":"Bad pair","req_id":7}`, 1n);
  assert.deepEqual(handler.failures(), { ABCUSD: "Bad pair" });
  assert.deepEqual(sink.drops[0]?.detail, {
    symbol: "ABCUSD",
    channel: "book",
    method: "subscribe",
    error: "Bad pair",
  });
  assert.equal(pending.size, 0);
  pending.set(8, { method: "subscribe", channel: "trade", symbols: ["A/USD", "B/USD"], acks: 0 });
  handler.handle(`{"method":"subscribe","success":false,"error":"No B/USD","req_id":8}`, 1n);
  assert.equal(handler.failures().BUSD, "No B/USD");
  assert.equal(handler.failures().AUSD, undefined);
  handler.handle(
    `{"method":"subscribe","success":true,"result":{"channel":"trade","symbol":"B/USD"}}`,
    1n,
  );
  assert.equal(handler.failures().BUSD, undefined);
  assert.equal(handler.isConfirmed("BUSD", "trade"), true);
});

Deno.test("book updates before the snapshot are ignored; unsubscribed books are unknown", () => {
  const { sink, handler } = setup({ BTCUSD: ["book"], ETHUSD: ["trades"] });
  handler.handle(bookUpdateFrame("BTC/USD", { bids: [["1.0", "1.0"]] }, { checksum: 1 }), 1n);
  assert.deepEqual(sink.events, []);
  assert.deepEqual(sink.drops, []);
  handler.handle(bookSnapshotFrame("ETH/USD", T5_BOOK), 1n);
  assert.deepEqual(sink.reasons, ["unknown_symbol"]);
  handler.handle(T5_SNAPSHOT, 5n);
  assert.equal(sink.books.length, 1);
  assert.equal(sink.books[0]!.tsEvent, 5n);
});

Deno.test("a snapshot failing its checksum emits nothing and resubscribes the book", () => {
  const { sink, handler, resubscribed } = setup();
  handler.handle(bookSnapshotFrame("BTC/USD", T5_BOOK, { corruptChecksum: true }), 1n);
  assert.deepEqual(sink.events, []);
  assert.deepEqual(sink.drops, [{
    reason: "checksum_mismatch",
    detail: { symbol: "BTCUSD", expected: 3310070435, got: 3310070434 },
  }]);
  assert.deepEqual(resubscribed, ["BTC/USD"]);
  assert.equal(handler.bookResyncs, 1);
});

Deno.test("a lossy re-rendering of T5 (0.1 for 0.10000000) is caught by the checksum", () => {
  const { sink, handler } = setup();
  const lossy = {
    asks: T5_BOOK.asks,
    bids: T5_BOOK.bids.map(([p, q]) => [p, q === "0.10000000" ? "0.1" : q] as const),
  };
  handler.handle(bookSnapshotFrame("BTC/USD", lossy, { checksum: 3310070434 }), 1n);
  assert.deepEqual(sink.reasons, ["checksum_mismatch"]);
});

Deno.test("an unparseable level in a live book drops it and resyncs the book", () => {
  const { sink, handler, resubscribed } = setup();
  handler.handle(T5_SNAPSHOT, 1n);
  handler.handle(bookUpdateFrame("BTC/USD", { bids: [["-1.0", "1.0"]] }, { checksum: 1 }), 1n);
  assert.deepEqual(sink.reasons, ["bad_value"]);
  assert.deepEqual(resubscribed, ["BTC/USD"]);
  handler.handle(bookUpdateFrame("BTC/USD", { bids: [["1.0", "1.0"]] }, { checksum: 1 }), 1n);
  assert.equal(sink.books.length, 1);
});

Deno.test("a throwing sink never makes handle() throw", () => {
  const { handler } = setup();
  const angry = new KrakenHandler({
    sink: {
      onEvent: () => {
        throw new Error("sink broke");
      },
      onDrop: () => {
        throw new Error("drop broke");
      },
    },
    normalizer: new KrakenSymbols(),
    bookDepth: 10,
    wants: () => true,
    pending: new Map(),
    resubscribeBook: () => {},
  });
  angry.expectBook("BTCUSD");
  angry.handle(T5_SNAPSHOT, 1n);
  angry.handle("garbage", 1n);
  handler.handle("garbage", 1n);
});

Deno.test("status and pong frames: engine status kept, failed pong is a venue error", () => {
  const { sink, handler } = setup();
  handler.handle(
    `{"channel":"status","type":"update","data":[{"api_version":"v2","connection_id":1,"system":"maintenance","version":"2.0.0"}]}`,
    1n,
  );
  assert.equal(handler.systemStatus, "maintenance");
  handler.handle(`{"method":"pong","req_id":3,"time_in":"x","time_out":"y"}`, 1n);
  handler.handle(`{"channel":"heartbeat"}`, 1n);
  assert.deepEqual(sink.drops, []);
  handler.handle(`{"method":"pong","success":false,"error":"nope"}`, 1n);
  assert.deepEqual(sink.drops, [{
    reason: "venue_error",
    detail: { method: "ping", error: "nope" },
  }]);
  handler.handle(`{"channel":"status","data":[]}`, 1n);
  assert.equal(sink.reasons.at(-1), "malformed_json");
});
