/**
 * The archive format of one (symbol, exchange, UTC day) slice: a `.trades.dbn.zst` file of DBN v3
 * trade records that any DBN tool reads, plus a `.trades.ids.zst` sidecar with the trade ids and
 * exact quantities DBN has no room for, so that reading a slice back loses nothing.
 */
import { join } from "node:path";
import {
  type Metadata,
  RType,
  Schema,
  SType,
  SYMBOL_CSTR_LEN_V3,
  type TradeMsg,
} from "@shared/dbn/mod.ts";
import { createDbnWriter, openDbn } from "@shared/dbn/stream/mod.ts";
import { StorageError } from "../storage_error.ts";
import {
  checksumTicks,
  compareTicks,
  dayOfNs,
  dayStartNs,
  NS_PER_DAY,
  type Tick,
  validateTick,
} from "../ticks/tick.ts";
import { commitTempFiles, removeQuietly, writeTempFile } from "./_atomic_file.ts";
import { readSidecar, writeSidecar } from "./_sidecar.ts";
import { readZstdFile } from "./_zstd_file.ts";
import { type ArchiveSlice, sidecarPath, slicePath } from "./catalog.ts";

const RECORDS_PER_WRITE = 4096;
const CUT = "(cut short or corrupt)";
/** The DBN dataset field holds at most 15 bytes; exchange names may have 16. */
const DATASET_MAX = 15;

/**
 * Writes the slice of `ticks` (one symbol, exchange and UTC day) under `root`, crash-safe, and
 * returns its catalogue entry plus the bytes both files take on disk.
 */
export async function writeArchiveSlice(
  root: string,
  ticks: readonly Tick[],
): Promise<ArchiveSlice & { bytes: number }> {
  const sorted = checkedSlice(ticks);
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const day = dayOfNs(first.tsEvent);
  const path = slicePath(day, first.exchange, first.symbol);
  const dbnPath = join(root, path);
  const idsPath = sidecarPath(dbnPath);
  const dbnTemp = await writeTempFile(dbnPath, (file) => writeDbn(file, sorted, day, dbnPath));
  try {
    const idsTemp = await writeTempFile(idsPath, (file) => writeSidecar(file, sorted));
    await commitTempFiles([idsTemp, dbnTemp]);
  } catch (error) {
    await removeQuietly(dbnTemp.temp);
    throw error;
  }
  const bytes = (await Deno.stat(dbnPath)).size + (await Deno.stat(idsPath)).size;
  return {
    symbol: first.symbol,
    exchange: first.exchange,
    day,
    path,
    rowCount: sorted.length,
    firstTs: first.tsEvent,
    lastTs: last.tsEvent,
    checksum: checksumTicks(sorted),
    bytes,
  };
}

/**
 * Reads an archived slice back as ticks sorted by compareTicks, checking its row count and
 * checksum against the catalogue entry; a missing, cut or mismatching file is a StorageError
 * ("archive") naming the file.
 */
export async function readArchivedSlice(root: string, slice: ArchiveSlice): Promise<Tick[]> {
  const dbnPath = join(root, checkedRelativePath(slice.path));
  const idsPath = sidecarPath(dbnPath);
  const fail = (file: string, reason: string, cause?: unknown): never => {
    throw new StorageError(
      "archive",
      `Archive file ${file} of ${slice.symbol}@${slice.exchange} ${slice.day}: ${oneLine(reason)}`,
      { cause },
    );
  };
  const { tradeIds, quantities } = await readSidecar(idsPath).catch((error) =>
    fail(idsPath, describe(error), error)
  );
  const trades: TradeMsg[] = [];
  try {
    await using reader = await openDbn(await readZstdFile(dbnPath), { source: "content" });
    for await (const record of reader) {
      if (record.rtype !== RType.Mbp0) fail(dbnPath, `record ${trades.length} is not a trade`);
      trades.push(record as TradeMsg);
    }
  } catch (error) {
    if (error instanceof StorageError) throw error;
    fail(dbnPath, describe(error), error);
  }
  if (trades.length !== slice.rowCount) {
    fail(dbnPath, `holds ${trades.length} records, the catalogue says ${slice.rowCount} ${CUT}`);
  }
  if (tradeIds.length !== trades.length) {
    fail(idsPath, `has ${tradeIds.length} lines for ${trades.length} records ${CUT}`);
  }
  const ticks = trades.map((trade, i): Tick => ({
    tsEvent: trade.tsEvent,
    tsRecv: trade.tsRecv,
    instrumentId: trade.instrumentId,
    symbol: slice.symbol,
    exchange: slice.exchange,
    price: trade.price,
    size: trade.size,
    quantity: quantities[i]!,
    side: trade.side as Tick["side"],
    tradeId: tradeIds[i]!,
    flags: trade.flags,
    sequence: trade.sequence,
  }));
  if (!isSorted(ticks)) ticks.sort(compareTicks);
  if (checksumTicks(ticks) !== slice.checksum) {
    fail(dbnPath, "checksum does not match the catalogue");
  }
  return ticks;
}

/** Validates the ticks of one slice and returns them in compareTicks order. */
function checkedSlice(ticks: readonly Tick[]): readonly Tick[] {
  const first = ticks[0];
  if (first === undefined) throw new RangeError("Cannot archive an empty slice");
  const day = dayOfNs(first.tsEvent);
  const from = dayStartNs(day);
  for (const tick of ticks) {
    validateTick(tick);
    if (tick.symbol !== first.symbol || tick.exchange !== first.exchange) {
      throw new RangeError(
        `Cannot archive ${tick.symbol}@${tick.exchange} in the slice of ${first.symbol}@${first.exchange}`,
      );
    }
    if (tick.tsEvent < from || tick.tsEvent >= from + NS_PER_DAY) {
      throw new RangeError(`Cannot archive a tick at ${tick.tsEvent} ns in the slice of ${day}`);
    }
  }
  const sorted = isSorted(ticks) ? ticks : [...ticks].sort(compareTicks);
  for (let i = 1; i < sorted.length; i++) {
    if (compareTicks(sorted[i - 1]!, sorted[i]!) === 0) {
      throw new RangeError(
        `Cannot archive trade ${sorted[i]!.tradeId} twice at ${sorted[i]!.tsEvent} ns`,
      );
    }
  }
  return sorted;
}

async function writeDbn(
  file: Deno.FsFile,
  ticks: readonly Tick[],
  day: string,
  label: string,
): Promise<void> {
  const writer = await createDbnWriter(file, {
    metadata: sliceMetadata(ticks, day),
    compress: true,
    source: label,
  });
  for (let start = 0; start < ticks.length; start += RECORDS_PER_WRITE) {
    await writer.write(ticks.slice(start, start + RECORDS_PER_WRITE).map(tradeRecord));
  }
  await writer.close();
}

/** DBN metadata of a slice: trades of one raw symbol over one UTC day. */
function sliceMetadata(ticks: readonly Tick[], day: string): Metadata {
  const first = ticks[0]!;
  const start = dayStartNs(day);
  const startDate = ymd(day);
  const endDate = ymd(dayOfNs(start + NS_PER_DAY));
  const ids = [...new Set(ticks.map((tick) => tick.instrumentId))].sort((a, b) => a - b);
  return {
    version: 3,
    dataset: first.exchange.slice(0, DATASET_MAX),
    schema: Schema.Trades,
    start,
    end: start + NS_PER_DAY,
    limit: null,
    stypeIn: SType.RawSymbol,
    stypeOut: SType.InstrumentId,
    tsOut: false,
    symbolCstrLen: SYMBOL_CSTR_LEN_V3,
    symbols: [first.symbol],
    partial: [],
    notFound: [],
    mappings: [{
      rawSymbol: first.symbol,
      intervals: ids.map((id) => ({ startDate, endDate, symbol: String(id) })),
    }],
  };
}

function tradeRecord(tick: Tick): TradeMsg {
  return {
    rtype: RType.Mbp0,
    publisherId: 0,
    instrumentId: tick.instrumentId,
    tsEvent: tick.tsEvent,
    price: tick.price,
    size: tick.size,
    action: "T",
    side: tick.side,
    flags: tick.flags,
    depth: 0,
    tsRecv: tick.tsRecv,
    tsInDelta: 0,
    sequence: tick.sequence,
  };
}

function isSorted(ticks: readonly Tick[]): boolean {
  for (let i = 1; i < ticks.length; i++) {
    if (compareTicks(ticks[i - 1]!, ticks[i]!) > 0) return false;
  }
  return true;
}

/** The catalogue's paths are ours, but never let one climb out of the archive root. */
function checkedRelativePath(path: string): string {
  if (path.startsWith("/") || path.split(/[\\/]/).includes("..")) {
    throw new StorageError(
      "archive",
      `Archive path ${JSON.stringify(path)} leaves the archive root`,
    );
  }
  return path;
}

/** `2026-11-21` -> 20261121. */
function ymd(day: string): number {
  return Number(day.replaceAll("-", ""));
}

function describe(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "is missing";
  return error instanceof Error ? error.message : String(error);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}
