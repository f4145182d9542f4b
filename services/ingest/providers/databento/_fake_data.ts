/**
 * Record sources of the fake Databento server: what a source is (dataset, schema, symbols, a
 * cursor over its records in time order), sources loaded from DBN files (upgraded to v3), and
 * the merge of several sources of one dataset and schema by time.
 * @module
 */
import { openDbn } from "@shared/dbn/stream/mod.ts";
import { parseSchema, recordLayout, recordSize, schemaName, schemaRType } from "@shared/dbn/mod.ts";

/** One interval of a symbol's mapping: yyyymmdd dates, end exclusive. */
export interface SymbolInterval {
  startDate: number;
  endDate: number;
  instrumentId: number;
}

/** Which records a request selects: filter time in [startNs, endNs), instruments (all when undefined). */
export interface RecordFilter {
  startNs: bigint;
  /** Exclusive; undefined: no end. */
  endNs: bigint | undefined;
  instrumentIds: ReadonlySet<number> | undefined;
}

/** Hands out a source's selected records in time order, straight into a byte buffer. */
export interface RecordCursor {
  /** Filter time of the next record, undefined when there is none. */
  peek(): bigint | undefined;
  /**
   * Copies the next records into `buffer` at `offset` while they fit, fewer than `maxRecords`
   * are written, and their time is at most `bound` (no bound when undefined).
   */
  fill(buffer: Uint8Array, offset: number, maxRecords: number, bound: bigint | undefined): Filled;
}

/** What one `fill` wrote. */
export interface Filled {
  records: number;
  bytes: number;
}

/** Records of one dataset and schema that the fake serves. */
export interface FakeSource {
  readonly dataset: string;
  readonly schema: string;
  /** Bytes of one v3 record of the schema. */
  readonly recordSize: number;
  /** Raw symbol -> its instrument ids over time. */
  readonly symbols: ReadonlyMap<string, readonly SymbolInterval[]>;
  readonly instrumentIds: ReadonlySet<number>;
  /** Filter time of the first and last record (undefined when empty). */
  readonly firstNs: bigint | undefined;
  readonly lastNs: bigint | undefined;
  count(filter: RecordFilter): number;
  cursor(filter: RecordFilter): RecordCursor;
}

/** Bytes of one v3 record of `schema` (e.g. 48 for trades). */
export function schemaRecordSize(schema: string): number {
  return recordSize(schemaRType(parseSchema(schema)), 3);
}

/** Offset of the filter time in a v3 record: ts_recv when the layout has it, else ts_event (8). */
export function filterTimeOffset(rtype: number): number {
  const field = recordLayout(rtype, 3)?.fields.find((f) => f.key === "tsRecv");
  return field?.offset ?? 8;
}

/** Reads a DBN file (plain or zstd, any version) into a source of v3 records sorted by time. */
export async function loadFileSource(path: string | URL): Promise<FakeSource> {
  const label = typeof path === "string" ? path : path.href;
  if (/\.frag(\.|$)/.test(label)) {
    throw new TypeError(`Cannot serve "${label}": a fragment has no metadata (dataset, schema)`);
  }
  const reader = await openDbn(await Deno.readFile(path), { upgrade: true, source: label });
  const metadata = reader.metadata;
  if (metadata === undefined || metadata.schema === null) {
    await reader.close();
    throw new TypeError(`Cannot serve "${label}": it needs metadata with a single schema`);
  }
  if (metadata.tsOut) {
    await reader.close();
    throw new TypeError(`Cannot serve "${label}": records with ts_out are not supported`);
  }
  const rows: { ts: bigint; id: number; bytes: Uint8Array; order: number }[] = [];
  for await (const batch of reader.batches()) {
    const view = new DataView(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
    for (let i = 0; i < batch.count; i++) {
      const at = batch.offsets[i]!;
      const length = batch.bytes[at]! * 4;
      const tsAt = at + filterTimeOffset(batch.bytes[at + 1]!);
      rows.push({
        ts: view.getBigUint64(tsAt, true),
        id: view.getUint32(at + 4, true),
        bytes: batch.bytes.slice(at, at + length),
        order: rows.length,
      });
    }
  }
  rows.sort((a, b) => a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.order - b.order);
  const symbols = new Map<string, SymbolInterval[]>();
  for (const mapping of metadata.mappings) {
    const intervals = mapping.intervals
      .filter((interval) => /^\d+$/.test(interval.symbol))
      .map((interval) => ({
        startDate: interval.startDate,
        endDate: interval.endDate,
        instrumentId: Number(interval.symbol),
      }));
    if (intervals.length > 0) symbols.set(mapping.rawSymbol, intervals);
  }
  return new FileSource(metadata.dataset, schemaName(metadata.schema), symbols, rows);
}

class FileSource implements FakeSource {
  readonly recordSize: number;
  readonly instrumentIds: ReadonlySet<number>;
  readonly firstNs: bigint | undefined;
  readonly lastNs: bigint | undefined;
  #ts: bigint[];
  #ids: number[];
  #bytes: Uint8Array[];

  constructor(
    readonly dataset: string,
    readonly schema: string,
    readonly symbols: ReadonlyMap<string, readonly SymbolInterval[]>,
    rows: readonly { ts: bigint; id: number; bytes: Uint8Array }[],
  ) {
    this.recordSize = schemaRecordSize(schema);
    this.#ts = rows.map((row) => row.ts);
    this.#ids = rows.map((row) => row.id);
    this.#bytes = rows.map((row) => row.bytes);
    this.instrumentIds = new Set(this.#ids);
    this.firstNs = this.#ts[0];
    this.lastNs = this.#ts.at(-1);
  }

  count(filter: RecordFilter): number {
    let n = 0;
    for (const _ of this.#indexes(filter)) n++;
    return n;
  }

  cursor(filter: RecordFilter): RecordCursor {
    const indexes = this.#indexes(filter);
    let next = indexes.next();
    const ts = this.#ts;
    const bytes = this.#bytes;
    return {
      peek: () => next.done ? undefined : ts[next.value],
      fill: (buffer, offset, maxRecords, bound) => {
        let records = 0;
        let at = offset;
        while (!next.done && records < maxRecords) {
          const record = bytes[next.value]!;
          if (bound !== undefined && ts[next.value]! > bound) break;
          if (at + record.length > buffer.length) break;
          buffer.set(record, at);
          at += record.length;
          records += 1;
          next = indexes.next();
        }
        return { records, bytes: at - offset };
      },
    };
  }

  *#indexes(filter: RecordFilter): Generator<number> {
    const ts = this.#ts;
    let lo = 0;
    let hi = ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid]! < filter.startNs) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < ts.length; i++) {
      if (filter.endNs !== undefined && ts[i]! >= filter.endNs) return;
      if (filter.instrumentIds === undefined || filter.instrumentIds.has(this.#ids[i]!)) yield i;
    }
  }
}

/** One cursor over several, in time order (ties: the earlier cursor first). */
export function mergeCursors(cursors: readonly RecordCursor[]): RecordCursor {
  if (cursors.length === 1) return cursors[0]!;
  const peekMin = (): { index: number; second: bigint | undefined } | undefined => {
    let index = -1;
    let best: bigint | undefined;
    let second: bigint | undefined;
    cursors.forEach((cursor, i) => {
      const ts = cursor.peek();
      if (ts === undefined) return;
      if (best === undefined || ts < best) {
        if (best !== undefined) second = best;
        best = ts;
        index = i;
      } else if (second === undefined || ts < second) {
        second = ts;
      }
    });
    return index < 0 ? undefined : { index, second };
  };
  return {
    peek: () => {
      const head = peekMin();
      return head === undefined ? undefined : cursors[head.index]!.peek();
    },
    fill: (buffer, offset, maxRecords, bound) => {
      let records = 0;
      let bytes = 0;
      while (records < maxRecords) {
        const head = peekMin();
        if (head === undefined) break;
        const limit = head.second === undefined
          ? bound
          : bound === undefined || head.second < bound
          ? head.second
          : bound;
        const filled = cursors[head.index]!.fill(
          buffer,
          offset + bytes,
          maxRecords - records,
          limit,
        );
        if (filled.records === 0) break;
        records += filled.records;
        bytes += filled.bytes;
      }
      return { records, bytes };
    },
  };
}
