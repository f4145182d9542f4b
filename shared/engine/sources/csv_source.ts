/**
 * Ticks from a CSV file with the header `ts_event,price,size[,side]`: ts_event as integer ns or
 * RFC 3339, price and size as exact decimals (never through a float), side A/B/N (or buy/sell;
 * default N). The size scale is the most size decimals in the file (at most 9). CSVs are small:
 * the file is read whole, then handed out in chunks of core memory.
 * @module
 */
import { ColumnBatch, parseDecimals, parsePrice, Status } from "@core/mod.ts";
import { DataError } from "@shared/domain/mod.ts";
import { rfc3339ToNs } from "@shared/venue/clock.ts";
import type { TickChunk, TickSource } from "../types.ts";
import { BatchChunk, yieldToEventLoop } from "./_chunk.ts";

/** Options of {@linkcode csvSource}. */
export interface CsvSourceOptions {
  symbol: string;
  /** Inclusive, ns. */
  from?: bigint;
  /** Exclusive, ns. */
  to?: bigint;
}

/** Rows per chunk. */
const CHUNK_ROWS = 65_536;
const MAX_SIZE_SCALE = 9;
const INTEGER = /^\d{1,19}$/;
const DECIMAL = /^\d+(?:\.(\d+))?$/;
const SIDES: Readonly<Record<string, number>> = {
  A: 65,
  B: 66,
  N: 78,
  SELL: 65,
  BUY: 66,
  "": 78,
};

interface Rows {
  ts: BigUint64Array;
  price: BigInt64Array;
  size: Uint32Array;
  side: Uint8Array;
  sizeScale: number;
}

/**
 * Reads and checks the whole file, then returns a source of its rows in [from, to). A bad line
 * throws a one-line DataError naming the file and the line number.
 */
export async function csvSource(path: string, options: CsvSourceOptions): Promise<TickSource> {
  const rows = parseCsv(path, await Deno.readTextFile(path), options);
  return {
    description: `file ${path}`,
    symbol: options.symbol,
    sizeScale: rows.sizeScale,
    totalTicks: rows.ts.length,
    chunks: () => chunksOf(rows),
  };
}

function parseCsv(path: string, text: string, options: CsvSourceOptions): Rows {
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.trim().toLowerCase().replace(/\s*,\s*/g, ",");
  const bad = (line: number, why: string): never => {
    throw new DataError("csv", `line ${line}: ${why}`, { source: path });
  };
  if (header !== "ts_event,price,size" && header !== "ts_event,price,size,side") {
    bad(1, `expected the header "ts_event,price,size[,side]", got ${JSON.stringify(lines[0])}`);
  }
  const columns = header!.split(",").length;
  // First pass: check the lines, keep those in [from, to) and find the size scale.
  const kept: { line: number; ts: bigint; price: string; size: string; side: number }[] = [];
  let sizeScale = 0;
  let previous = -1n;
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === "") continue;
    const line = i + 1;
    const parts = raw.split(",").map((part) => part.trim());
    if (parts.length < 3 || parts.length > columns) {
      bad(line, `expected ${columns} fields, got ${parts.length}`);
    }
    const [tsText, price, size, sideText = ""] = parts as [string, string, string, string?];
    const ts = timestamp(tsText) ?? bad(line, `bad ts_event ${JSON.stringify(tsText)}`);
    if (ts < previous) bad(line, "ts_event goes backwards: rows must be sorted by ts_event");
    previous = ts;
    const decimals = DECIMAL.exec(size) ??
      bad(line, `bad size ${JSON.stringify(size)}: not a decimal`);
    const scale = decimals[1]?.replace(/0+$/, "").length ?? 0;
    if (scale > MAX_SIZE_SCALE) bad(line, `bad size ${size}: more than 9 decimals`);
    sizeScale = Math.max(sizeScale, scale);
    const side = SIDES[sideText.toUpperCase()] ??
      bad(line, `bad side ${JSON.stringify(sideText)}: expected A, B, N, buy or sell`);
    if (options.from !== undefined && ts < options.from) continue;
    if (options.to !== undefined && ts >= options.to) continue;
    kept.push({ line, ts, price, size, side });
  }
  // Second pass: prices and sizes parsed exactly in two batches of the core.
  const prices = parseDecimals(kept.map((row) => row.price));
  const sizes = parseDecimals(kept.map((row) => row.size), { scale: sizeScale });
  const sizeWords = new Uint32Array(sizes.values.buffer);
  const rows: Rows = {
    ts: BigUint64Array.from(kept, (row) => row.ts),
    price: prices.values,
    size: new Uint32Array(kept.length),
    side: Uint8Array.from(kept, (row) => row.side),
    sizeScale,
  };
  kept.forEach((row, i) => {
    if (prices.status[i] !== Status.Ok) {
      bad(row.line, `bad price ${JSON.stringify(row.price)}: ${priceError(row.price)}`);
    }
    if (rows.price[i]! <= 0n) bad(row.line, `bad price ${JSON.stringify(row.price)}: not positive`);
    if (sizes.status[i] !== Status.Ok || sizeWords[2 * i + 1] !== 0) {
      bad(row.line, `size ${row.size} at scale ${sizeScale} does not fit a u32 DBN size`);
    }
    rows.size[i] = sizeWords[2 * i]!;
  });
  return rows;
}

function priceError(text: string): string {
  try {
    parsePrice(text);
    return "not a price";
  } catch (e) {
    return (e as Error).message;
  }
}

/** Integer ns or RFC 3339; undefined when it is neither. */
function timestamp(text: string): bigint | undefined {
  if (INTEGER.test(text)) {
    const ns = BigInt(text);
    return ns < 1n << 63n ? ns : undefined;
  }
  try {
    return rfc3339ToNs(text);
  } catch {
    return undefined;
  }
}

async function* chunksOf(rows: Rows): AsyncGenerator<TickChunk> {
  using batch = new ColumnBatch("trades");
  for (let start = 0; start < rows.ts.length; start += CHUNK_ROWS) {
    const end = Math.min(rows.ts.length, start + CHUNK_ROWS);
    batch.setLength(end - start);
    const columns = batch.columns();
    columns.tsEvent.set(rows.ts.subarray(start, end));
    columns.price.set(rows.price.subarray(start, end));
    columns.size.set(rows.size.subarray(start, end));
    columns.side.set(rows.side.subarray(start, end));
    yield new BatchChunk(batch, 0, end - start);
    await yieldToEventLoop();
  }
}
