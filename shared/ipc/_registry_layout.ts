/**
 * Byte layout of the registry file and seqlocked access to its slots (private to shared/ipc).
 * Header: magic "DMREGIST", u32 version, u32 slot count, u32 slot bytes, zero to 64 bytes; then 64 slots.
 * @module
 */
import { IpcError } from "./ipc_error.ts";

/** Slots in the registry. */
export const REGISTRY_SLOTS = 64;
/** Bytes per slot. */
export const REGISTRY_SLOT_BYTES = 432;
/** Registry layout version. */
export const REGISTRY_VERSION = 1;
/** Header bytes before the first slot. */
export const REGISTRY_HEADER_BYTES = 64;
/** The whole file: 27,712 bytes. */
export const REGISTRY_BYTES = REGISTRY_HEADER_BYTES + REGISTRY_SLOTS * REGISTRY_SLOT_BYTES;
const MAGIC = "DMREGIST";

/** Field offsets inside a slot (little-endian). */
export const SLOT = {
  seq: 0,
  status: 4,
  pid: 8,
  flags: 12,
  heartbeat: 16,
  started: 24,
  instanceId: 32,
  provider: 64,
  exchange: 80,
  channelPrefix: 96,
  symbolCount: 144,
  symbols: 148,
} as const;
/** Widths of the text fields. */
export const WIDTH = {
  instanceId: 32,
  provider: 16,
  exchange: 16,
  channelPrefix: 48,
  symbols: 284,
} as const;

/** Slot status values. */
export const STATUS_FREE = 0;
export const STATUS_RUNNING = 1;
export const STATUS_STOPPING = 2;
/** Flag bit 0: the symbols list did not fit. */
export const FLAG_SYMBOLS_TRUNCATED = 1;

/** A writer that keeps one odd seqlock value this long (or a slot busy this long in all) is taken for dead. */
const STUCK_MS = 100;
const GIVE_UP_MS = 1000;

/** Tracks a spin on a seqlock word: a preempted writer can hold a slot odd for a while. */
class Spin {
  #start = performance.now();
  #word = -1;
  #since = 0;

  /** False once the word stayed the same for STUCK_MS, or after GIVE_UP_MS in all. */
  patient(word: number): boolean {
    const now = performance.now();
    if (word !== this.#word) {
      this.#word = word;
      this.#since = now;
    }
    return now - this.#since < STUCK_MS && now - this.#start < GIVE_UP_MS;
  }
}

/** One slot's fields, decoded (text fields without their NUL padding; "" = empty). */
export interface SlotRecord {
  status: number;
  pid: number;
  flags: number;
  heartbeatNs: bigint;
  startedNs: bigint;
  instanceId: string;
  provider: string;
  exchange: string;
  channelPrefix: string;
  symbolCount: number;
  symbols: string[];
}

/** Byte offset of a slot in the file. */
export function slotOffset(slot: number): number {
  return REGISTRY_HEADER_BYTES + slot * REGISTRY_SLOT_BYTES;
}

/** A fresh registry file: the header followed by 64 zeroed (free) slots. */
export function emptyRegistry(): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(REGISTRY_BYTES);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < MAGIC.length; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, REGISTRY_VERSION, true);
  view.setUint32(12, REGISTRY_SLOTS, true);
  view.setUint32(16, REGISTRY_SLOT_BYTES, true);
  return bytes;
}

/** Throws `truncated` or `layout` (one line naming the file) unless the file is a version-1 registry. */
export function checkRegistryFile(buffer: ArrayBuffer, size: number, path: string): void {
  if (size < REGISTRY_HEADER_BYTES) {
    throw new IpcError(
      "truncated",
      `Registry ${path} is ${size} bytes, shorter than its ${REGISTRY_HEADER_BYTES}-byte header`,
    );
  }
  const bytes = new Uint8Array(buffer, 0, REGISTRY_HEADER_BYTES);
  const view = new DataView(buffer, 0, REGISTRY_HEADER_BYTES);
  const magic = Array.from(
    bytes.subarray(0, 8),
    (b) => b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : "?",
  ).join("");
  if (magic !== MAGIC) {
    throw new IpcError(
      "layout",
      `File ${path} is not a registry: magic ${JSON.stringify(magic)}, expected "${MAGIC}"`,
    );
  }
  const version = view.getUint32(8, true);
  const slots = view.getUint32(12, true);
  const slotBytes = view.getUint32(16, true);
  if (
    version !== REGISTRY_VERSION || slots !== REGISTRY_SLOTS || slotBytes !== REGISTRY_SLOT_BYTES
  ) {
    throw new IpcError(
      "layout",
      `Registry ${path} has layout version ${version} with ${slots} slots of ${slotBytes} bytes; this build reads version ${REGISTRY_VERSION} with ${REGISTRY_SLOTS} slots of ${REGISTRY_SLOT_BYTES} bytes`,
    );
  }
  if (size < REGISTRY_BYTES) {
    throw new IpcError(
      "truncated",
      `Registry ${path} is ${size} bytes; its header needs ${REGISTRY_BYTES}`,
    );
  }
  if (size > REGISTRY_BYTES) {
    throw new IpcError(
      "layout",
      `Registry ${path} is ${size} bytes; layout version ${REGISTRY_VERSION} has ${REGISTRY_BYTES}`,
    );
  }
}

/** The symbols that fit the slot, comma-separated, and whether some were left out. */
export function packSymbols(symbols: readonly string[]): { text: string; truncated: boolean } {
  let text = "";
  for (const symbol of symbols) {
    const next = text === "" ? symbol : `${text},${symbol}`;
    if (next.length > WIDTH.symbols) return { text, truncated: true };
    text = next;
  }
  return { text, truncated: false };
}

function writeText(bytes: Uint8Array, offset: number, width: number, text: string): void {
  bytes.fill(0, offset, offset + width);
  for (let i = 0; i < text.length && i < width; i++) bytes[offset + i] = text.charCodeAt(i) & 0x7f;
}

function readText(bytes: Uint8Array, offset: number, width: number): string {
  let text = "";
  for (let i = offset; i < offset + width && bytes[i] !== 0; i++) {
    text += String.fromCharCode(bytes[i]!);
  }
  return text;
}

/** Sets a record's symbols, count and truncated flag (symbols that do not fit are left out). */
export function setSymbols(record: SlotRecord, symbols: readonly string[]): SlotRecord {
  const packed = packSymbols(symbols);
  record.symbols = packed.text === "" ? [] : packed.text.split(",");
  record.symbolCount = symbols.length;
  record.flags = packed.truncated
    ? record.flags | FLAG_SYMBOLS_TRUNCATED
    : record.flags & ~FLAG_SYMBOLS_TRUNCATED;
  return record;
}

/** Writes every field but the seqlock word into a slot-sized view. */
export function encodeSlot(record: SlotRecord, bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, REGISTRY_SLOT_BYTES);
  view.setUint32(SLOT.status, record.status, true);
  view.setUint32(SLOT.pid, record.pid, true);
  view.setUint32(SLOT.flags, record.flags, true);
  view.setBigUint64(SLOT.heartbeat, record.heartbeatNs, true);
  view.setBigUint64(SLOT.started, record.startedNs, true);
  writeText(bytes, SLOT.instanceId, WIDTH.instanceId, record.instanceId);
  writeText(bytes, SLOT.provider, WIDTH.provider, record.provider);
  writeText(bytes, SLOT.exchange, WIDTH.exchange, record.exchange);
  writeText(bytes, SLOT.channelPrefix, WIDTH.channelPrefix, record.channelPrefix);
  view.setUint16(SLOT.symbolCount, Math.min(record.symbolCount, 0xffff), true);
  view.setUint16(SLOT.symbolCount + 2, 0, true);
  writeText(bytes, SLOT.symbols, WIDTH.symbols, record.symbols.join(","));
}

/** Reads the fields of a slot-sized copy. */
export function decodeSlot(bytes: Uint8Array): SlotRecord {
  const view = new DataView(bytes.buffer, bytes.byteOffset, REGISTRY_SLOT_BYTES);
  const symbols = readText(bytes, SLOT.symbols, WIDTH.symbols);
  return {
    status: view.getUint32(SLOT.status, true),
    pid: view.getUint32(SLOT.pid, true),
    flags: view.getUint32(SLOT.flags, true),
    heartbeatNs: view.getBigUint64(SLOT.heartbeat, true),
    startedNs: view.getBigUint64(SLOT.started, true),
    instanceId: readText(bytes, SLOT.instanceId, WIDTH.instanceId),
    provider: readText(bytes, SLOT.provider, WIDTH.provider),
    exchange: readText(bytes, SLOT.exchange, WIDTH.exchange),
    channelPrefix: readText(bytes, SLOT.channelPrefix, WIDTH.channelPrefix),
    symbolCount: view.getUint16(SLOT.symbolCount, true),
    symbols: symbols === "" ? [] : symbols.split(","),
  };
}

/**
 * The slots of a mapped registry. A write makes the slot's seqlock word odd by compare-and-swap, writes
 * the fields, then stores the next even value; readers copy the slot and retry until the word was the
 * same even value before and after. The heartbeat word is also stored alone, atomically. Atomics on the
 * (non-shared) mapped buffer keep the compiler from reordering or dropping these loads and stores.
 */
export class SlotTable {
  #bytes: Uint8Array;
  #words: Uint32Array;
  #longs: BigUint64Array;

  constructor(buffer: ArrayBuffer) {
    this.#bytes = new Uint8Array(buffer, 0, REGISTRY_BYTES);
    this.#words = new Uint32Array(buffer, 0, REGISTRY_BYTES / 4);
    this.#longs = new BigUint64Array(buffer, 0, REGISTRY_BYTES / 8);
  }

  /** The slot's heartbeat (unix ns; 0 in a free slot), read atomically without the seqlock. */
  heartbeatNs(slot: number): bigint {
    return Atomics.load(this.#longs, (slotOffset(slot) + SLOT.heartbeat) / 8);
  }

  /** Stores the slot's heartbeat atomically. */
  setHeartbeatNs(slot: number, ns: bigint): void {
    Atomics.store(this.#longs, (slotOffset(slot) + SLOT.heartbeat) / 8, ns);
  }

  /** A consistent copy of the slot, or undefined when a writer seems stuck in it (see STUCK_MS). */
  read(slot: number): SlotRecord | undefined {
    const start = slotOffset(slot);
    const copy = new Uint8Array(REGISTRY_SLOT_BYTES);
    const spin = new Spin();
    for (;;) {
      const before = Atomics.load(this.#words, start / 4);
      if ((before & 1) === 0) {
        copy.set(this.#bytes.subarray(start, start + REGISTRY_SLOT_BYTES));
        if (Atomics.load(this.#words, start / 4) === before) {
          const record = decodeSlot(copy);
          record.heartbeatNs = this.heartbeatNs(slot);
          return record;
        }
      }
      if (!spin.patient(before)) return undefined;
    }
  }

  /**
   * One seqlocked write: passes the slot's fields to `change` and writes what it returns (a record, or
   * null to free the slot; undefined leaves it). When another writer seems stuck in the slot,
   * returns false, or with `takeOver` (a holder of the file lock, whose rivals must be dead) goes on.
   */
  update(
    slot: number,
    takeOver: boolean,
    change: (current: SlotRecord) => SlotRecord | null | undefined,
  ): boolean {
    const start = slotOffset(slot);
    const odd = this.#claim(start / 4, takeOver);
    if (odd === undefined) return false;
    try {
      const fields = this.#bytes.subarray(start, start + REGISTRY_SLOT_BYTES);
      const next = change(decodeSlot(fields));
      if (next === null) fields.fill(0, 4);
      else if (next !== undefined) encodeSlot(next, fields);
    } finally {
      Atomics.store(this.#words, start / 4, (odd + 1) >>> 0);
    }
    return true;
  }

  #claim(index: number, takeOver: boolean): number | undefined {
    const spin = new Spin();
    for (;;) {
      const word = Atomics.load(this.#words, index);
      if ((word & 1) === 0) {
        if (Atomics.compareExchange(this.#words, index, word, word + 1) === word) return word + 1;
      } else if (!spin.patient(word)) {
        return takeOver ? word : undefined;
      }
    }
  }
}
