// Unmanaged memory for host-owned buffers (strings, columns). Never touched by a GC.

/** Allocates `size` bytes (16-byte aligned) in linear memory; the host frees it with `free`. */
export function alloc(size: usize): usize {
  return heap.alloc(size);
}

/** Frees a block returned by `alloc`. */
export function free(ptr: usize): void {
  heap.free(ptr);
}
