/** Test helpers of the archive: tick fixtures, temp roots, and a digest of every stored tick. */
import type { Queryable } from "../store.ts";
import { ensureDayPartitions } from "../ticks/partitions.ts";
import {
  checksumTicks,
  compareTicks,
  dayOfNs,
  dayStartNs,
  queryTicks,
  type Tick,
  TICK_COLUMNS,
  TICK_LINE,
  tickCopyLine,
} from "../ticks/tick.ts";
import { readArchivedSlice } from "./archive_file.ts";
import { listArchivedSlices } from "./catalog.ts";

const QUANTITIES = ["0.00000001", "123456789.123456789", "1", "0", "1.50", "42.000"];
const TRADE_IDS = ["1", "abc-DEF_9", "~!#$%&'()*+,-./:;<=>?@[]^_`{|}", "x".repeat(64), "00042"];
const PRICES = [-5n, 0n, 42_150_250_000_000n, (1n << 63n) - 2n, -((1n << 63n) - 1n)];

/** `count` varied ticks of one symbol, exchange and day, `seed` spreading them apart. */
export function makeTicks(
  options: { symbol?: string; exchange?: string; day: string; count: number; seed?: number },
): Tick[] {
  const symbol = options.symbol ?? "BTCUSD";
  const exchange = options.exchange ?? "BINANCE";
  const seed = options.seed ?? 0;
  const start = dayStartNs(options.day);
  const ticks: Tick[] = [];
  for (let i = 0; i < options.count; i++) {
    const k = i + seed;
    ticks.push({
      // Some ticks share a timestamp (trade id breaks the tie); the last lands at 23:59:59.999...
      tsEvent: i === options.count - 1 && i > 0
        ? start + 86_399_999_999_999n
        : start + BigInt(Math.floor(i / 2)) * 1_000_003n + BigInt(seed),
      tsRecv: start + BigInt(i) * 7n + 1_000n,
      instrumentId: k % 3 === 0 ? 4_294_967_295 : 1234 + (k % 2),
      symbol,
      exchange,
      price: PRICES[k % PRICES.length]! + (k % PRICES.length === 3 ? -BigInt(k) : BigInt(k)),
      size: k % 5 === 0 ? 4_294_967_295 : k,
      quantity: QUANTITIES[k % QUANTITIES.length]!,
      side: (["A", "B", "N"] as const)[k % 3]!,
      tradeId: `${TRADE_IDS[k % TRADE_IDS.length]!.slice(0, 58)}${i}`.slice(-64),
      flags: k % 256,
      sequence: k % 7 === 0 ? 4_294_967_295 : k * 13,
    });
  }
  return ticks.sort(compareTicks);
}

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
export async function withTempRoot<T>(fn: (root: string) => Promise<T>): Promise<T> {
  const root = await Deno.makeTempDir({ prefix: "tick_archive_test_" });
  try {
    return await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** Inserts `ticks` straight into tick_data with COPY (partitions created first). */
export async function insertRaw(db: Queryable, ticks: readonly Tick[]): Promise<void> {
  const days = new Set(ticks.map((tick) => dayOfNs(tick.tsEvent)));
  await ensureDayPartitions(db, days, db);
  await db.copyFrom("tick_data", TICK_COLUMNS, ticks.map(tickCopyLine));
}

/** Every tick the store holds, in tick_data or in the archive, sorted by symbol then compareTicks. */
export async function allTicks(db: Queryable, root: string): Promise<Tick[]> {
  const ticks = await queryTicks(db, `SELECT ${TICK_LINE} AS line FROM tick_data`);
  for (const slice of await listArchivedSlices(db)) {
    ticks.push(...await readArchivedSlice(root, slice));
  }
  return ticks.sort((a, b) =>
    a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : compareTicks(a, b)
  );
}

/** Row count and checksum of every stored tick (see {@linkcode allTicks}). */
export async function digest(
  db: Queryable,
  root: string,
): Promise<{ count: number; checksum: string }> {
  const ticks = await allTicks(db, root);
  return { count: ticks.length, checksum: checksumTicks(ticks) };
}
