import assert from "node:assert/strict";
import { DataError } from "@shared/domain/mod.ts";
import { hashInstrumentId } from "./instruments/instrument_id.ts";
import { InstrumentRegistry } from "./instruments/registry.ts";
import { addSymbol, checkProvider, listSymbols, PROVIDERS, removeSymbol } from "./symbols_repo.ts";
import { storeSuite } from "./testing.ts";

storeSuite("symbols repository", {
  "addSymbol() registers the instrument and defaults the provider's exchange": async (store) => {
    const added = await addSymbol(store, {
      provider: "kraken",
      symbol: "BTCUSD",
      venueSymbol: "XBT/USD",
    });
    assert.equal(added.created, true);
    assert.equal(added.exchange, "KRAKEN");
    assert.equal(added.venueSymbol, "XBT/USD");
    assert.equal(added.assetType, "crypto");
    assert.equal(added.instrumentId, hashInstrumentId("BTCUSD", "KRAKEN"));
    const instrument = await new InstrumentRegistry(store).get("BTCUSD", "KRAKEN");
    assert.equal(instrument?.venueSymbol, "XBT/USD");
    const { created: _, ...registration } = added;
    assert.deepEqual(await listSymbols(store), [registration]);
  },

  "adding a symbol twice updates it instead of failing": async (store) => {
    await addSymbol(store, { provider: "binance", symbol: "ETHUSD" });
    const again = await addSymbol(store, {
      provider: "binance",
      symbol: "ETHUSD",
      venueSymbol: "ETHUSDT",
    });
    assert.equal(again.created, false);
    assert.equal(again.venueSymbol, "ETHUSDT");
    assert.equal((await listSymbols(store)).length, 1);
  },

  "listSymbols() filters by provider; removeSymbol() says whether it removed": async (store) => {
    await addSymbol(store, { provider: "binance", symbol: "ETHUSD" });
    await addSymbol(store, { provider: "binance", symbol: "BTCUSD" });
    await addSymbol(store, { provider: "kraken_futures", symbol: "BTCUSD" });
    assert.deepEqual(
      (await listSymbols(store)).map((s) => `${s.provider}:${s.symbol}:${s.exchange}`),
      [
        "binance:BTCUSD:BINANCE",
        "binance:ETHUSD:BINANCE",
        "kraken_futures:BTCUSD:KRAKEN_FUTURES",
      ],
    );
    assert.deepEqual(
      (await listSymbols(store, { provider: "kraken_futures" })).map((s) => s.symbol),
      [
        "BTCUSD",
      ],
    );
    assert.equal(await removeSymbol(store, "binance", "BTCUSD"), true);
    assert.equal(await removeSymbol(store, "binance", "BTCUSD"), false);
    assert.deepEqual((await listSymbols(store, { provider: "binance" })).map((s) => s.symbol), [
      "ETHUSD",
    ]);
  },

  "a Databento symbol needs an exchange and links only to Databento's own instrument": async (
    store,
  ) => {
    await assert.rejects(
      addSymbol(store, { provider: "databento", symbol: "ESH5" }),
      /^RangeError: Provider databento needs an exchange/,
    );
    const early = await addSymbol(store, {
      provider: "databento",
      symbol: "ESH5",
      exchange: "CME",
      assetType: "futures",
    });
    assert.equal(early.instrumentId, undefined);
    assert.deepEqual(await new InstrumentRegistry(store).list(), []);
    await new InstrumentRegistry(store).registerDatabento(5482, "ESH5", "CME");
    const linked = await addSymbol(store, {
      provider: "databento",
      symbol: "ESH5",
      exchange: "CME",
      assetType: "futures",
    });
    assert.equal(linked.instrumentId, 5482);
    assert.equal(linked.assetType, "futures");
  },

  "bad input is refused with one line before it reaches SQL": async (store) => {
    await assert.rejects(addSymbol(store, { provider: "binance", symbol: "btc-usd" }), DataError);
    await assert.rejects(
      addSymbol(store, { provider: "binance", symbol: "BTCUSD", exchange: "Binance" }),
      DataError,
    );
    await assert.rejects(addSymbol(store, { provider: "ftx", symbol: "BTCUSD" }), RangeError);
    await assert.rejects(removeSymbol(store, "binance", "BTC USD"), DataError);
    await assert.rejects(listSymbols(store, { provider: "FTX" }), RangeError);
    assert.deepEqual(await listSymbols(store), []);
  },
});

Deno.test("checkProvider() names every known provider in its one-line error", () => {
  assert.equal(checkProvider("kraken"), "kraken");
  assert.throws(() => checkProvider("ftx"), {
    name: "RangeError",
    message: `Unknown provider "ftx": expected one of ${PROVIDERS.join(", ")}`,
  });
});
