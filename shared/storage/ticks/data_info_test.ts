import assert from "node:assert/strict";
import { DataError } from "@shared/domain/mod.ts";
import { storeSuite } from "../testing.ts";
import { getDataInfo, type SymbolDataInfo } from "./data_info.ts";
import type { Tick } from "./tick.ts";
import { fixtureTicks, insertTicks } from "./_reader_fixtures.ts";

const ALL = fixtureTicks();

function expected(ticks: readonly Tick[]): SymbolDataInfo[] {
  const groups = new Map<string, Tick[]>();
  for (const t of ticks) {
    const key = `${t.symbol}\t${t.exchange}`;
    groups.set(key, [...groups.get(key) ?? [], t]);
  }
  return [...groups.keys()].sort().map((key) => {
    const group = groups.get(key)!;
    const ts = group.map((t) => t.tsEvent);
    return {
      symbol: group[0]!.symbol,
      exchange: group[0]!.exchange,
      count: group.length,
      firstTs: ts.reduce((a, b) => (b < a ? b : a)),
      lastTs: ts.reduce((a, b) => (b > a ? b : a)),
      archivedCount: 0,
      archivedDays: 0,
    };
  });
}

storeSuite("data info", {
  "getDataInfo() lists counts and ranges per symbol and exchange, ordered": async (store) => {
    assert.deepEqual(await getDataInfo(store), []);
    await insertTicks(store, ALL);
    const info = await getDataInfo(store);
    assert.deepEqual(info, expected(ALL));
    assert.deepEqual(info.map((i) => `${i.symbol}@${i.exchange}`), [
      "BTCUSD@BINANCE",
      "BTCUSD@KRAKEN",
      "ETHUSD@BINANCE",
    ]);
  },

  "getDataInfo({ symbol }) narrows to one symbol and validates it": async (store) => {
    await insertTicks(store, ALL);
    const eth = await getDataInfo(store, { symbol: "ETHUSD" });
    assert.deepEqual(eth, expected(ALL.filter((t) => t.symbol === "ETHUSD")));
    assert.deepEqual(await getDataInfo(store, { symbol: "SOLUSD" }), []);
    await assert.rejects(getDataInfo(store, { symbol: "eth'--" }), DataError);
  },
});
