/**
 * The body of the fake's get_range answer: a DBN v3 metadata header, then the selected records
 * in time order, produced chunk by chunk into one reused buffer and zstd-compressed on the way
 * (one frame), so memory stays flat whatever the size.
 * @module
 */
import { encodeMetadata, type Metadata, parseSchema, parseSType } from "@shared/dbn/mod.ts";
import { createZstdCompressor } from "@shared/dbn/stream/mod.ts";
import { mergeCursors } from "./_fake_data.ts";
import type { RangeQuery } from "./_fake_query.ts";

/** How the body is produced. */
export interface RangeBodyOptions {
  /** zstd-compress (the API's compression=zstd) or send plain DBN. */
  compress: boolean;
  /** zstd level (default 3). */
  level?: number;
  /** Uncompressed record bytes produced per step (default 1 MiB). */
  chunkBytes?: number;
}

/** The metadata header the API writes for a query. */
export function rangeMetadata(query: RangeQuery): Metadata {
  return {
    version: 3,
    dataset: query.dataset,
    schema: parseSchema(query.schema),
    start: query.startNs,
    end: query.endNs,
    limit: query.limit === undefined ? null : BigInt(query.limit),
    stypeIn: parseSType(query.stypeIn),
    stypeOut: parseSType(query.stypeOut),
    tsOut: false,
    symbolCstrLen: 71,
    symbols: query.symbols,
    partial: [],
    notFound: query.notFound,
    mappings: query.mappings,
  };
}

/** Records the query selects, after the limit. */
export function rangeCount(query: RangeQuery): number {
  const total = query.sources.reduce((sum, source) => sum + source.count(query.filter), 0);
  return query.limit === undefined ? total : Math.min(total, query.limit);
}

/**
 * Yields the body's bytes. Chunks may be views of a reused buffer only when uncompressed bytes
 * are copied; every yielded chunk belongs to the caller.
 */
export async function* rangeBody(
  query: RangeQuery,
  options: RangeBodyOptions,
): AsyncGenerator<Uint8Array> {
  const cursor = mergeCursors(query.sources.map((source) => source.cursor(query.filter)));
  const compressor = options.compress
    ? createZstdCompressor({ level: options.level ?? 3 })
    : undefined;
  const buffer = new Uint8Array(options.chunkBytes ?? 1024 * 1024);
  let remaining = query.limit ?? Number.MAX_SAFE_INTEGER;
  let finished = false;
  const emit = async (bytes: Uint8Array): Promise<Uint8Array[]> =>
    compressor === undefined ? [bytes.slice()] : await compressor.write(bytes);
  try {
    for (const out of await emit(encodeMetadata(rangeMetadata(query)))) yield out;
    while (remaining > 0) {
      const filled = cursor.fill(buffer, 0, remaining, undefined);
      if (filled.records === 0) break;
      remaining -= filled.records;
      for (const out of await emit(buffer.subarray(0, filled.bytes))) yield out;
    }
    if (compressor !== undefined) { for (const out of await compressor.end()) yield out; }
    finished = true;
  } finally {
    if (!finished) compressor?.destroy();
  }
}
