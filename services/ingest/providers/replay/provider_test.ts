import assert from "node:assert/strict";
import { join } from "node:path";
import { setImmediate } from "node:timers";
import type { Mbp10Msg, Mbp1Msg, TradeMsg } from "@shared/dbn/mod.ts";
import { createDbnWriter } from "@shared/dbn/stream/mod.ts";
import { fixtureIndex, referenceDecode } from "@shared/dbn/stream/testing.ts";
import { VenueError } from "@shared/venue/mod.ts";
import type { BookEvent, QuoteEvent, TradeEvent } from "../events.ts";
import { ReplayProvider } from "./provider.ts";
import {
  capturingLogger,
  collectingSink,
  T0,
  tradeRecord,
  tradesMetadata,
  withTempDir,
  writeTradesFile,
} from "./_testing.ts";

const SANITIZE = { sanitizeOps: true, sanitizeResources: true };
const FIXTURES = fixtureIndex();

function fixture(name: string) {
  const info = FIXTURES.find((f) => f.name === name);
  assert.ok(info, name);
  return info;
}

/** Replays `path` at full speed with `*` subscribed to `feeds`; returns the sink and provider. */
async function replayAll(path: string, feeds: ("trades" | "bbo" | "book")[]) {
  const sink = collectingSink();
  const provider = new ReplayProvider({ path, speed: 0, sink });
  await provider.connect();
  await provider.subscribe(["*"], feeds);
  await provider.done;
  return { sink, provider };
}

for (
  const name of [
    "test_data.trades.dbn",
    "test_data.trades.v1.dbn.zst",
    "test_data.trades.v3.dbn.zst",
  ]
) {
  Deno.test(
    `${name}: one TradeEvent per trade record, ESH1, the records' values`,
    SANITIZE,
    async () => {
      const info = fixture(name);
      const records = (await referenceDecode(info)).records as TradeMsg[];
      const { sink, provider } = await replayAll(info.path, ["trades"]);
      assert.equal(sink.events.length, info.records);
      assert.equal(sink.drops.length, 0);
      const trades = sink.events as TradeEvent[];
      assert.deepEqual(
        trades.map((t) => [t.kind, t.symbol, t.tsEvent, t.price, t.quantity, t.side, t.sequence]),
        records.map((
          r,
        ) => ["trade", "ESH1", r.tsEvent, r.price, String(r.size), r.side, r.sequence]),
      );
      assert.deepEqual(trades.map((t) => t.tradeId), ["1170380", "1170414"]);
      assert.ok(trades.every((t) => t.tsRecv > t.tsEvent), "tsRecv is the emit time");
      assert.equal(provider.stats().messages, info.records);
      assert.ok(provider.stats().lastMessageMs !== undefined);
      assert.deepEqual(provider.progress().finished, true);
      assert.equal(provider.connectionStatus(), "disconnected");
    },
  );
}

Deno.test("MBP-1 and BBO records become QuoteEvents from level 0", SANITIZE, async () => {
  for (const name of ["test_data.mbp-1.v3.dbn.zst", "test_data.bbo-1s.dbn"]) {
    const info = fixture(name);
    const records = (await referenceDecode(info)).records as Mbp1Msg[];
    const { sink } = await replayAll(info.path, ["bbo"]);
    assert.equal(sink.events.length, info.records, name);
    const quotes = sink.events as QuoteEvent[];
    assert.deepEqual(
      quotes.map((
        q,
      ) => [
        q.kind,
        q.symbol,
        q.tsEvent,
        q.bidPrice,
        q.bidQuantity,
        q.askPrice,
        q.askQuantity,
        q.sequence,
      ]),
      records.map((r) => {
        const l = r.levels[0]!;
        return [
          "bbo",
          "ESH1",
          r.tsEvent,
          l.bidPx,
          String(l.bidSz),
          l.askPx,
          String(l.askSz),
          r.sequence,
        ];
      }),
      name,
    );
  }
});

Deno.test("MBP-10 records become BookEvents with every level, best first", SANITIZE, async () => {
  const info = fixture("test_data.mbp-10.dbn");
  const records = (await referenceDecode(info)).records as Mbp10Msg[];
  const { sink } = await replayAll(info.path, ["book"]);
  assert.equal(sink.events.length, info.records);
  const books = sink.events as BookEvent[];
  for (const [i, book] of books.entries()) {
    const record = records[i]!;
    assert.equal(book.symbol, "ESH1");
    assert.equal(book.tsEvent, record.tsEvent);
    assert.equal(book.snapshot, false);
    assert.deepEqual(
      book.bids,
      record.levels.map((l) => ({ price: l.bidPx, quantity: String(l.bidSz) })),
    );
    assert.deepEqual(
      book.asks,
      record.levels.map((l) => ({ price: l.askPx, quantity: String(l.askSz) })),
    );
  }
  assert.equal(books[0]!.bids[0]!.price, 3720250000000n);
  assert.equal(books[0]!.asks[9]!.price, 3722750000000n);
});

Deno.test(
  "only subscribed symbols and feeds are emitted; nothing without a subscription",
  SANITIZE,
  async () => {
    const path = fixture("test_data.trades.dbn").path;
    for (
      const subscribe of [
        undefined,
        { symbols: ["ESH1"], feeds: ["bbo" as const] },
        { symbols: ["NQH1"], feeds: ["trades" as const] },
      ]
    ) {
      const sink = collectingSink();
      const provider = new ReplayProvider({ path, speed: 0, sink });
      await provider.connect();
      if (subscribe !== undefined) await provider.subscribe(subscribe.symbols, subscribe.feeds);
      await provider.done;
      assert.equal(sink.events.length, 0, JSON.stringify(subscribe));
      assert.equal(provider.progress().filtered, 2);
    }
    const sink = collectingSink();
    const provider = new ReplayProvider({ path, speed: 0, sink });
    await provider.subscribe(["ESH1", "NQH1"]);
    await provider.unsubscribe(["NQH1"]);
    assert.deepEqual(provider.subscriptionStatus(), {
      requested: { ESH1: ["trades"] },
      active: ["ESH1"],
      failed: {},
    });
    await provider.connect();
    await provider.done;
    assert.equal(sink.events.length, 2);
  },
);

Deno.test(
  "subscribe() rejects bad symbols and feeds; connect() rejects a missing path",
  SANITIZE,
  async () => {
    const provider = new ReplayProvider({
      path: "/nonexistent/replay.dbn",
      sink: collectingSink(),
    });
    await assert.rejects(() => provider.subscribe(["btc/usd"]), (e) => {
      return e instanceof VenueError && e.code === "unknown_symbol";
    });
    await assert.rejects(
      () => provider.subscribe(["ESH1"], ["depth" as "book"]),
      (e) => e instanceof VenueError && e.code === "rejected",
    );
    await assert.rejects(
      () => provider.connect(),
      (e) => e instanceof VenueError && e.code === "rejected",
    );
    assert.equal(provider.connectionStatus(), "disconnected");
    assert.throws(
      () => new ReplayProvider({ path: "x", speed: -1, sink: collectingSink() }),
      RangeError,
    );
    assert.throws(() =>
      new ReplayProvider({ path: "x", exchange: "bad name", sink: collectingSink() })
    );
    assert.equal(provider.normalizer.toCanonical("ESH1"), "ESH1");
    assert.equal(provider.normalizer.exchangeName(), "REPLAY");
    assert.throws(() => provider.normalizer.toVenue("es h1"), VenueError);
  },
);

Deno.test(
  "speed 1000 over a file spanning 4.9 s: every record, in order, then done",
  SANITIZE,
  async () => {
    await withTempDir(async (dir) => {
      const path = await writeTradesFile(dir, "paced.dbn", { count: 50, gapNs: 100_000_000n });
      const sink = collectingSink();
      const provider = new ReplayProvider({ path, speed: 1000, sink });
      await provider.connect();
      await provider.subscribe(["ESH1"]);
      assert.equal(provider.isConnected(), true);
      await provider.done;
      const trades = sink.events as TradeEvent[];
      assert.equal(trades.length, 50);
      assert.deepEqual(trades.map((t) => t.sequence), Array.from({ length: 50 }, (_, i) => i + 1));
      assert.deepEqual(
        trades.map((t) => t.tsEvent),
        trades.map((_, i) => T0 + BigInt(i) * 100_000_000n),
      );
      assert.equal(trades[3]!.price, 100_030_000_000n);
      assert.equal(provider.isConnected(), false);
    });
  },
);

Deno.test(
  "disconnect() during a long pacing sleep ends it at once and resolves done",
  SANITIZE,
  async () => {
    await withTempDir(async (dir) => {
      const path = await writeTradesFile(dir, "slow.dbn", { count: 3, gapNs: 3_600_000_000_000n });
      const first = Promise.withResolvers<void>();
      const sink = collectingSink(() => first.resolve());
      const provider = new ReplayProvider({ path, speed: 1, sink });
      await provider.connect();
      await provider.subscribe(["*"]);
      await first.promise;
      await provider.disconnect();
      await provider.done;
      assert.equal(sink.events.length, 1);
      assert.equal(provider.progress().finished, false);
      assert.equal(provider.connectionStatus(), "disconnected");
    });
  },
);

Deno.test("a folder replays its .dbn and .dbn.zst files in name order", SANITIZE, async () => {
  await withTempDir(async (dir) => {
    await Deno.copyFile(fixture("test_data.trades.v3.dbn.zst").path, join(dir, "b.dbn.zst"));
    await Deno.copyFile(fixture("test_data.mbp-1.dbn").path, join(dir, "c.dbn"));
    await writeTradesFile(dir, "a.dbn", { count: 3, gapNs: 1_000n });
    await Deno.writeTextFile(join(dir, "notes.txt"), "not DBN");
    const sink = collectingSink();
    const provider = new ReplayProvider({ path: dir, speed: 0, sink, exchange: "CME" });
    assert.deepEqual((await provider.discoverSymbols()).map((s) => s.symbol), ["ESH1"]);
    await provider.connect();
    await provider.subscribe(["*"], ["trades", "bbo"]);
    await provider.done;
    assert.deepEqual(
      sink.events.map((e) => `${e.kind}:${e.sequence}`),
      [
        "trade:1",
        "trade:2",
        "trade:3",
        "trade:1170380",
        "trade:1170414",
        "bbo:1170362",
        "bbo:1170364",
      ],
    );
    assert.equal(provider.progress().files, 3);
    assert.equal(provider.info.exchange, "CME");
  });
});

Deno.test(
  "a truncated file is logged in one line, counted as a drop, and the next file still plays",
  SANITIZE,
  async () => {
    await withTempDir(async (dir) => {
      const whole = await Deno.readFile(fixture("test_data.trades.dbn").path);
      await Deno.writeFile(join(dir, "1_cut.dbn"), whole.subarray(0, whole.length - 20));
      await Deno.writeFile(
        join(dir, "2_garbage.dbn"),
        new TextEncoder().encode("this is not DBN at all"),
      );
      await Deno.copyFile(fixture("test_data.trades.v2.dbn.zst").path, join(dir, "3_ok.dbn.zst"));
      const zst = await Deno.readFile(fixture("test_data.trades.v3.dbn.zst").path);
      await Deno.writeFile(join(dir, "4_cut.dbn.zst"), zst.subarray(0, zst.length - 30));
      const { logger, lines } = capturingLogger();
      const sink = collectingSink();
      const provider = new ReplayProvider({ path: dir, speed: 0, sink, logger });
      await provider.connect();
      await provider.subscribe(["*"]);
      await provider.done;
      const sequences = sink.events.map((e) => e.sequence);
      assert.deepEqual(sequences.slice(0, 3), [1170380, 1170380, 1170414]);
      assert.ok(sequences.length < 5, "the cut .zst cannot yield both records");
      assert.deepEqual(sink.drops.map((d) => [d.reason, d.detail.file]), [
        ["corrupt_file", join(dir, "1_cut.dbn")],
        ["corrupt_file", join(dir, "2_garbage.dbn")],
        ["corrupt_file", join(dir, "4_cut.dbn.zst")],
      ]);
      const errors = lines.map((l) => JSON.parse(l)).filter((l) => l.level === "error");
      assert.equal(errors.length, 3);
      assert.match(errors[0].msg, /^Cannot replay ".*1_cut\.dbn" after 1 records: /);
      assert.ok(errors.every((e) => !e.msg.includes("\n")));
      assert.deepEqual(provider.progress().failedFiles, 3);
      assert.equal(provider.progress().finished, true);
    });
  },
);

Deno.test(
  "records of unmapped or non-canonical symbols are dropped as unknown_symbol",
  SANITIZE,
  async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "mixed.dbn");
      const writer = await createDbnWriter(path, {
        metadata: tradesMetadata({ ESH1: 1, "es h1": 2 }),
      });
      await writer.write([1, 2, 3, 1].map((instrumentId, i) =>
        tradeRecord({
          instrumentId,
          tsEvent: T0 + BigInt(i),
          price: 5_000_000_000n,
          size: 2,
          sequence: 7,
        })
      ));
      await writer.close();
      const { sink, provider } = await replayAll(path, ["trades"]);
      assert.deepEqual(sink.drops.map((d) => [d.reason, d.detail.instrumentId]), [
        ["unknown_symbol", 2],
        ["unknown_symbol", 3],
      ]);
      // Two trades sharing a sequence get distinct ids.
      assert.deepEqual((sink.events as TradeEvent[]).map((t) => t.tradeId), ["7", "7-1"]);
      assert.deepEqual((sink.events as TradeEvent[]).map((t) => t.quantity), ["2", "2"]);
      assert.equal(provider.progress().dropped, 2);
    });
  },
);

Deno.test(
  "full speed yields to the event loop while replaying thousands of records",
  SANITIZE,
  async () => {
    await withTempDir(async (dir) => {
      const path = await writeTradesFile(dir, "big.dbn.zst", { count: 20_000, gapNs: 1_000n });
      const sink = collectingSink();
      const provider = new ReplayProvider({ path, speed: 0, sink });
      await provider.connect();
      await provider.subscribe(["*"]);
      let turns = 0;
      let running = true;
      const spin = () => {
        if (!running) return;
        turns++;
        setImmediate(spin);
      };
      setImmediate(spin);
      await provider.done;
      running = false;
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(sink.events.length, 20_000);
      assert.ok(turns >= 10, `only ${turns} event-loop turns during the replay`);
    });
  },
);

Deno.test("loop replays the input again until disconnect()", SANITIZE, async () => {
  const path = fixture("test_data.trades.dbn").path;
  const enough = Promise.withResolvers<void>();
  const sink = collectingSink(() => {
    if (sink.events.length === 7) enough.resolve();
  });
  const provider = new ReplayProvider({ path, speed: 0, loop: true, sink });
  await provider.connect();
  await provider.subscribe(["*"]);
  await enough.promise;
  await provider.disconnect();
  await provider.done;
  assert.ok(sink.events.length >= 7);
  assert.ok(provider.progress().passes >= 3);
  assert.equal(provider.progress().finished, false);
});

Deno.test("discoverSymbols() lists the mapped symbols of a file", SANITIZE, async () => {
  const provider = new ReplayProvider({
    path: fixture("test_data.mbp-10.v1.dbn.zst").path,
    sink: collectingSink(),
  });
  assert.deepEqual(await provider.discoverSymbols(), [
    {
      symbol: "ESH1",
      venueSymbol: "ESH1",
      base: "ESH1",
      quote: "",
      status: "available",
      sizeScale: 0,
    },
  ]);
});
