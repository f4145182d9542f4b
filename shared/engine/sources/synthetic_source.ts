/**
 * Ticks from the synthetic market: one symbol's seeded random walk, one trade every `stepMs`
 * from a fixed start, so the same options always give the same ticks.
 * @module
 */
import { ColumnBatch } from "@core/mod.ts";
import type { TickChunk, TickSource } from "../types.ts";
import { BatchChunk, yieldToEventLoop } from "./_chunk.ts";
import { QUANTITY_DECIMALS, SyntheticMarket } from "./synthetic_market.ts";

/** Default start of a synthetic run: 2024-01-01T00:00:00Z, ns. */
export const SYNTHETIC_DEFAULT_FROM = 1_704_067_200_000_000_000n;
/** Default time between two synthetic trades, ms. */
export const SYNTHETIC_DEFAULT_STEP_MS = 1_000;

/** Options of {@linkcode syntheticSource}. */
export interface SyntheticSourceOptions {
  symbol: string;
  seed: number;
  /** Trades to generate. */
  ticks: number;
  /** Time of the first trade, ns (default {@linkcode SYNTHETIC_DEFAULT_FROM}). */
  from?: bigint;
  /** Time between two trades, ms (default {@linkcode SYNTHETIC_DEFAULT_STEP_MS}). */
  stepMs?: number;
}

/** A synthetic TickSource; `inexactSizes` counts trades whose quantity was clamped to a u32. */
export interface SyntheticTickSource extends TickSource {
  readonly totalTicks: number;
  /** Sizes clamped to the u32 maximum during the last `chunks()` run (cheap symbols only). */
  readonly inexactSizes: number;
}

const CHUNK_ROWS = 16_384;
const MAX_U32 = 4_294_967_295;
const UNIT = 10 ** QUANTITY_DECIMALS;

/** The synthetic market of `symbol` as a source; sizes at scale 8 (QUANTITY_DECIMALS). */
export function syntheticSource(options: SyntheticSourceOptions): SyntheticTickSource {
  const { symbol, seed, ticks } = options;
  const from = options.from ?? SYNTHETIC_DEFAULT_FROM;
  const stepMs = options.stepMs ?? SYNTHETIC_DEFAULT_STEP_MS;
  if (!Number.isSafeInteger(ticks) || ticks < 0) {
    throw new RangeError(`Invalid tick count ${ticks}: expected a non-negative integer`);
  }
  if (!Number.isSafeInteger(stepMs) || stepMs < 1) {
    throw new RangeError(`Invalid step ${stepMs} ms: expected a positive integer`);
  }
  const stepNs = BigInt(stepMs) * 1_000_000n;
  let inexact = 0;
  async function* chunks(): AsyncGenerator<TickChunk> {
    inexact = 0;
    const market = new SyntheticMarket({ seed });
    const symbols = [symbol];
    using batch = new ColumnBatch("trades");
    for (let start = 0; start < ticks; start += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, ticks - start);
      batch.setLength(rows);
      const columns = batch.columns();
      let ts = from + BigInt(start) * stepNs;
      for (let i = 0; i < rows; i++) {
        const step = market.step(symbols);
        let size = units(step.quantity);
        if (size > MAX_U32) {
          size = MAX_U32;
          inexact++;
        }
        columns.tsEvent[i] = ts;
        columns.price[i] = step.price;
        columns.size[i] = size;
        columns.side[i] = step.side === "B" ? 66 : 65;
        ts += stepNs;
      }
      yield new BatchChunk(batch, 0, rows);
      await yieldToEventLoop();
    }
  }
  return {
    description: `synthetic ${symbol} seed ${seed >>> 0}`,
    symbol,
    sizeScale: QUANTITY_DECIMALS,
    totalTicks: ticks,
    get inexactSizes() {
      return inexact;
    },
    chunks,
  };
}

/** A synthetic quantity ("0.0015", at most 8 decimals, below 1e7) in 1e-8 units, exactly. */
function units(quantity: string): number {
  const dot = quantity.indexOf(".");
  if (dot < 0) return Number(quantity) * UNIT;
  const fraction = quantity.slice(dot + 1).padEnd(QUANTITY_DECIMALS, "0");
  return Number(quantity.slice(0, dot)) * UNIT + Number(fraction);
}
