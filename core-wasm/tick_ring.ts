/**
 * Tick rings in the core's linear memory (assembly/tick_ring): fixed-size slots, FIFO eviction,
 * expiry by insert time. Writes and expiry run in the core; reads take the slot fields straight
 * from memory through typed-array views cached for the whole module and re-taken after the memory
 * grows, so a read makes no call into the core and allocates nothing but its result.
 * @module
 */
import { core } from "./_instance.ts";
import { CoreWasmError } from "./errors.ts";

/** Largest capacity a ring accepts (assembly/tick_ring MAX_TICK_RING_CAPACITY). */
export const MAX_TICK_RING_CAPACITY = 1 << 22;
/** Largest exchange index a slot holds (u16). */
export const MAX_TICK_EXCHANGE_INDEX = 0xffff;

// Layout, mirrored from assembly/tick_ring.ts (byte offsets).
const H_COUNT = 4;
const H_NEXT = 8;
const HEADER = 32;
const SLOT = 40;
const F_PRICE = 8;
const F_TS_RECV = 16;
const F_INSERTED = 24;
const F_SIZE = 32;
const F_EXCHANGE = 36;
const F_SIDE = 38;

// One set of views over the core's memory for every ring. A memory growth detaches the old
// buffer (its views read as length 0), which is the cheapest test that they must be re-taken.
let i64 = new BigInt64Array(0);
let i32 = new Int32Array(0);
let u32 = new Uint32Array(0);
let u16 = new Uint16Array(0);
let u8 = new Uint8Array(0);
let f64 = new Float64Array(0);

function refreshViews(): void {
  const buffer = core.memory.buffer as ArrayBuffer;
  i64 = new BigInt64Array(buffer);
  i32 = new Int32Array(buffer);
  u32 = new Uint32Array(buffer);
  u16 = new Uint16Array(buffer);
  u8 = new Uint8Array(buffer);
  f64 = new Float64Array(buffer);
}

function ensureViews(): void {
  if (u8.length === 0) refreshViews();
}

/** The tick fields a ring stores as numbers (side and exchange travel packed in a tag). */
export interface RingTickFields {
  readonly tsEvent: bigint;
  readonly price: bigint;
  readonly tsRecv: bigint;
  readonly size: number;
}

/** Packs a side char code and an exchange index into a slot tag. */
export function tickTag(sideCode: number, exchangeIndex: number): number {
  return (exchangeIndex << 8) | (sideCode & 0xff);
}

/**
 * A view of one ring entry: a flyweight re-pointed by {@linkcode TickRing.latest} and
 * {@linkcode TickRing.at}, valid until the next write to that ring.
 */
export interface TickSlot {
  /** Event time, ns. */
  readonly tsEvent: bigint;
  /** Price, fixed point 1e-9. */
  readonly price: bigint;
  /** Receive time, ns. */
  readonly tsRecv: bigint;
  /** Size (u32). */
  readonly size: number;
  /** Side char code ('A', 'B' or 'N' as the writer gave it). */
  readonly sideCode: number;
  /** Exchange index as the writer gave it. */
  readonly exchangeIndex: number;
  /** Insert time, ms on the ring's clock. */
  readonly insertedMs: number;
}

class SlotView implements TickSlot {
  address = 0;

  get tsEvent(): bigint {
    ensureViews();
    return i64[this.address >>> 3]!;
  }

  get price(): bigint {
    ensureViews();
    return i64[(this.address + F_PRICE) >>> 3]!;
  }

  get tsRecv(): bigint {
    ensureViews();
    return i64[(this.address + F_TS_RECV) >>> 3]!;
  }

  get size(): number {
    ensureViews();
    return u32[(this.address + F_SIZE) >>> 2]!;
  }

  get sideCode(): number {
    ensureViews();
    return u8[this.address + F_SIDE]!;
  }

  get exchangeIndex(): number {
    ensureViews();
    return u16[(this.address + F_EXCHANGE) >>> 1]!;
  }

  get insertedMs(): number {
    ensureViews();
    return f64[(this.address + F_INSERTED) >>> 3]!;
  }
}

/** Options for {@linkcode TickRing}. */
export interface TickRingOptions {
  /** Entries held; the oldest is evicted first. */
  capacity: number;
  /** How long an entry stays readable after its insert, ms (Infinity: forever). */
  ttlMs: number;
  /** Milliseconds now (default Date.now); insert times and expiry use it. */
  clock?: () => number;
}

const leaked = new FinalizationRegistry<number>((ptr) => core.tickRingFree(ptr));

/** One FIFO ring of ticks in core memory with expiry by insert time. */
export class TickRing implements Disposable {
  /** Entries held at most. */
  readonly capacity: number;
  /** Entry lifetime, ms. */
  readonly ttlMs: number;
  readonly #clock: () => number;
  readonly #slot = new SlotView();
  #ptr: number;

  constructor(options: TickRingOptions) {
    const { capacity, ttlMs } = options;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_TICK_RING_CAPACITY) {
      throw new RangeError(
        `Cannot create a tick ring of capacity ${capacity}: expected an integer in [1, ${MAX_TICK_RING_CAPACITY}]`,
      );
    }
    if (!(ttlMs > 0)) {
      throw new RangeError(`Cannot create a tick ring with TTL ${ttlMs} ms: expected > 0`);
    }
    this.capacity = capacity;
    this.ttlMs = ttlMs;
    this.#clock = options.clock ?? Date.now;
    this.#ptr = core.tickRingNew(capacity, ttlMs);
    if (this.#ptr === 0) {
      throw new CoreWasmError("CORE_WASM_INVALID", `Cannot create a tick ring of ${capacity}`);
    }
    leaked.register(this, this.#ptr, this);
  }

  /** Appends a tick as the newest entry (evicts the oldest when full); `tag` from tickTag(). */
  push(tick: RingTickFields, tag: number): void {
    core.tickRingPush(
      this.#live(),
      tick.tsEvent,
      tick.price,
      tick.tsRecv,
      tick.size,
      tag,
      this.#clock(),
    );
  }

  /**
   * Inserts a tick as the oldest entry when there is room (backfill from an older source); it
   * expires with the current oldest entry. Returns false when the ring is full.
   */
  prepend(tick: RingTickFields, tag: number): boolean {
    return core.tickRingPrepend(
      this.#live(),
      tick.tsEvent,
      tick.price,
      tick.tsRecv,
      tick.size,
      tag,
      this.#clock(),
    ) !== 0;
  }

  /** Drops expired entries and returns the number of live ones. */
  live(): number {
    return core.tickRingLive(this.#live(), this.#clock());
  }

  /** The newest entry, or undefined when the ring is empty or it expired (no core call). */
  latest(): TickSlot | undefined {
    const ptr = this.#live();
    ensureViews();
    if (i32[(ptr + H_COUNT) >>> 2] === 0) return undefined;
    const next = i32[(ptr + H_NEXT) >>> 2]!;
    const address = ptr + HEADER + (next === 0 ? this.capacity - 1 : next - 1) * SLOT;
    if (this.#clock() - f64[(address + F_INSERTED) >>> 3]! > this.ttlMs) return undefined;
    this.#slot.address = address;
    return this.#slot;
  }

  /**
   * The entry `age` steps before the newest (0: newest). `age` must be below the count the last
   * live() returned; no expiry check here.
   */
  at(age: number): TickSlot {
    const ptr = this.#live();
    ensureViews();
    const count = i32[(ptr + H_COUNT) >>> 2]!;
    if (!(age >= 0 && age < count)) {
      throw new RangeError(`Cannot read tick ${age} of a ring holding ${count}`);
    }
    let index = i32[(ptr + H_NEXT) >>> 2]! - 1 - age;
    if (index < 0) index += this.capacity;
    this.#slot.address = ptr + HEADER + index * SLOT;
    return this.#slot;
  }

  /** Forgets every entry. */
  clear(): void {
    core.tickRingClear(this.#live());
  }

  /** Returns the ring's memory to the core; idempotent. Any later use throws. */
  free(): void {
    if (this.#ptr === 0) return;
    core.tickRingFree(this.#ptr);
    leaked.unregister(this);
    this.#ptr = 0;
  }

  [Symbol.dispose](): void {
    this.free();
  }

  #live(): number {
    if (this.#ptr === 0) throw new TypeError("Cannot use TickRing: it was freed");
    return this.#ptr;
  }
}
