import assert from "node:assert/strict";
import { STORE_BACKENDS } from "@shared/storage/testing.ts";
import { batchInsert, InstrumentRegistry, type Tick } from "@shared/storage/mod.ts";
import { dbSource } from "./mod.ts";
import { drain } from "./testing.ts";

const T0 = 1_704_067_200_000_000_000n;
const SEC = 1_000_000_000n;

function tick(i: number, exchange: string, instrumentId: number): Tick {
  return {
    tsEvent: T0 + BigInt(i) * SEC,
    tsRecv: T0 + BigInt(i) * SEC,
    instrumentId,
    symbol: "BTCUSD",
    exchange,
    price: 60_000_000_000_000n + BigInt(i),
    size: 100 + i,
    quantity: `0.0000${100 + i}`,
    side: i % 2 === 0 ? "B" : "A",
    tradeId: `${exchange}-${i}`,
    flags: 0,
    sequence: i,
  };
}

for (const backend of STORE_BACKENDS) {
  Deno.test({
    name:
      `dbSource() streams [from, to) oldest first with the instrument's size scale (${backend.name})`,
    ignore: backend.ignore,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const store = await backend.open();
      try {
        const registry = new InstrumentRegistry(store);
        const kraken = await registry.getOrCreate("BTCUSD", "KRAKEN", { sizeScale: 8 });
        const ticks = Array.from({ length: 25 }, (_, i) => tick(i, "KRAKEN", kraken.instrumentId));
        await batchInsert(store, ticks);
        const source = await dbSource(store, {
          symbol: "BTCUSD",
          exchange: "KRAKEN",
          from: T0 + 5n * SEC,
          to: T0 + 20n * SEC,
          batchSize: 4,
        });
        assert.equal(source.sizeScale, 8);
        assert.equal(source.description, "db BTCUSD@KRAKEN");
        const read = await drain(source);
        assert.deepEqual(
          read,
          ticks.slice(5, 20).map((t) => ({
            ts: t.tsEvent,
            price: t.price,
            size: t.size,
            side: t.side,
          })),
        );
        assert.deepEqual(await drain(source), read, "a second run reads again");
        const none = await dbSource(store, { symbol: "BTCUSD", from: T0 - 10n, to: T0 });
        assert.deepEqual(await drain(none), []);
        await assert.rejects(
          () => dbSource(store, { symbol: "BTCUSD", from: T0, to: T0 }),
          RangeError,
        );
        // Another exchange with another size scale: the symbol alone is ambiguous.
        await registry.getOrCreate("BTCUSD", "BINANCE", { sizeScale: 5 });
        await assert.rejects(
          () => dbSource(store, { symbol: "BTCUSD", from: T0, to: T0 + SEC }),
          /BTCUSD has different size scales per exchange: BINANCE \(5\), KRAKEN \(8\); choose one exchange/,
        );
      } finally {
        await store.close();
      }
    },
  });
}
