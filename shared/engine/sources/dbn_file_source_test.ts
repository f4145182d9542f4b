import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CoreBuffer } from "@core/mod.ts";
import { DataError } from "@shared/domain/mod.ts";
import { dbnFileSource } from "./mod.ts";
import { DBN_FIXTURE_DIR, drain, type TestTrade, writeTradesDbn } from "./testing.ts";

const FIXTURE = (name: string) => fileURLToPath(new URL(name, DBN_FIXTURE_DIR));
const ESH1 = [
  { ts: 1609160400098821953n, price: 3720250000000n, size: 5, side: "A" },
  { ts: 1609160400107665963n, price: 3720250000000n, size: 21, side: "A" },
];
const SEC = 1_000_000_000n;
const T0 = 1_704_067_200n * SEC;

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "dbn_source_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("dbnFileSource() reads the upstream trades fixture (plain, v1 and v3 zstd) exactly", async () => {
  for (
    const name of [
      "test_data.trades.dbn",
      "test_data.trades.v1.dbn.zst",
      "test_data.trades.v3.dbn.zst",
    ]
  ) {
    const source = await dbnFileSource(FIXTURE(name), { symbol: "ESH1" });
    assert.equal(source.sizeScale, 0);
    assert.equal(source.description, `file ${FIXTURE(name)}`);
    assert.deepEqual(await drain(source), ESH1, name);
    assert.deepEqual(await drain(source), ESH1, `${name}: a second run reads the file again`);
  }
});

Deno.test("dbnFileSource() takes the trades of tbbo records and only action T rows of mbp-1", async () => {
  const tbbo = await dbnFileSource(FIXTURE("test_data.tbbo.v3.dbn.zst"), { symbol: "ESH1" });
  assert.deepEqual(await drain(tbbo), ESH1);
  // The mbp-1 fixture's two records are book adds (action A): no trades.
  const mbp1 = await dbnFileSource(FIXTURE("test_data.mbp-1.dbn"), { symbol: "ESH1" });
  assert.deepEqual(await drain(mbp1), []);
});

Deno.test("dbnFileSource() names the symbols of the file for an unknown one, and refuses other schemas", async () => {
  await assert.rejects(
    () => dbnFileSource(FIXTURE("test_data.trades.dbn"), { symbol: "BTCUSD" }),
    (e: unknown) => {
      assert.ok(e instanceof RangeError);
      assert.match(
        e.message,
        /^Symbol "BTCUSD" is not in .*test_data\.trades\.dbn: it holds ESH1$/,
      );
      return true;
    },
  );
  await assert.rejects(
    () => dbnFileSource(FIXTURE("test_data.ohlcv-1m.dbn"), { symbol: "ESH1" }),
    /holds ohlcv-1m records: a backtest needs trades, mbp-1 or tbbo data$/,
  );
  await assert.rejects(
    () => dbnFileSource(FIXTURE("test_data.trades.dbn"), { symbol: "ESH1", sizeScale: 10 }),
    RangeError,
  );
});

Deno.test("dbnFileSource() selects one instrument of several and applies [from, to)", async () => {
  await withDir(async (dir) => {
    const trades: TestTrade[] = [];
    for (let i = 0; i < 5000; i++) {
      trades.push({
        ts: T0 + BigInt(i) * SEC,
        price: 60_000_000_000_000n + BigInt(i) * 1_000_000n,
        size: i + 1,
        side: i % 2 === 0 ? "B" : "A",
        instrumentId: i % 3 === 0 ? 7 : 9,
      });
    }
    for (const name of ["multi.dbn", "multi.dbn.zst"]) {
      const path = join(dir, name);
      await writeTradesDbn(path, trades, { BTCUSD: 7, ETHUSD: 9 });
      const btc = await drain(await dbnFileSource(path, { symbol: "BTCUSD", sizeScale: 8 }));
      const expected = trades.filter((t) => t.instrumentId === 7).map((t) => ({
        ts: t.ts,
        price: t.price,
        size: t.size,
        side: t.side,
      }));
      assert.deepEqual(btc, expected, name);
      const from = T0 + 1000n * SEC;
      const to = T0 + 2000n * SEC;
      const window = await drain(await dbnFileSource(path, { symbol: "ETHUSD", from, to }));
      assert.deepEqual(
        window.map((t) => t.ts),
        trades.filter((t) => t.instrumentId === 9 && t.ts >= from && t.ts < to).map((t) => t.ts),
      );
      const empty = await dbnFileSource(path, { symbol: "ETHUSD", from: to, to: to });
      assert.deepEqual(await drain(empty), []);
    }
  });
});

Deno.test("dbnFileSource() fails with a DataError on unsorted, truncated and unmapped multi-instrument files", async () => {
  await withDir(async (dir) => {
    const unsorted = join(dir, "unsorted.dbn");
    await writeTradesDbn(unsorted, [
      { ts: T0 + 2n, price: 1n, size: 1 },
      { ts: T0 + 1n, price: 1n, size: 1 },
    ], { BTCUSD: 1 });
    await assert.rejects(
      async () => await drain(await dbnFileSource(unsorted, { symbol: "BTCUSD" })),
      (e: unknown) => e instanceof DataError && /goes backwards at BTCUSD trade 2/.test(e.message),
    );
    const truncated = join(dir, "truncated.dbn");
    await writeTradesDbn(truncated, [{ ts: T0, price: 1n, size: 1 }, {
      ts: T0,
      price: 1n,
      size: 1,
    }]);
    const bytes = await Deno.readFile(truncated);
    await Deno.writeFile(truncated, bytes.subarray(0, bytes.length - 10));
    await assert.rejects(
      async () => await drain(await dbnFileSource(truncated, { symbol: "BTCUSD" })),
      (e: unknown) => e instanceof DataError && !e.message.includes("\n"),
    );
    const unmapped = join(dir, "unmapped.dbn");
    await writeTradesDbn(unmapped, [
      { ts: T0, price: 1n, size: 1, instrumentId: 1 },
      { ts: T0, price: 1n, size: 1, instrumentId: 2 },
    ]);
    await assert.rejects(
      async () => await drain(await dbnFileSource(unmapped, { symbol: "BTCUSD" })),
      /several instruments and no symbol mappings/,
    );
  });
});

Deno.test("dbnFileSource() chunk views stay readable after the core's memory grows", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "grow.dbn");
    await writeTradesDbn(path, [{ ts: T0, price: 42n, size: 3, side: "B" }], { BTCUSD: 1 });
    const source = await dbnFileSource(path, { symbol: "BTCUSD" });
    for await (const chunk of source.chunks()) {
      using _big = new CoreBuffer(64 * 1024 * 1024); // forces memory.grow: old views detach
      assert.equal(chunk.length, 1);
      assert.equal(chunk.price[0], 42n);
      assert.equal(chunk.tsEvent[0], T0);
      assert.equal(chunk.side[0], 66);
    }
  });
});
