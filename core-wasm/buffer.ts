import { core } from "./_instance.ts";
import { CoreWasmError } from "./errors.ts";

/**
 * A block of the core's linear memory owned by the host: columns, string batches, results.
 * Views must be taken after the last call that may grow memory, so they are made on demand.
 */
export class CoreBuffer implements Disposable {
  readonly ptr: number;
  readonly byteLength: number;
  #freed = false;

  constructor(byteLength: number) {
    if (!Number.isInteger(byteLength) || byteLength < 0) {
      throw new RangeError(`Cannot allocate ${byteLength} bytes: not a non-negative integer`);
    }
    this.byteLength = byteLength;
    this.ptr = core.alloc(Math.max(byteLength, 8));
    if (this.ptr === 0) {
      throw new CoreWasmError("CORE_WASM_OOM", `Cannot allocate ${byteLength} bytes`);
    }
  }

  /** Bytes of this block. */
  bytes(): Uint8Array {
    return new Uint8Array(core.memory.buffer, this.ptr, this.byteLength);
  }

  /** The block as i64 values (byteLength must be a multiple of 8). */
  i64(): BigInt64Array {
    return new BigInt64Array(core.memory.buffer, this.ptr, this.byteLength >> 3);
  }

  /** The block as u32 values. */
  u32(): Uint32Array {
    return new Uint32Array(core.memory.buffer, this.ptr, this.byteLength >> 2);
  }

  /** Returns the block to the core's allocator; idempotent. */
  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    core.free(this.ptr);
  }

  [Symbol.dispose](): void {
    this.free();
  }
}

/** Whether a typed array already lives in the core's memory (so no copy is needed). */
export function inCoreMemory(view: ArrayBufferView): boolean {
  return view.buffer === core.memory.buffer;
}

/**
 * Runs fn with a pointer to `view`'s bytes inside the core's memory: the view's own bytes when it
 * already lives there, otherwise a temporary copy (freed afterwards).
 */
export function withCorePointer<T>(view: ArrayBufferView, fn: (ptr: number) => T): T {
  if (inCoreMemory(view)) return fn(view.byteOffset);
  using block = new CoreBuffer(view.byteLength);
  block.bytes().set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  return fn(block.ptr);
}

/** The core's memory right now (a new ArrayBuffer after every growth: re-take views from it). */
export function coreMemoryBuffer(): ArrayBuffer {
  return core.memory.buffer as ArrayBuffer;
}
