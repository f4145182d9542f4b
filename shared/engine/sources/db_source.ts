/**
 * Ticks from the database: getHistoricalDataForBacktest's batches (archived days included when an
 * archive root is given) copied into one reused column batch in core memory.
 * @module
 */
import { ColumnBatch } from "@core/mod.ts";
import {
  getHistoricalDataForBacktest,
  InstrumentRegistry,
  type Store,
  type TickSide,
} from "@shared/storage/mod.ts";
import type { TickChunk, TickSource } from "../types.ts";
import { BatchChunk } from "./_chunk.ts";

/** Options of {@linkcode dbSource}. */
export interface DbSourceOptions {
  symbol: string;
  /** One exchange's ticks; every exchange's when omitted. */
  exchange?: string;
  /** Inclusive, ns. */
  from: bigint;
  /** Exclusive, ns. */
  to: bigint;
  /** Where archived days live (archiveRoot(data_dir)); without it they are skipped. */
  archiveRoot?: string;
  /** Ticks per database round trip (default 10,000). */
  batchSize?: number;
}

const SIDE_BYTE: Readonly<Record<TickSide, number>> = { A: 65, B: 66, N: 78 };

/**
 * A source of the stored ticks of [from, to). The size scale is the instrument's (default 0);
 * without an exchange, every exchange of the symbol must share one size scale (RangeError
 * otherwise, naming them). An empty range throws a RangeError.
 */
export async function dbSource(store: Store, options: DbSourceOptions): Promise<TickSource> {
  const { symbol, exchange, from, to } = options;
  if (from >= to) throw new RangeError(`Empty range: from ${from} is not before to ${to}`);
  const sizeScale = await sizeScaleOf(store, symbol, exchange);
  const query = { symbol, exchange, start: from, end: to };
  const read = { archiveRoot: options.archiveRoot, batchSize: options.batchSize };
  return {
    description: `db ${symbol}${exchange === undefined ? "" : `@${exchange}`}`,
    symbol,
    sizeScale,
    chunks: () => readChunks(getHistoricalDataForBacktest(store, query, read)),
  };
}

async function sizeScaleOf(
  store: Store,
  symbol: string,
  exchange: string | undefined,
): Promise<number> {
  const registry = new InstrumentRegistry(store);
  if (exchange !== undefined) return (await registry.get(symbol, exchange))?.sizeScale ?? 0;
  const instruments = (await registry.list()).filter((i) => i.symbol === symbol);
  const scales = new Set(instruments.map((i) => i.sizeScale));
  if (scales.size > 1) {
    const list = instruments.map((i) => `${i.exchange} (${i.sizeScale})`).join(", ");
    throw new RangeError(
      `${symbol} has different size scales per exchange: ${list}; choose one exchange`,
    );
  }
  return instruments[0]?.sizeScale ?? 0;
}

async function* readChunks(
  batches: AsyncGenerator<{
    tsEvent: bigint;
    price: bigint;
    size: number;
    side: TickSide;
  }[]>,
): AsyncGenerator<TickChunk> {
  using batch = new ColumnBatch("trades");
  for await (const ticks of batches) {
    if (ticks.length === 0) continue;
    batch.setLength(ticks.length);
    const columns = batch.columns();
    for (let i = 0; i < ticks.length; i++) {
      const tick = ticks[i]!;
      columns.tsEvent[i] = tick.tsEvent;
      columns.price[i] = tick.price;
      columns.size[i] = tick.size;
      columns.side[i] = SIDE_BYTE[tick.side];
    }
    yield new BatchChunk(batch, 0, ticks.length);
  }
}
