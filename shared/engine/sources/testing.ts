/**
 * Test helpers for tick sources: small DBN trade files written on the fly, and a source drained
 * into plain arrays (one JS value per tick: tests only).
 * @module
 */
import { ColumnBatch } from "@core/mod.ts";
import { createDbnWriter } from "@shared/dbn/stream/mod.ts";
import { tradesMetadata } from "@shared/dbn/stream/testing.ts";
import type { TickSource } from "../types.ts";

/** The upstream DBN fixture folder (outside the repository). */
export const DBN_FIXTURE_DIR = new URL("../../../../shared/fixtures/dbn/", import.meta.url);

/** One trade of a test file. */
export interface TestTrade {
  ts: bigint;
  price: bigint;
  size: number;
  side?: "A" | "B" | "N";
  instrumentId?: number;
}

/** A tick read back from a source. */
export interface DrainedTick {
  ts: bigint;
  price: bigint;
  size: number;
  side: string;
}

/**
 * Writes a DBN v3 trades file (zstd when the path ends in ".zst") with `symbols` mapped to
 * instrument ids (raw_symbol -> instrument_id; none: no mappings).
 */
export async function writeTradesDbn(
  path: string,
  trades: readonly TestTrade[],
  symbols: Readonly<Record<string, number>> = {},
): Promise<void> {
  const metadata = tradesMetadata(symbols, { start: trades[0]?.ts ?? 0n });
  const n = trades.length;
  using batch = ColumnBatch.from("trades", {
    tsEvent: BigUint64Array.from(trades, (t) => t.ts),
    instrumentId: Uint32Array.from(trades, (t) => t.instrumentId ?? 1),
    publisherId: new Uint16Array(n).fill(1),
    rtype: new Uint8Array(n),
    price: BigInt64Array.from(trades, (t) => t.price),
    size: Uint32Array.from(trades, (t) => t.size),
    action: new Uint8Array(n).fill(84),
    side: Uint8Array.from(trades, (t) => (t.side ?? "N").charCodeAt(0)),
    flags: new Uint8Array(n),
    depth: new Uint8Array(n),
    tsRecv: BigUint64Array.from(trades, (t) => t.ts),
    tsInDelta: new Int32Array(n),
    sequence: Uint32Array.from(trades, (_, i) => i),
  });
  const writer = await createDbnWriter(path, { metadata });
  await writer.writeBytes(batch.encode());
  await writer.close();
}

/** Every tick of a source, copied out of core memory. */
export async function drain(source: TickSource): Promise<DrainedTick[]> {
  const out: DrainedTick[] = [];
  for await (const chunk of source.chunks()) {
    const { tsEvent, price, size, side } = chunk;
    for (let i = 0; i < chunk.length; i++) {
      out.push({
        ts: tsEvent[i]!,
        price: price[i]!,
        size: size[i]!,
        side: String.fromCharCode(side[i]!),
      });
    }
  }
  return out;
}
