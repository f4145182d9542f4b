import {
  ROUND_CEIL,
  ROUND_FLOOR,
  ROUND_HALF_AWAY_FROM_ZERO,
  ROUND_HALF_EVEN,
  ROUND_TOWARD_ZERO,
} from "../status";

/**
 * Whether the magnitude quotient q (with remainder r of divisor d) must step one away from zero
 * under `mode`, for a result whose sign is `negative`. Returns -1 for an unknown mode.
 */
// @ts-ignore: decorator
@inline
export function roundUp(q: u64, r: u64, d: u64, negative: bool, mode: i32): i32 {
  if (r == 0) return 0;
  const half = d - r; // compare r with d - r instead of 2r with d: no overflow
  if (mode == ROUND_HALF_EVEN) return r > half || (r == half && (q & 1) == 1) ? 1 : 0;
  if (mode == ROUND_TOWARD_ZERO) return 0;
  if (mode == ROUND_HALF_AWAY_FROM_ZERO) return r >= half ? 1 : 0;
  if (mode == ROUND_FLOOR) return negative ? 1 : 0;
  if (mode == ROUND_CEIL) return negative ? 0 : 1;
  return -1;
}

/** Whether `mode` is one of the ROUND_* constants. */
// @ts-ignore: decorator
@inline
export function validRounding(mode: i32): bool {
  return mode >= ROUND_HALF_EVEN && mode <= ROUND_CEIL;
}
