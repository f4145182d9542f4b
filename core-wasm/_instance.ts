// Loads core-wasm/build/core.wasm once per isolate (main thread or Worker) and keeps a scratch
// area for scalar calls. Private to core-wasm: the rest of the code uses mod.ts.
import { CoreWasmError } from "./errors.ts";
import type { BarExports } from "./_bar_exports.ts";
import type { IndicatorExports } from "./_indicator_exports.ts";

/** Raw exports of the AssemblyScript core (pointers are byte offsets into `memory`). */
export interface CoreExports extends IndicatorExports, BarExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  free(ptr: number): void;
  resultValue(): bigint;
  parseDecimal(ptr: number, len: number, scale: number): number;
  formatDecimal(
    value: bigint,
    scale: number,
    decimals: number,
    rounding: number,
    out: number,
  ): number;
  mulDiv(a: bigint, b: bigint, c: bigint, rounding: number): number;
  mulFixed(a: bigint, b: bigint, rounding: number): number;
  divFixed(a: bigint, b: bigint, rounding: number): number;
  mulInt(a: bigint, n: bigint): number;
  divInt(a: bigint, n: bigint, rounding: number): number;
  parseLines(
    ptr: number,
    len: number,
    separator: number,
    scale: number,
    values: number,
    status: number,
    maxCount: number,
  ): number;
  parseSpans(
    ptr: number,
    spans: number,
    count: number,
    scale: number,
    values: number,
    status: number,
  ): number;
  lastBatchErrors(): number;
  countByte(ptr: number, len: number, byte: number): number;
  sumI64(values: number, n: number): number;
  minI64(values: number, n: number): number;
  maxI64(values: number, n: number): number;
  firstDecreaseU64(ptr: number, n: number, prev: bigint): number;
  firstNotEqualU32(ptr: number, n: number, value: number): number;
  vwap(prices: number, sizes: number, n: number, rounding: number): number;
  // DBN records <-> columns (assembly/dbn): `cols` is a table of u32 column pointers.
  decodeTrades(src: number, len: number, count: number, tsOut: number, cols: number): number;
  encodeTrades(cols: number, count: number, tsOut: number, dst: number, len: number): number;
  decodeMbp1(src: number, len: number, count: number, tsOut: number, cols: number): number;
  encodeMbp1(cols: number, count: number, tsOut: number, dst: number, len: number): number;
  decodeBbo(src: number, len: number, count: number, tsOut: number, cols: number): number;
  encodeBbo(cols: number, count: number, tsOut: number, dst: number, len: number): number;
  decodeOhlcv(src: number, len: number, count: number, tsOut: number, cols: number): number;
  encodeOhlcv(cols: number, count: number, tsOut: number, dst: number, len: number): number;
  // Tick rings of the L1 cache (assembly/tick_ring): `tag` = exchange index << 8 | side code.
  tickRingNew(capacity: number, ttlMs: number): number;
  tickRingFree(ring: number): void;
  tickRingClear(ring: number): void;
  tickRingPush(
    ring: number,
    tsEvent: bigint,
    price: bigint,
    tsRecv: bigint,
    size: number,
    tag: number,
    nowMs: number,
  ): number;
  tickRingPrepend(
    ring: number,
    tsEvent: bigint,
    price: bigint,
    tsRecv: bigint,
    size: number,
    tag: number,
    nowMs: number,
  ): number;
  tickRingLive(ring: number, nowMs: number): number;
}

const WASM_URL = new URL("./build/core.wasm", import.meta.url);
/** Bytes reserved for scalar strings; longer inputs get a temporary block. */
export const SCRATCH_BYTES = 4096;

function readAbortMessage(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return "abort";
  const bytes = new Uint8Array(memory.buffer);
  const length = new Uint32Array(memory.buffer, ptr - 4, 1)[0] ?? 0;
  return new TextDecoder("utf-16le").decode(bytes.subarray(ptr, ptr + length));
}

function instantiate(): CoreExports {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = Deno.readFileSync(WASM_URL);
  } catch (e) {
    throw new CoreWasmError(
      "CORE_WASM_MISSING",
      `Cannot load ${WASM_URL.pathname}: run "deno task build:wasm" first`,
      { cause: e },
    );
  }
  const loaded: { memory?: WebAssembly.Memory } = {};
  const imports = {
    env: {
      abort(message: number, _file: number, line: number, column: number): never {
        const text = loaded.memory ? readAbortMessage(loaded.memory, message) : "abort";
        throw new CoreWasmError(
          "CORE_WASM_TRAP",
          `WASM core aborted: ${text} at ${line}:${column}`,
        );
      },
    },
  };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
  const exports = instance.exports as unknown as CoreExports;
  loaded.memory = exports.memory;
  return exports;
}

/** The core's exports, instantiated on first use. */
export const core: CoreExports = instantiate();

/** A scratch block for scalar calls, allocated once. */
export const scratch: number = core.alloc(SCRATCH_BYTES);

/** A fresh Uint8Array over the whole linear memory (memory growth detaches older views). */
export function memoryBytes(): Uint8Array {
  return new Uint8Array(core.memory.buffer);
}
