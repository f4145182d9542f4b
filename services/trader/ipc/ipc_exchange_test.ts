import assert from "node:assert/strict";
import { UNDEF_PRICE } from "@shared/dbn/mod.ts";
import { ChannelWriter, inspectChannel, IpcError, IpcPublisher } from "@shared/ipc/mod.ts";
import { testWithNamespace } from "@shared/ipc/testing.ts";
import { IpcExchange } from "./ipc_exchange.ts";
import { bboRecord, mbp1Record, Recorder, tradeRecord, waitFor } from "./_test_helpers.ts";

function publisher(
  namespace: string,
  instanceId: string,
  exchange: string,
  symbols: string[],
  ipcSymbols = symbols,
): Promise<IpcPublisher> {
  return IpcPublisher.start({
    namespace,
    instanceId,
    provider: "synthetic",
    exchange,
    symbols,
    ipcSymbols,
    capacity: 64,
    heartbeatSecs: 1,
    staleAfterSecs: 60,
  });
}

testWithNamespace(
  "two instances serving different symbols are both consumed, each from its own channel",
  async (namespace) => {
    const kraken = await publisher(namespace, "kraken-a", "KRAKEN", ["BTCUSD"]);
    const binance = await publisher(namespace, "binance-b", "BINANCE", ["ETHUSD"]);
    const recorder = new Recorder();
    const exchange = await IpcExchange.start(
      recorder.options(namespace, [{ symbol: "BTCUSD" }, { symbol: "ETHUSD" }]),
    );
    try {
      kraken.publish("BTCUSD", tradeRecord(1n, 65_000_000_000_000n));
      binance.publish("ETHUSD", tradeRecord(2n, 3_000_500_000_000n));
      await waitFor(() => recorder.trades.length === 2, "a trade from each instance");
      const bySymbol = new Map(recorder.trades.map((t) => [t.symbol, t]));
      assert.equal(bySymbol.get("BTCUSD")?.exchange, "KRAKEN");
      assert.equal(bySymbol.get("BTCUSD")?.price, 65_000_000_000_000n);
      assert.equal(bySymbol.get("ETHUSD")?.exchange, "BINANCE");
      assert.equal(bySymbol.get("ETHUSD")?.price, 3_000_500_000_000n);
      const status = new Map(exchange.status().map((s) => [s.symbol, s]));
      assert.equal(status.get("BTCUSD")?.instanceId, "kraken-a");
      assert.equal(status.get("BTCUSD")?.channel, "data_manager_kraken-a__BTCUSD_KRAKEN");
      assert.equal(status.get("ETHUSD")?.instanceId, "binance-b");
      assert.equal(status.get("ETHUSD")?.channel, "data_manager_binance-b__ETHUSD_BINANCE");
      for (const s of status.values()) {
        assert.equal(s.state, "connected");
        assert.equal(s.subscribed, false);
        assert.equal(s.records, 1);
      }
      assert.deepEqual(
        recorder.statuses.map((s) => `${s.symbol} ${s.state}`).sort(),
        ["BTCUSD connected", "ETHUSD connected"],
        "one status per symbol at start",
      );
    } finally {
      await exchange.stop();
      await kraken.close();
      await binance.close();
    }
  },
);

testWithNamespace(
  "a symbol the instance streams but has not opened is SUBSCRIBEd, and released on stop()",
  async (namespace) => {
    const ingest = await publisher(namespace, "kraken-a", "KRAKEN", ["BTCUSD", "ETHUSD"], [
      "BTCUSD",
    ]);
    const recorder = new Recorder();
    const exchange = await IpcExchange.start(recorder.options(namespace, [{ symbol: "ETHUSD" }]));
    try {
      assert.ok(ingest.writer("ETHUSD") !== undefined, "the instance opened ETHUSD for us");
      const [status] = exchange.status();
      assert.equal(status?.subscribed, true);
      assert.equal(status?.channel, "data_manager_kraken-a__ETHUSD_KRAKEN");
      ingest.publish("ETHUSD", tradeRecord(5n, 3_100_000_000_000n));
      await waitFor(() => recorder.trades.length === 1, "the ETHUSD trade");
    } finally {
      await exchange.stop();
    }
    try {
      await waitFor(() => ingest.writer("ETHUSD") === undefined, "the instance to drop ETHUSD");
    } finally {
      await ingest.close();
    }
  },
);

testWithNamespace(
  "a symbol no live instance streams rejects start() with one line and leaves nothing open",
  async (namespace) => {
    const ingest = await publisher(namespace, "kraken-a", "KRAKEN", ["BTCUSD"]);
    try {
      const recorder = new Recorder();
      const error = await IpcExchange.start(
        recorder.options(namespace, [{ symbol: "BTCUSD" }, { symbol: "XRPUSD" }]),
      ).then(() => undefined, (e) => e);
      assert.ok(error instanceof IpcError, `an IpcError, not ${error}`);
      assert.equal(error.code, "not_found");
      assert.match(error.message, /^No live ingest instance streams XRPUSD/);
      assert.ok(!error.message.includes("\n"), "one line");
      const channel = inspectChannel(namespace, ingest.writer("BTCUSD")!.name);
      assert.deepEqual(channel.readers, [], "the BTCUSD reader was closed again");
      assert.equal(recorder.events.length, 0);
    } finally {
      await ingest.close();
    }
  },
);

testWithNamespace(
  "trades and quotes of a mixed channel decode exactly; unknown rtypes and priceless trades are dropped",
  async (namespace) => {
    const key = { symbol: "BTCUSD", exchange: "KRAKEN" };
    const writer = ChannelWriter.create({ namespace, key, schema: "mixed", capacity: 64 });
    const recorder = new Recorder();
    const exchange = await IpcExchange.start(recorder.options(namespace, [{ symbol: "BTCUSD" }]));
    try {
      const level = {
        bidPx: 65_432_100_000_001n,
        askPx: 65_432_200_000_009n,
        bidSz: 150,
        askSz: 275,
      };
      writer.publish(
        tradeRecord(1_700_000_000_123_456_789n, 65_432_123_456_789n, {
          size: 42,
          side: "A",
          sequence: 99,
          instrumentId: 12,
        }),
      );
      writer.publish(mbp1Record(1_700_000_000_200_000_000n, level));
      writer.publish(bboRecord(1_700_000_000_300_000_000n, { ...level, bidPx: UNDEF_PRICE }));
      const unknown = new Uint8Array(56);
      unknown[0] = 14;
      unknown[1] = 0x20; // OHLCV-1s: not something this exchange reads
      writer.publish(unknown);
      writer.publish(tradeRecord(1_700_000_000_400_000_000n, UNDEF_PRICE));
      await waitFor(() => exchange.stats().dropped === 2, "both drops");
      const [trade] = recorder.trades;
      const { readNs, ...fields } = trade!;
      assert.ok(readNs > 0);
      assert.deepEqual(fields, {
        symbol: "BTCUSD",
        exchange: "KRAKEN",
        instrumentId: 12,
        tsEvent: 1_700_000_000_123_456_789n,
        tsRecv: 1_700_000_000_123_457_789n,
        price: 65_432_123_456_789n,
        size: 42,
        side: "A",
        flags: 0x80,
        sequence: 99,
      });
      const quotes = recorder.quotes.map(({ readNs: _, ...quote }) => quote);
      assert.deepEqual(quotes, [
        {
          symbol: "BTCUSD",
          exchange: "KRAKEN",
          instrumentId: 7,
          tsEvent: 1_700_000_000_200_000_000n,
          tsRecv: 1_700_000_000_200_002_000n,
          ...level,
        },
        {
          symbol: "BTCUSD",
          exchange: "KRAKEN",
          instrumentId: 8,
          tsEvent: 1_700_000_000_300_000_000n,
          tsRecv: 1_700_000_000_300_003_000n,
          ...level,
          bidPx: UNDEF_PRICE,
        },
      ]);
      const stats = exchange.stats();
      assert.deepEqual(
        { ...stats, polls: 0 },
        {
          records: 3,
          trades: 1,
          quotes: 2,
          dropped: 2,
          lost: 0,
          polls: 0,
          callbackErrors: 0,
        },
      );
      assert.ok(stats.polls > 0);
      assert.equal(exchange.status()[0]?.lastTsEvent, 1_700_000_000_300_000_000n);
    } finally {
      await exchange.stop();
      writer.close();
    }
  },
);

testWithNamespace(
  "a reader lapped while backpressure holds the loop counts the lost records per symbol",
  async (namespace) => {
    const key = { symbol: "BTCUSD", exchange: "KRAKEN" };
    const writer = ChannelWriter.create({ namespace, key, capacity: 16 });
    let full = true;
    let checks = 0;
    const backpressure = () => {
      checks++;
      return full;
    };
    const recorder = new Recorder();
    const exchange = await IpcExchange.start(
      recorder.options(namespace, [{ symbol: "BTCUSD" }], { backpressure }),
    );
    try {
      for (let i = 0; i < 100; i++) writer.publish(tradeRecord(BigInt(i), 1_000_000_000n));
      const seen = checks;
      await waitFor(() => checks > seen + 50, "the loop to turn while held back");
      assert.equal(recorder.trades.length, 0, "nothing is polled while backpressure holds");
      full = false;
      await waitFor(() => recorder.trades.length === 16, "the 16 records the ring still holds");
      assert.deepEqual(
        recorder.trades.map((t) => t.tsEvent),
        Array.from({ length: 16 }, (_, i) => BigInt(84 + i)),
      );
      assert.equal(exchange.status()[0]?.lost, 84);
      assert.equal(exchange.stats().lost, 84);
    } finally {
      await exchange.stop();
      writer.close();
    }
  },
);

testWithNamespace(
  "stop() is idempotent: every call resolves, readers are released, no callback runs after it",
  async (namespace) => {
    const key = { symbol: "BTCUSD", exchange: "KRAKEN" };
    const writer = ChannelWriter.create({ namespace, key, capacity: 64 });
    const recorder = new Recorder();
    const exchange = await IpcExchange.start(recorder.options(namespace, [{ symbol: "BTCUSD" }]));
    const first = exchange.stop();
    assert.equal(exchange.stop(), first, "a second call shares the first");
    await first;
    await exchange.stop();
    try {
      assert.deepEqual(inspectChannel(namespace, writer.name).readers, []);
      writer.publish(tradeRecord(1n, 1_000_000_000n));
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(recorder.trades.length, 0);
      assert.equal(exchange.status()[0]?.symbol, "BTCUSD");
    } finally {
      writer.close();
    }
  },
);
