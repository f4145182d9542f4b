/**
 * Ticks from a DBN file (.dbn, .dbn.zst): trades records, or the trades inside mbp-1 and tbbo
 * records (action 'T'). The WASM core decodes the records into columns; one instrument's rows are
 * selected through the metadata's symbol mappings and compacted by copying u32 words, so no BigInt
 * is created per row.
 * @module
 */
import { ColumnBatch, type DbnRecordKind, firstNotEqual } from "@core/mod.ts";
import { type Metadata, Schema, schemaName, SType } from "@shared/dbn/mod.ts";
import {
  canReadFileColumns,
  openDbn,
  readColumns,
  readFileColumns,
} from "@shared/dbn/stream/mod.ts";
import { DataError } from "@shared/domain/mod.ts";
import type { TickChunk, TickSource } from "../types.ts";
import { BatchChunk, checkSorted, timeWindow, type TradeBatch, words } from "./_chunk.ts";

/** Options of {@linkcode dbnFileSource}. */
export interface DbnFileSourceOptions {
  /** The symbol to backtest; in a file with symbol mappings it selects the instrument. */
  symbol: string;
  /** Inclusive, ns. */
  from?: bigint;
  /** Exclusive, ns. */
  to?: bigint;
  /** Decimal places of the file's sizes (default 0: Databento sizes are whole units). */
  sizeScale?: number;
}

const ACTION_TRADE = 84; // 'T'

/**
 * Opens `path` to read its metadata and pick the instrument, then returns a source that streams
 * it again on every `chunks()` call. Throws a one-line RangeError for a schema without trades or a
 * symbol the file does not hold (naming the ones it does), a DataError for a corrupt header.
 */
export async function dbnFileSource(
  path: string,
  options: DbnFileSourceOptions,
): Promise<TickSource> {
  const sizeScale = options.sizeScale ?? 0;
  if (!Number.isInteger(sizeScale) || sizeScale < 0 || sizeScale > 9) {
    throw new RangeError(`Invalid size scale ${sizeScale}: expected an integer from 0 to 9`);
  }
  const reader = await openDbn(path);
  const metadata = reader.metadata;
  await reader.close();
  const kind = kindOf(path, metadata);
  const ids = instrumentIds(path, metadata, options.symbol);
  const { symbol, from, to } = options;
  return {
    description: `file ${path}`,
    symbol,
    sizeScale,
    chunks: () => readChunks(path, { kind, ids, symbol, from, to }),
  };
}

/** The column kind of the file's schema: trades, or mbp1 for mbp-1 and tbbo. */
function kindOf(path: string, metadata: Metadata | undefined): "trades" | "mbp1" {
  const schema = metadata?.schema;
  if (schema === undefined || schema === Schema.Trades) return "trades";
  if (schema === Schema.Mbp1 || schema === Schema.Tbbo) return "mbp1";
  const name = schema === null ? "mixed schemas" : `${schemaName(schema)} records`;
  throw new RangeError(`${path} holds ${name}: a backtest needs trades, mbp-1 or tbbo data`);
}

/**
 * The instrument ids the metadata maps to `symbol` (all dates together); undefined when the file
 * has no mappings (then it must hold one instrument, checked while reading).
 */
function instrumentIds(
  path: string,
  metadata: Metadata | undefined,
  symbol: string,
): ReadonlySet<number> | undefined {
  if (metadata === undefined) return undefined;
  const outIsId = metadata.stypeOut === SType.InstrumentId;
  const inIsId = metadata.stypeIn === SType.InstrumentId;
  if (outIsId === inIsId) return undefined;
  const names = new Set<string>();
  const ids = new Set<number>();
  for (const mapping of metadata.mappings) {
    for (const interval of mapping.intervals) {
      const [idText, name] = outIsId
        ? [interval.symbol, mapping.rawSymbol]
        : [mapping.rawSymbol, interval.symbol];
      const id = Number(idText);
      if (idText === "" || name === "" || !Number.isInteger(id) || id < 0) continue;
      names.add(name);
      if (name === symbol) ids.add(id);
    }
  }
  if (names.size === 0) return undefined;
  if (ids.size === 0) {
    throw new RangeError(
      `Symbol "${symbol}" is not in ${path}: it holds ${[...names].sort().join(", ")}`,
    );
  }
  return ids;
}

interface ReadOptions {
  kind: "trades" | "mbp1";
  ids: ReadonlySet<number> | undefined;
  symbol: string;
  from: bigint | undefined;
  to: bigint | undefined;
}

async function* readChunks(path: string, options: ReadOptions): AsyncGenerator<TickChunk> {
  const { kind, ids, symbol, from, to } = options;
  const reader = await openDbn(path);
  using out = new ColumnBatch("trades");
  const last = { ts: 0n };
  let firstId: number | undefined;
  let seen = 0;
  try {
    // Plain files are read in large blocks straight into core memory; others through the reader.
    const batches = canReadFileColumns(reader, path)
      ? readFileColumns(reader, path, kind as DbnRecordKind)
      : readColumns(reader, kind as DbnRecordKind);
    for await (const batch of batches) {
      const input = batch as TradeBatch;
      const rows = input.length;
      if (rows === 0) continue;
      const accepted = ids ?? new Set([firstId ??= input.columns().instrumentId[0]!]);
      const whole = allOf(input, accepted);
      if (!whole && ids === undefined) {
        throw new DataError(
          "several_instruments",
          `several instruments and no symbol mappings: cannot tell which one is ${symbol}`,
          { source: path },
        );
      }
      let source: TradeBatch = input;
      let count = rows;
      if (kind === "mbp1" || !whole) {
        count = compact(input, accepted, kind === "mbp1", out);
        source = out;
      }
      const ts = source.columns().tsEvent;
      checkSorted(ts.subarray(0, count), last, (row) => ({
        source: path,
        what: `${symbol} trade ${seen + row + 1}`,
      }));
      seen += count;
      const [start, end] = timeWindow(ts, from, to);
      if (end > start) yield new BatchChunk(source, start, end);
      if (end < count) return; // the rest is at or after `to`
    }
  } finally {
    await reader.close();
  }
}

/** Every row's instrument id is in `ids`. */
function allOf(batch: TradeBatch, ids: ReadonlySet<number>): boolean {
  const column = batch.columns().instrumentId;
  if (ids.size === 1) return firstNotEqual(column.subarray(0, batch.length), [...ids][0]!) < 0;
  for (let i = 0; i < column.length; i++) if (!ids.has(column[i]!)) return false;
  return true;
}

/** Copies the rows of `ids` (trades only, when asked) into `out`; returns how many. */
function compact(
  input: TradeBatch,
  ids: ReadonlySet<number>,
  tradesOnly: boolean,
  out: ColumnBatch<"trades">,
): number {
  out.setLength(input.length); // may grow the core's memory: take every view after it
  const src = input.columns();
  const dst = out.columns();
  const srcTs = words(src.tsEvent);
  const srcPx = words(src.price);
  const dstTs = words(dst.tsEvent);
  const dstPx = words(dst.price);
  const action = tradesOnly ? (src as { action: Uint8Array }).action : undefined;
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    if (!ids.has(src.instrumentId[i]!)) continue;
    if (action !== undefined && action[i] !== ACTION_TRADE) continue;
    dstTs[2 * n] = srcTs[2 * i]!;
    dstTs[2 * n + 1] = srcTs[2 * i + 1]!;
    dstPx[2 * n] = srcPx[2 * i]!;
    dstPx[2 * n + 1] = srcPx[2 * i + 1]!;
    dst.size[n] = src.size[i]!;
    dst.side[n] = src.side[i]!;
    n++;
  }
  out.setLength(n);
  return n;
}
