/**
 * Test fixtures of the tick readers: ticks inserted straight through COPY (independent of the
 * writer), a deterministic multi-day data set, and archiving one slice by hand.
 */
import { mulberry32 } from "@shared/domain/prng.ts";
import type { ArchiveSlice } from "../archive/catalog.ts";
import { addArchivedSlice } from "../archive/catalog.ts";
import { writeArchiveSlice } from "../archive/archive_file.ts";
import type { Store } from "../store.ts";
import { daysOf, ensureDayPartitions } from "./partitions.ts";
import {
  compareTicks,
  dayStartNs,
  NS_PER_DAY,
  queryTicks,
  type Tick,
  TICK_COLUMNS,
  TICK_LINE,
  tickCopyLine,
} from "./tick.ts";

/** Monday 2026-01-05 00:00 UTC, ns. */
export const MONDAY = dayStartNs("2026-01-05");
/** ns per second. */
export const SEC = 1_000_000_000n;
/** A price of `units` whole units in 1e-9 fixed point. */
export const px = (units: number): bigint => BigInt(Math.round(units * 1000)) * 1_000_000n;

/** A valid tick at `tsEvent` with defaults for the rest. */
export function tick(fields: Partial<Tick> & { tsEvent: bigint; tradeId: string }): Tick {
  return {
    tsRecv: fields.tsEvent + 1000n,
    instrumentId: 1,
    symbol: "BTCUSD",
    exchange: "BINANCE",
    price: px(100),
    size: 1,
    quantity: "1",
    side: "B",
    flags: 0,
    sequence: 0,
    ...fields,
  };
}

/** Inserts `ticks` with COPY after creating their day partitions. */
export async function insertTicks(store: Store, ticks: readonly Tick[]): Promise<void> {
  await ensureDayPartitions(store, daysOf(ticks.map((t) => t.tsEvent)), store);
  await store.copyFrom("tick_data", TICK_COLUMNS, ticks.map(tickCopyLine));
}

/** `ticks` sorted by compareTicks (a copy). */
export function sorted(ticks: readonly Tick[]): Tick[] {
  return [...ticks].sort(compareTicks);
}

/**
 * Four days from MONDAY: BTCUSD on BINANCE and KRAKEN, ETHUSD on BINANCE; shared timestamps
 * across exchanges and within one, trade ids whose byte order differs from number order or case.
 */
export function fixtureTicks(): Tick[] {
  const random = mulberry32(42);
  const ids = ["9", "10", "a", "B", "b-1", "Z_2"];
  const out: Tick[] = [];
  let n = 0;
  for (let day = 0n; day < 4n; day++) {
    for (let i = 0; i < 60; i++) {
      // Minutes 0-59 of hours 0, 5 and 23, seconds clustered so timestamps collide.
      const hour = [0n, 5n, 23n][i % 3]!;
      const ts = MONDAY + day * NS_PER_DAY + hour * 3600n * SEC +
        BigInt(Math.floor(random() * 40)) * 60n * SEC + BigInt(Math.floor(random() * 3)) * SEC;
      for (
        const [symbol, exchange] of [["BTCUSD", "BINANCE"], ["BTCUSD", "KRAKEN"], [
          "ETHUSD",
          "BINANCE",
        ]]
      ) {
        if (random() < 0.3) continue;
        const fills = random() < 0.3 ? 2 : 1;
        for (let f = 0; f < fills; f++) {
          n++;
          out.push(tick({
            tsEvent: ts,
            symbol: symbol!,
            exchange: exchange!,
            tradeId: `${ids[n % ids.length]}${n}`,
            price: px(100 + Math.floor(random() * 2000) / 100),
            quantity: ["0.1", "0.2", "1.5", "0.000000001", "12"][n % 5]!,
            size: n,
            side: (["A", "B", "N"] as const)[n % 3]!,
            sequence: n,
          }));
        }
      }
    }
  }
  return out;
}

/** Archives one (symbol, exchange, day) slice by hand: file, catalogue row, rows deleted. */
export async function archiveSlice(
  store: Store,
  root: string,
  key: { symbol: string; exchange: string; day: string },
): Promise<ArchiveSlice> {
  const from = dayStartNs(key.day);
  const ticks = sorted(
    await queryTicks(
      store,
      `SELECT ${TICK_LINE} AS line FROM tick_data
        WHERE symbol = $1 AND exchange = $2 AND ts_event >= $3 AND ts_event < $4`,
      [key.symbol, key.exchange, from, from + NS_PER_DAY],
    ),
  );
  const { bytes: _bytes, ...slice } = await writeArchiveSlice(root, ticks);
  await store.transaction(async (tx) => {
    await addArchivedSlice(tx, slice);
    await tx.query(
      `DELETE FROM tick_data
        WHERE symbol = $1 AND exchange = $2 AND ts_event >= $3 AND ts_event < $4`,
      [key.symbol, key.exchange, from, from + NS_PER_DAY],
    );
  });
  return slice;
}
