// DBN fixed-size records <-> columns (struct of arrays) in the core's linear memory: one kernel
// call per buffer, typed-array views over one block per batch, no JS object per record.
import { core } from "./_instance.ts";
import { CoreBuffer, inCoreMemory } from "./buffer.ts";
import { CoreWasmError, statusText } from "./errors.ts";
import {
  DBN_BAD_LENGTH,
  DBN_TRUNCATED,
  DBN_UNKNOWN_RTYPE,
  type DbnColumnsByKind,
  DbnRecordError,
  type DbnRecordKind,
  dbnRecordSize,
  hex,
  type KindLayout,
  layoutOf,
  TS_OUT_BYTES,
} from "./_dbn_layout.ts";

export type {
  BboColumns,
  DbnColumnsByKind,
  DbnRecordErrorCode,
  DbnRecordKind,
  HeaderColumns,
  LevelColumns,
  Mbp1Columns,
  OhlcvColumns,
  TradeColumns,
} from "./_dbn_layout.ts";
export { DbnRecordError, dbnRecordSize } from "./_dbn_layout.ts";

const TABLE_BYTES = 128; // u32 column pointers, at most 20 slots
const COLUMN_ALIGN = 64;
/** The core's allocator serves blocks below 1 GiB (AssemblyScript TLSF). */
const MAX_BLOCK_BYTES = 2 ** 30 - 64;
const MAX_RECORDS = 2 ** 31 - 1;

/** Options of a ColumnBatch. */
export interface ColumnBatchOptions {
  /** Records carry the 8-byte ts_out suffix (metadata ts_out = 1); default false. */
  tsOut?: boolean;
  /** Rows to allocate up front; the batch grows as needed. */
  capacity?: number;
}

/** Options of a one-shot decode. */
export interface DecodeOptions {
  /** Records to decode from the start; default every record in the bytes. */
  count?: number;
  /** Ignore a trailing partial record instead of failing with DBN_TRUNCATED; default false. */
  partial?: boolean;
}

/** Options of decodeColumns. */
export interface DecodeColumnsOptions extends DecodeOptions {
  tsOut?: boolean;
}

function checkCount(count: number, what: string): number {
  if (!Number.isInteger(count) || count < 0 || count > MAX_RECORDS) {
    throw new RangeError(`Invalid ${what} ${count}: expected an integer from 0 to ${MAX_RECORDS}`);
  }
  return count;
}

function allocate(bytes: number, what: string): CoreBuffer {
  if (bytes > MAX_BLOCK_BYTES) {
    throw new RangeError(
      `Cannot allocate ${bytes} bytes for ${what}: the core's blocks hold at most ${MAX_BLOCK_BYTES}; decode in chunks (ColumnBatch.push)`,
    );
  }
  return new CoreBuffer(bytes);
}

/**
 * Columns of `kind` records in one block of the core's memory, reusable from chunk to chunk.
 *
 * The typed arrays from `columns()` are views, not copies: they die when the batch is freed and
 * when the core's memory grows (any allocation may grow it; detached views read as empty).
 * Call `columns()` again after such calls: it re-creates the views only when needed.
 */
export class ColumnBatch<K extends DbnRecordKind = DbnRecordKind> implements Disposable {
  readonly kind: K;
  readonly tsOut: boolean;
  /** Bytes per record, ts_out included. */
  readonly recordSize: number;
  readonly #layout: KindLayout;
  #block: CoreBuffer | undefined;
  #offsets: number[] = [];
  #capacity = 0;
  #length = 0;
  #views: DbnColumnsByKind[K] | undefined;
  #viewsOf: [ArrayBuffer, number, number] | undefined;
  #staging: CoreBuffer | undefined;
  #pending = 0;
  #streamBytes = 0;
  #streamRecords = 0;

  constructor(kind: K, options?: ColumnBatchOptions) {
    this.#layout = layoutOf(kind);
    this.kind = kind;
    this.tsOut = options?.tsOut ?? false;
    this.recordSize = this.#layout.size + (this.tsOut ? TS_OUT_BYTES : 0);
    this.#allocate(checkCount(options?.capacity ?? 0, "capacity"), false);
  }

  /** Copies JS columns into a new batch; tsOut is taken from the presence of `columns.tsOut`. */
  static from<K extends DbnRecordKind>(kind: K, columns: DbnColumnsByKind[K]): ColumnBatch<K> {
    const source = columns as unknown as Record<string, ArrayLike<unknown> | undefined>;
    const length = columns.tsEvent.length;
    const names = layoutOf(kind).fields.map(([name]) => name);
    if (columns.tsOut !== undefined) names.push("tsOut");
    for (const name of names) {
      const column = source[name];
      if (column === undefined) throw new TypeError(`Missing ${kind} column "${name}"`);
      if (column.length !== length) {
        throw new RangeError(
          `Invalid ${kind} column "${name}": ${column.length} values, expected ${length}`,
        );
      }
    }
    const batch = new ColumnBatch(kind, { tsOut: columns.tsOut !== undefined, capacity: length });
    batch.setLength(length);
    const views = batch.columns() as unknown as Record<
      string,
      { set(a: ArrayLike<unknown>): void }
    >;
    for (const name of names) views[name]!.set(source[name]!);
    return batch;
  }

  /** Rows holding records. */
  get length(): number {
    return this.#length;
  }

  /** Rows the block holds before it must grow. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Bytes carried over from the last push (a partial record). */
  get pending(): number {
    return this.#pending;
  }

  /** Views of rows 0..length of every column; re-created only when memory grew or the block moved. */
  columns(): DbnColumnsByKind[K] {
    const block = this.#live();
    const buffer = core.memory.buffer as ArrayBuffer; // never shared: the core has no threads
    const seen = this.#viewsOf;
    if (
      this.#views !== undefined && seen !== undefined && seen[0] === buffer &&
      seen[1] === block.ptr && seen[2] === this.#length
    ) return this.#views;
    const views: Record<string, unknown> = {};
    this.#names().forEach((name, slot) => {
      const View = slot < this.#layout.fields.length
        ? this.#layout.fields[slot]![1]
        : BigUint64Array;
      views[name] = new View(buffer, block.ptr + this.#offsets[slot]!, this.#length);
    });
    this.#views = views as unknown as DbnColumnsByKind[K];
    this.#viewsOf = [buffer, block.ptr, this.#length];
    return this.#views;
  }

  /** Grows the block to hold `capacity` rows, keeping rows 0..length. */
  reserve(capacity: number): void {
    this.#live();
    if (checkCount(capacity, "capacity") > this.#capacity) this.#allocate(capacity, true);
  }

  /** Sets the row count (growing as needed); rows past the old length hold unspecified values. */
  setLength(length: number): void {
    this.reserve(length);
    this.#length = length;
  }

  /**
   * Replaces the rows with the records of `bytes` (read in place when the bytes already live in
   * the core's memory, else copied into a staging block kept for the next call). Returns the
   * record count. On a bad record throws DbnRecordError; rows 0..recordIndex then hold the good
   * records before it. Ends any stream in progress.
   */
  decode(bytes: Uint8Array, options?: DecodeOptions): number {
    const { length: byteLength, byteOffset } = bytes; // before any allocation detaches `bytes`
    const inCore = inCoreMemory(bytes);
    this.#live();
    this.#pending = this.#streamBytes = this.#streamRecords = 0;
    const size = this.recordSize;
    const whole = Math.floor(byteLength / size);
    const count = checkCount(
      options?.count ?? (options?.partial || byteLength % size === 0 ? whole : whole + 1),
      "count",
    );
    let ptr = byteOffset;
    if (!inCore) {
      ptr = this.#stage(byteLength, 0).ptr;
      new Uint8Array(core.memory.buffer, ptr, byteLength).set(bytes);
    }
    this.#run(ptr, byteLength, count, 0);
    return count;
  }

  /**
   * Streaming decode: appends `chunk` to the bytes carried from the last push, replaces the rows
   * with every whole record and carries the partial one. Returns the record count (0 is fine).
   * Error positions count from the first byte pushed since the stream began.
   */
  push(chunk: Uint8Array): number {
    const { length: chunkLength, byteOffset } = chunk;
    const inCore = inCoreMemory(chunk);
    this.#live();
    const total = this.#pending + chunkLength;
    const staging = this.#stage(total, this.#pending);
    if (inCore) {
      new Uint8Array(core.memory.buffer).copyWithin(
        staging.ptr + this.#pending,
        byteOffset,
        byteOffset + chunkLength,
      );
    } else new Uint8Array(core.memory.buffer, staging.ptr + this.#pending, chunkLength).set(chunk);
    const count = Math.floor(total / this.recordSize);
    const used = count * this.recordSize;
    try {
      this.#run(staging.ptr, used, count, this.#streamBytes);
    } catch (e) {
      this.resetStream();
      throw e;
    }
    this.#pending = total - used;
    const memory = new Uint8Array(core.memory.buffer);
    memory.copyWithin(staging.ptr, staging.ptr + used, staging.ptr + total);
    this.#streamBytes += used;
    this.#streamRecords += count;
    return count;
  }

  /** Ends a stream: throws DBN_TRUNCATED when a partial record is left over, then resets. */
  finish(): void {
    const pending = this.#pending;
    const where = { recordIndex: this.#streamRecords, byteOffset: this.#streamBytes };
    this.resetStream();
    if (pending > 0) {
      throw new DbnRecordError(
        "DBN_TRUNCATED",
        `Cannot decode ${this.kind} record ${where.recordIndex} at byte ${where.byteOffset}: the stream ends ${pending} bytes into its ${this.recordSize}`,
        where,
      );
    }
  }

  /** Forgets carried bytes and the stream position, and frees the staging block. */
  resetStream(): void {
    this.#pending = this.#streamBytes = this.#streamRecords = 0;
    this.#staging?.free();
    this.#staging = undefined;
  }

  /** Returns both blocks to the core; idempotent. The views die with them. */
  free(): void {
    this.resetStream();
    this.#block?.free();
    this.#block = undefined;
    this.#views = undefined;
    this.#viewsOf = undefined;
    this.#length = this.#capacity = 0;
  }

  [Symbol.dispose](): void {
    this.free();
  }

  /**
   * Encodes the rows as DBN records (length byte, rtype, reserved bytes zero) into a new array.
   * Large or repeated batches: encodeInto() a reused block, then copy from it.
   */
  encode(): Uint8Array {
    using out = new CoreBuffer(this.#length * this.recordSize);
    const bytes = this.encodeInto(out);
    return out.bytes().slice(0, bytes);
  }

  /** Encodes the rows into the start of `target` (a core block reused between calls); returns bytes written. */
  encodeInto(target: CoreBuffer): number {
    const block = this.#live();
    const bytes = this.#length * this.recordSize;
    if (target.byteLength < bytes) {
      throw new RangeError(
        `Cannot encode ${this.#length} ${this.kind} records into ${target.byteLength} bytes`,
      );
    }
    const status = core[`encode${this.#layout.kernel}`](
      block.ptr,
      this.#length,
      this.tsOut ? 1 : 0,
      target.ptr,
      target.byteLength,
    );
    if (status === 0) return bytes;
    const index = Number(core.resultValue());
    if (status !== DBN_UNKNOWN_RTYPE) throw unexpected(status, `encode ${this.kind}`);
    const rtype = this.columns().rtype[index] ?? 0;
    throw new DbnRecordError(
      "DBN_UNKNOWN_RTYPE",
      `Cannot encode ${this.kind} row ${index}: rtype ${hex(rtype)} is not ${this.#rtypeList()}`,
      { recordIndex: index, byteOffset: index * this.recordSize },
    );
  }

  #names(): string[] {
    const names = this.#layout.fields.map(([name]) => name);
    if (this.tsOut) names.push("tsOut");
    return names;
  }

  #rtypeList(): string {
    return `an rtype of ${this.kind} records (${this.#layout.rtypes.map(hex).join(", ")})`;
  }

  #live(): CoreBuffer {
    if (this.#block === undefined) throw new TypeError(`Cannot use a freed ${this.kind} batch`);
    return this.#block;
  }

  /** A block for `capacity` rows (table, then 64-byte aligned columns); copies rows when asked. */
  #allocate(capacity: number, keep: boolean): void {
    const fields = this.#layout.fields;
    const slots = fields.length + (this.tsOut ? 1 : 0);
    const offsets: number[] = [];
    let bytes = TABLE_BYTES;
    for (let slot = 0; slot < slots; slot++) {
      offsets.push(bytes);
      const width = slot < fields.length ? fields[slot]![1].BYTES_PER_ELEMENT : 8;
      bytes += Math.ceil((capacity * width) / COLUMN_ALIGN) * COLUMN_ALIGN;
    }
    const block = allocate(bytes, `${capacity} ${this.kind} rows`);
    const old = this.#block;
    const memory = new Uint8Array(core.memory.buffer);
    if (keep && old !== undefined) {
      for (let slot = 0; slot < slots; slot++) {
        const width = slot < fields.length ? fields[slot]![1].BYTES_PER_ELEMENT : 8;
        const from = old.ptr + this.#offsets[slot]!;
        memory.copyWithin(block.ptr + offsets[slot]!, from, from + this.#length * width);
      }
    }
    old?.free();
    const table = new Uint32Array(core.memory.buffer, block.ptr, TABLE_BYTES / 4);
    table.fill(0);
    offsets.forEach((offset, slot) => (table[slot] = block.ptr + offset));
    this.#block = block;
    this.#offsets = offsets;
    this.#capacity = capacity;
    if (!keep) this.#length = 0;
  }

  /** The staging block with room for `bytes`, keeping its first `keep` bytes. */
  #stage(bytes: number, keep: number): CoreBuffer {
    const old = this.#staging;
    if (old !== undefined && old.byteLength >= bytes) return old;
    const next = allocate(
      Math.max(bytes, Math.min(2 * (old?.byteLength ?? 0), MAX_BLOCK_BYTES)),
      "input",
    );
    if (old !== undefined && keep > 0) {
      new Uint8Array(core.memory.buffer).copyWithin(next.ptr, old.ptr, old.ptr + keep);
    }
    old?.free();
    this.#staging = next;
    return next;
  }

  /** Decodes `count` records at ptr into the rows (growing them); throws on a bad record. */
  #run(ptr: number, byteLength: number, count: number, streamBytes: number): void {
    const rows = Math.min(count, Math.floor(byteLength / this.recordSize)); // the most it decodes
    if (rows > this.#capacity) {
      this.#allocate(Math.max(rows, Math.floor(this.#capacity * 1.5)), false);
    }
    const status = core[`decode${this.#layout.kernel}`](
      ptr,
      byteLength,
      count,
      this.tsOut ? 1 : 0,
      this.#block!.ptr,
    );
    if (status === 0) {
      this.#length = count;
      return;
    }
    const index = Number(core.resultValue());
    this.#length = index;
    if (status < DBN_BAD_LENGTH || status > DBN_TRUNCATED) {
      throw unexpected(status, `decode ${this.kind}`);
    }
    const size = this.recordSize;
    const where = {
      recordIndex: this.#streamRecords + index,
      byteOffset: streamBytes + index * size,
    };
    const at = `Cannot decode ${this.kind} record ${where.recordIndex} at byte ${where.byteOffset}`;
    if (status === DBN_TRUNCATED) {
      const left = byteLength - index * size;
      throw new DbnRecordError(
        "DBN_TRUNCATED",
        `${at}: the buffer ends ${left} bytes into its ${size}`,
        where,
      );
    }
    const [words = 0, rtype = 0] = new Uint8Array(core.memory.buffer, ptr + index * size, 2);
    if (status === DBN_UNKNOWN_RTYPE) {
      throw new DbnRecordError(
        "DBN_UNKNOWN_RTYPE",
        `${at}: rtype ${hex(rtype)} is not ${this.#rtypeList()}`,
        where,
      );
    }
    throw new DbnRecordError(
      "DBN_BAD_LENGTH",
      `${at}: length byte ${words} (${words * 4} bytes), expected ${size / 4} (${size} bytes${
        this.tsOut ? " with ts_out" : ""
      })`,
      where,
    );
  }
}

function unexpected(status: number, what: string): CoreWasmError {
  return new CoreWasmError("CORE_WASM_STATUS", `Cannot ${what}: ${statusText(status)}`);
}

/** Decodes the records of `bytes` (no metadata) into a new batch; free it when done. */
export function decodeColumns<K extends DbnRecordKind>(
  kind: K,
  bytes: Uint8Array,
  options?: DecodeColumnsOptions,
): ColumnBatch<K> {
  const whole = Math.floor(bytes.length / dbnRecordSize(kind, options?.tsOut));
  const count = options?.count;
  const capacity = count === undefined ? whole : Math.min(checkCount(count, "count"), whole);
  const batch = new ColumnBatch(kind, { tsOut: options?.tsOut ?? false, capacity });
  try {
    batch.decode(bytes, options);
    batch.resetStream(); // frees the staging copy
    return batch;
  } catch (e) {
    batch.free();
    throw e;
  }
}

/** Encodes a batch's rows as DBN records into a new array (see ColumnBatch.encode). */
export function encodeColumns(batch: ColumnBatch): Uint8Array {
  return batch.encode();
}
