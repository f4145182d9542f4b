// Backtest throughput: 10M trades from a .dbn file -> 1m bars -> SMA(10/50) crossover -> orders ->
// portfolio, against two baselines measured in the same run:
//   bare:   the same file read into the same columns, one WASM pass summing the prices;
//   naive:  the same strategy written the usual way: an object per tick, bars in JS, the
//           trading-signals SMA, a decimal.js portfolio.
//   deno task bench:backtest                          (10M trades, cached under data/bench/)
//   deno task bench:backtest --count 1000000 --repeat 1
import { parseArgs } from "node:util";
import { Decimal } from "decimal.js";
import { SMA } from "trading-signals";
import { maxFixed } from "@core/mod.ts";
import { loadConfig } from "@shared/config/mod.ts";
import { mulberry32 } from "@shared/domain/prng.ts";
import { createDbnWriter, openDbn, readFileColumns } from "@shared/dbn/stream/mod.ts";
import { tradesMetadata } from "@shared/dbn/stream/testing.ts";
import { runBacktest } from "@shared/engine/backtest.ts";
import { dbnFileSource } from "@shared/engine/sources/mod.ts";
import { createStrategy } from "@shared/engine/strategies/mod.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    count: { type: "string", default: "10000000" },
    seed: { type: "string", default: "42" },
    repeat: { type: "string", default: "3" },
  },
});
const count = Number(flags.count);
const seed = Number(flags.seed);
const repeat = Number(flags.repeat);
if (!Number.isInteger(count) || count < 1000 || count > 50_000_000) {
  throw new RangeError(`Invalid --count "${flags.count}": expected 1000 to 50000000`);
}
const RECORD = 48;
const START = 1_704_067_200_000_000_000n; // 2024-01-01T00:00:00Z
const MEAN_GAP_MS = 50; // ~20 trades/s: 10M trades span ~5.8 days, ~8,300 1m bars

/** TradeMsg records of one instrument: a cent-grid random walk, gaps of 0-100 ms. */
async function ensureFile(): Promise<string> {
  const path = `data/bench/btcusd_trades_${count}_${seed}.dbn`;
  try {
    if ((await Deno.stat(path)).size > count * RECORD) return path;
  } catch { /* not yet */ }
  await Deno.mkdir("data/bench", { recursive: true });
  const random = mulberry32(seed);
  await using writer = await createDbnWriter(path + ".tmp", {
    metadata: tradesMetadata({}, { dataset: "BENCH", start: START }),
  });
  const batch = 65_536;
  const bytes = new Uint8Array(batch * RECORD);
  const view = new DataView(bytes.buffer);
  let cents = 6_000_000; // 60,000.00
  let ts = START;
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    for (let k = 0; k < n; k++) {
      const at = k * RECORD;
      cents = Math.max(1, cents + Math.round((random() - 0.5) * 20));
      ts += BigInt(Math.floor(random() * 2 * MEAN_GAP_MS * 1e6));
      bytes[at] = RECORD / 4;
      bytes[at + 1] = 0; // rtype trade
      view.setUint16(at + 2, 1, true);
      view.setUint32(at + 4, 1, true);
      view.setBigUint64(at + 8, ts, true);
      view.setBigInt64(at + 16, BigInt(cents) * 10_000_000n, true);
      view.setUint32(at + 24, 1 + Math.floor(random() * 100), true);
      bytes[at + 28] = 84; // 'T'
      bytes[at + 29] = random() < 0.5 ? 65 : 66;
      view.setBigUint64(at + 32, ts + 1000n, true);
    }
    await writer.writeBytes(bytes.subarray(0, n * RECORD));
  }
  await writer.close();
  await Deno.rename(path + ".tmp", path);
  return path;
}

async function bare(path: string): Promise<number> {
  let max = 0n;
  let n = 0;
  for await (const batch of readFileColumns(await openDbn(path), path, "trades")) {
    const top = maxFixed(batch.columns().price);
    if (top > max) max = top;
    n += batch.length;
  }
  if (n !== count || max === 0n) throw new Error(`bare read ${n} ticks`);
  return n;
}

async function engine(path: string): Promise<{ trades: number; equity: string }> {
  const { config } = loadConfig({ runMode: "development" });
  const report = await runBacktest({
    strategy: createStrategy("sma"),
    params: { short: "10", long: "50", quantity: "1" },
    source: await dbnFileSource(path, { symbol: "BTCUSD" }),
    accounts: config.accounts,
    fees: config.fees,
  });
  if (report.data.ticks !== count) throw new Error(`engine saw ${report.data.ticks} ticks`);
  return { trades: report.trades.length, equity: report.metrics.finalEquity };
}

/** Record batches from the project's standard DBN reader. */
async function* readerBatches(path: string): AsyncGenerator<{ bytes: Uint8Array; count: number }> {
  yield* (await openDbn(path)).batches();
}

/** Raw 8 MiB reads of the file's records (the fastest a JS loop can get its bytes). */
async function* rawBatches(path: string): AsyncGenerator<{ bytes: Uint8Array; count: number }> {
  const reader = await openDbn(path);
  const start = reader.recordsOffset;
  await reader.close();
  using file = await Deno.open(path);
  await file.seek(start, Deno.SeekMode.Start);
  const block = new Uint8Array(RECORD * 174_762);
  let filled = 0;
  for (;;) {
    const n = await file.read(block.subarray(filled));
    if (n !== null) filled += n;
    if (n !== null && filled < block.length) continue;
    const whole = filled - (filled % RECORD);
    if (whole > 0) yield { bytes: block.subarray(0, whole), count: whole / RECORD };
    block.copyWithin(0, whole, filled);
    filled -= whole;
    if (n === null) return;
  }
}

/** The same strategy the usual way: an object per tick, bars in JS, trading-signals, decimal.js. */
async function naive(
  batches: AsyncIterable<{ bytes: Uint8Array; count: number }>,
): Promise<{ trades: number }> {
  const minute = 60_000_000_000n;
  const short = new SMA(10), long = new SMA(50);
  let barStart = -1n, close = 0;
  let prevDiff: number | undefined;
  let cash = new Decimal(100_000), position = new Decimal(0);
  let pending: "BUY" | "SELL" | undefined;
  let trades = 0;
  const onClose = (price: number) => {
    short.update(price, false);
    long.update(price, false);
    if (!long.isStable) return;
    const diff = Number(short.getResult()) - Number(long.getResult());
    if (prevDiff !== undefined) {
      if (prevDiff <= 0 && diff > 0 && position.isZero()) pending = "BUY";
      else if (prevDiff >= 0 && diff < 0 && position.gt(0)) pending = "SELL";
    }
    prevDiff = diff;
  };
  for await (const batch of batches) {
    const view = new DataView(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
    for (let k = 0; k < batch.count; k++) {
      const at = k * RECORD;
      const tick = {
        ts: view.getBigUint64(at + 8, true),
        price: Number(view.getBigInt64(at + 16, true)) / 1e9,
        size: view.getUint32(at + 24, true),
      };
      if (pending !== undefined) {
        const px = new Decimal(tick.price);
        if (pending === "BUY") (cash = cash.minus(px)), (position = position.plus(1));
        else (cash = cash.plus(px)), (position = new Decimal(0));
        trades++;
        pending = undefined;
      }
      const bucket = tick.ts - (tick.ts % minute);
      if (barStart < 0n) barStart = bucket;
      if (bucket > barStart) {
        onClose(close); // the bar that ended
        for (let t = barStart + minute; t < bucket; t += minute) onClose(close); // empty minutes
        barStart = bucket;
      }
      close = tick.price;
    }
  }
  return { trades };
}

function log(line: string): void {
  // deno-lint-ignore no-console
  console.log(line);
}

async function best<T>(fn: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  let seconds = Infinity;
  let result!: T;
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    result = await fn();
    seconds = Math.min(seconds, (performance.now() - t0) / 1000);
  }
  return { seconds, result };
}

const path = await ensureFile();
const rate = (s: number) => Math.round(count / s);
const fmt = (n: number) => n.toLocaleString("en-US");
const b = await best(() => bare(path));
const e = await best(() => engine(path));
const n = await best(() => naive(readerBatches(path)));
const raw = await best(() => naive(rawBatches(path)));
log(`file: ${path} (${fmt(count)} trades), best of ${repeat}`);
log(`bare column read:   ${fmt(rate(b.seconds))} ticks/s (${b.seconds.toFixed(3)} s)`);
log(
  `engine (sma 10/50): ${fmt(rate(e.seconds))} ticks/s (${e.seconds.toFixed(3)} s), ` +
    `${e.result.trades} fills, final equity ${e.result.equity}`,
);
log(
  `naive (objects):    ${fmt(rate(n.seconds))} ticks/s (${n.seconds.toFixed(3)} s), ` +
    `${n.result.trades} fills`,
);
log(
  `naive (raw reads):  ${fmt(rate(raw.seconds))} ticks/s (${raw.seconds.toFixed(3)} s), ` +
    `${raw.result.trades} fills`,
);
log(`engine / bare read: ${(b.seconds / e.seconds).toFixed(2)} (fraction of the read-only speed)`);
log(`engine / naive:     ${(n.seconds / e.seconds).toFixed(2)}x (same reader as ingest tools)`);
log(`engine / naive raw: ${(raw.seconds / e.seconds).toFixed(2)}x (naive with raw 8 MiB reads)`);
