// Status codes returned by every fallible export. AssemblyScript has no exceptions, so expected
// failures are values; the host (core-wasm/mod.ts) turns them into typed errors.
export const STATUS_OK: i32 = 0;
export const STATUS_SYNTAX: i32 = 1;
export const STATUS_INEXACT: i32 = 2;
export const STATUS_OVERFLOW: i32 = 3;
export const STATUS_DIVISION_BY_ZERO: i32 = 4;
export const STATUS_INVALID_ARGUMENT: i32 = 5;
export const STATUS_EMPTY: i32 = 6;

// Rounding modes, same meaning as decimal.js's ROUND_DOWN, ROUND_HALF_UP, ROUND_HALF_EVEN, ...
export const ROUND_HALF_EVEN: i32 = 0;
export const ROUND_TOWARD_ZERO: i32 = 1;
export const ROUND_HALF_AWAY_FROM_ZERO: i32 = 2;
export const ROUND_FLOOR: i32 = 3;
export const ROUND_CEIL: i32 = 4;

// The one value slot for scalar results (a second return value without allocating).
let resultSlot: i64 = 0;

export function setResult(value: i64): void {
  resultSlot = value;
}

/** The i64 produced by the last successful scalar call. */
export function resultValue(): i64 {
  return resultSlot;
}
