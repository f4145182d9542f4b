/**
 * Whole-memory views of the core, re-taken only when its memory grows: reading one value of a
 * column at a pointer costs an index, not a view.
 * @module
 */
import { coreMemoryBuffer } from "@core/mod.ts";

let buffer: ArrayBuffer | undefined;
let u64: BigUint64Array;
let i64: BigInt64Array;
let u32: Uint32Array;
let u8: Uint8Array;

function refresh(): void {
  const current = coreMemoryBuffer();
  if (current === buffer) return;
  buffer = current;
  u64 = new BigUint64Array(current);
  i64 = new BigInt64Array(current);
  u32 = new Uint32Array(current);
  u8 = new Uint8Array(current);
}

/** The u64 at `ptr` (8-aligned) + `index` * 8. */
export function readU64(ptr: number, index: number): bigint {
  refresh();
  return u64[(ptr >>> 3) + index]!;
}

/** The i64 at `ptr` (8-aligned) + `index` * 8. */
export function readI64(ptr: number, index: number): bigint {
  refresh();
  return i64[(ptr >>> 3) + index]!;
}

/** The u32 at `ptr` (4-aligned) + `index` * 4. */
export function readU32(ptr: number, index: number): number {
  refresh();
  return u32[(ptr >>> 2) + index]!;
}

/** The u8 at `ptr` + `index`. */
export function readU8(ptr: number, index: number): number {
  refresh();
  return u8[ptr + index]!;
}
