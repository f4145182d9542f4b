// Batch forms of the fixed-point core: one boundary crossing per batch, values stay i64 in
// linear memory and come back as BigInt64Array copies (a memcpy, never a BigInt per value).
import { core } from "./_instance.ts";
import { CoreBuffer, withCorePointer } from "./buffer.ts";
import { Status, throwStatus } from "./errors.ts";
import {
  checkScale,
  type DecimalOptions,
  PRICE_SCALE,
  Rounding,
  type RoundingOptions,
} from "./fixed.ts";

/** Values and per-item status codes (Status.Ok or the failure) of a parsed batch. */
export interface ParsedBatch {
  values: BigInt64Array;
  status: Uint8Array;
  /** Items whose status is not Status.Ok (their value is 0). */
  errors: number;
}

/** Options for parsing a separated buffer. */
export interface ParseLinesOptions extends DecimalOptions {
  /** Separator byte; default "\n". */
  separator?: number;
}

const NEWLINE = 0x0a;
const CHUNK_ITEMS = 65_536;
const encoder = new TextEncoder();

/** Reusable blocks for one chunk of strings: text, values and statuses. */
class ChunkBlocks implements Disposable {
  text = new CoreBuffer(CHUNK_ITEMS * 16);
  // One spare slot: a chunk whose strings hold extra separators overflows into it.
  values = new CoreBuffer((CHUNK_ITEMS + 1) * 8);
  status = new CoreBuffer(CHUNK_ITEMS + 1);

  ensureText(bytes: number): void {
    if (bytes <= this.text.byteLength) return;
    this.text.free();
    this.text = new CoreBuffer(bytes);
  }

  [Symbol.dispose](): void {
    this.text.free();
    this.values.free();
    this.status.free();
  }
}

function copyOut(blocks: ChunkBlocks, count: number, out: ParsedBatch, at: number): void {
  out.values.set(blocks.values.i64().subarray(0, count), at);
  out.status.set(blocks.status.bytes().subarray(0, count), at);
}

/** Parses each string as a decimal at `scale` (default 9) without throwing; see ParsedBatch. */
export function parseDecimals(texts: readonly string[], options?: DecimalOptions): ParsedBatch {
  const scale = checkScale(options?.scale ?? PRICE_SCALE);
  const out: ParsedBatch = {
    values: new BigInt64Array(texts.length),
    status: new Uint8Array(texts.length),
    errors: 0,
  };
  using blocks = new ChunkBlocks();
  for (let at = 0; at < texts.length; at += CHUNK_ITEMS) {
    const chunk = texts.slice(at, at + CHUNK_ITEMS);
    // Every item is terminated by "\n", so the item count proves alignment: a string holding a
    // newline of its own adds items and sends the chunk down the one-by-one path.
    const joined = chunk.join("\n") + "\n";
    blocks.ensureText(joined.length * 3);
    const { written } = encoder.encodeInto(joined, blocks.text.bytes());
    const count = core.parseLines(
      blocks.text.ptr,
      written,
      NEWLINE,
      scale,
      blocks.values.ptr,
      blocks.status.ptr,
      chunk.length + 1,
    );
    if (count === chunk.length) {
      out.errors += core.lastBatchErrors();
      copyOut(blocks, count, out, at);
      continue;
    }
    out.errors += parseOneByOne(chunk, scale, blocks, out, at);
  }
  return out;
}

function parseOneByOne(
  chunk: readonly string[],
  scale: number,
  blocks: ChunkBlocks,
  out: ParsedBatch,
  at: number,
): number {
  let errors = 0;
  for (let k = 0; k < chunk.length; k++) {
    const text = chunk[k] ?? "";
    blocks.ensureText(text.length * 3);
    const { written } = encoder.encodeInto(text, blocks.text.bytes());
    const status = text.includes("\n")
      ? Status.Syntax
      : core.parseDecimal(blocks.text.ptr, written, scale);
    out.status[at + k] = status;
    if (status === Status.Ok) out.values[at + k] = core.resultValue();
    else errors++;
  }
  return errors;
}

/** Parses the items of a byte buffer separated by one byte (default "\n"); a trailing separator ends the last item. */
export function parseDecimalLines(bytes: Uint8Array, options?: ParseLinesOptions): ParsedBatch {
  const separator = options?.separator ?? NEWLINE;
  const scale = checkScale(options?.scale ?? PRICE_SCALE);
  const parse = (ptr: number) => {
    const maxCount = core.countByte(ptr, bytes.length, separator) + 1;
    using values = new CoreBuffer(maxCount * 8);
    using status = new CoreBuffer(maxCount);
    const count = core.parseLines(
      ptr,
      bytes.length,
      separator,
      scale,
      values.ptr,
      status.ptr,
      maxCount,
    );
    return {
      values: values.i64().slice(0, count),
      status: status.bytes().slice(0, count),
      errors: core.lastBatchErrors(),
    };
  };
  return withCorePointer(bytes, parse);
}

/** Parses the (offset, length) u32 pairs of `spans` inside `bytes`, e.g. number fields of a raw message. */
export function parseDecimalSpans(
  bytes: Uint8Array,
  spans: Uint32Array,
  options?: DecimalOptions,
): ParsedBatch {
  const count = spans.length >> 1;
  for (let k = 0; k < count; k++) {
    if ((spans[2 * k] ?? 0) + (spans[2 * k + 1] ?? 0) > bytes.length) {
      throw new RangeError(`Invalid span ${k}: it ends past the buffer's ${bytes.length} bytes`);
    }
  }
  using values = new CoreBuffer(count * 8);
  using status = new CoreBuffer(count);
  const errors = withCorePointer(
    bytes,
    (ptr) =>
      withCorePointer(spans, (spansPtr) =>
        core.parseSpans(
          ptr,
          spansPtr,
          count,
          checkScale(options?.scale ?? PRICE_SCALE),
          values.ptr,
          status.ptr,
        )),
  );
  return { values: values.i64().slice(0, count), status: status.bytes().slice(0, count), errors };
}

function aggregate(
  values: BigInt64Array,
  kernel: (ptr: number, n: number) => number,
  what: string,
): bigint {
  const status = withCorePointer(values, (ptr) => kernel(ptr, values.length));
  if (status !== Status.Ok) {
    throwStatus(status, `Cannot compute the ${what} of ${values.length} values`);
  }
  return core.resultValue();
}

/** Exact sum of i64 values; RangeError when it leaves i64. */
export function sumFixed(values: BigInt64Array): bigint {
  return aggregate(values, core.sumI64, "sum");
}

/** Minimum of i64 values; RangeError when empty. */
export function minFixed(values: BigInt64Array): bigint {
  return aggregate(values, core.minI64, "minimum");
}

/** Maximum of i64 values; RangeError when empty. */
export function maxFixed(values: BigInt64Array): bigint {
  return aggregate(values, core.maxI64, "maximum");
}

/** Volume-weighted average price sum(p*s)/sum(s), exact 128-bit numerator, one rounding (default half-even). */
export function vwap(
  prices: BigInt64Array,
  sizes: BigInt64Array,
  options?: RoundingOptions,
): bigint {
  if (prices.length !== sizes.length) {
    throw new RangeError(
      `Cannot compute a VWAP of ${prices.length} prices and ${sizes.length} sizes`,
    );
  }
  const status = withCorePointer(
    prices,
    (p) =>
      withCorePointer(
        sizes,
        (s) => core.vwap(p, s, prices.length, options?.rounding ?? Rounding.HalfEven),
      ),
  );
  if (status !== Status.Ok) {
    throwStatus(status, `Cannot compute the VWAP of ${prices.length} trades`);
  }
  return core.resultValue();
}

/** Index of the first value below its predecessor (the first is compared with `prev`), or -1. */
export function firstDecrease(values: BigUint64Array, prev = 0n): number {
  if (values.length === 0) return -1;
  return withCorePointer(values, (ptr) => core.firstDecreaseU64(ptr, values.length, prev));
}

/** Index of the first value that differs from `value`, or -1. */
export function firstNotEqual(values: Uint32Array, value: number): number {
  if (values.length === 0) return -1;
  return withCorePointer(values, (ptr) => core.firstNotEqualU32(ptr, values.length, value >>> 0));
}
