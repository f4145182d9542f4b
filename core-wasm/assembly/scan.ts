// Column scans the tick sources run on every chunk: one pass in the core instead of a JS loop.

/** Index of the first u64 below its predecessor (the first one is compared with `prev`), or -1. */
export function firstDecreaseU64(ptr: usize, n: i32, prev: u64): i32 {
  let last = prev;
  for (let i = 0; i < n; i++) {
    const v = load<u64>(ptr + (<usize>i << 3));
    if (v < last) return i;
    last = v;
  }
  return -1;
}

/** Index of the first u32 that differs from `value`, or -1. */
export function firstNotEqualU32(ptr: usize, n: i32, value: u32): i32 {
  for (let i = 0; i < n; i++) {
    if (load<u32>(ptr + (<usize>i << 2)) != value) return i;
  }
  return -1;
}
