/** Typed views over a channel segment's header, and the checks every opener runs. */
import { IpcError } from "./ipc_error.ts";
import type { ShmSegment } from "./shm.ts";
import {
  CHANNEL_LAYOUT_VERSION,
  CHANNEL_MAGIC,
  channelBytes,
  HEADER_BYTES,
  MAX_READERS,
  OFF,
  READER_ENTRY_BYTES,
  READER_OFF,
  readText,
} from "./channel_layout.ts";

/** Views over one mapped channel: header words, u64 counters, and the slot bytes. */
export class ChannelHeader {
  readonly segment: ShmSegment;
  readonly bytes: Uint8Array;
  readonly u32: Uint32Array;
  readonly u64: BigUint64Array;

  constructor(segment: ShmSegment) {
    this.segment = segment;
    this.bytes = new Uint8Array(segment.buffer);
    this.u32 = new Uint32Array(segment.buffer, 0, HEADER_BYTES / 4);
    this.u64 = new BigUint64Array(segment.buffer, 0, HEADER_BYTES / 8);
  }

  /** True when the magic is ours (the creator writes it last). */
  hasMagic(): boolean {
    for (let i = 0; i < CHANNEL_MAGIC.length; i++) {
      if (this.bytes[i] !== CHANNEL_MAGIC[i]) return false;
    }
    return true;
  }

  /** True when every byte of the magic is still zero: a file nobody has initialised yet. */
  isBlank(): boolean {
    for (let i = 0; i < CHANNEL_MAGIC.length; i++) if (this.bytes[i] !== 0) return false;
    return true;
  }

  u32At(offset: number): number {
    return Atomics.load(this.u32, offset >> 2);
  }

  setU32(offset: number, value: number): void {
    Atomics.store(this.u32, offset >> 2, value);
  }

  u64At(offset: number): bigint {
    return Atomics.load(this.u64, offset >> 3);
  }

  setU64(offset: number, value: bigint): void {
    Atomics.store(this.u64, offset >> 3, value);
  }

  /**
   * Reads a u64 sequence as a Number without allocating a BigInt: high word, low word, high word
   * again, retried if the high word moved. Exact below 2^53.
   */
  seqAt(offset: number): number {
    const low = offset >> 2;
    for (;;) {
      const high = Atomics.load(this.u32, low + 1);
      const value = Atomics.load(this.u32, low);
      if (Atomics.load(this.u32, low + 1) === high) return high * 4294967296 + value;
    }
  }

  /**
   * Stores a sequence as two u32 words. While the high word changes (once per 2^32 records) a
   * reader may see a mix; `highFirst` makes that mix larger than both values (safe for the intent,
   * which must never look smaller), low-first makes it smaller (safe for the tail and cursors,
   * which must never look larger).
   */
  setSeq(offset: number, value: number, highFirst: boolean): void {
    const low = offset >> 2;
    const high = Math.floor(value / 4294967296);
    if (highFirst && Atomics.load(this.u32, low + 1) !== high) {
      Atomics.store(this.u32, low + 1, high);
    }
    Atomics.store(this.u32, low, value >>> 0);
    if (!highFirst && Atomics.load(this.u32, low + 1) !== high) {
      Atomics.store(this.u32, low + 1, high);
    }
  }

  text(offset: number, width: number): string {
    return readText(this.bytes, offset, width);
  }

  get slotBytes(): number {
    return this.u32At(OFF.slotBytes);
  }

  get capacity(): number {
    return this.u32At(OFF.capacity);
  }

  /** Offset of reader entry `index` plus a field offset. */
  readerOffset(index: number, field: number): number {
    return OFF.readers + index * READER_ENTRY_BYTES + field;
  }

  /** The reader entries in use: pid, cursor, lost and heartbeat. */
  readers(): { index: number; pid: number; cursor: bigint; lost: bigint; heartbeatNs: bigint }[] {
    const out = [];
    for (let index = 0; index < MAX_READERS; index++) {
      const pid = this.u32At(this.readerOffset(index, READER_OFF.pid));
      if (pid === 0) continue;
      out.push({
        index,
        pid,
        cursor: this.u64At(this.readerOffset(index, READER_OFF.cursor)),
        lost: this.u64At(this.readerOffset(index, READER_OFF.lost)),
        heartbeatNs: this.u64At(this.readerOffset(index, READER_OFF.heartbeat)),
      });
    }
    return out;
  }

  /**
   * Refuses anything that is not a complete channel of this layout: a foreign or half-created file,
   * another layout version, a bad capacity, or a file shorter than its header says.
   */
  validate(): void {
    const path = this.segment.path;
    if (this.segment.size < HEADER_BYTES) {
      throw new IpcError(
        "truncated",
        `Channel ${path} is truncated: ${this.segment.size} bytes, less than its header`,
      );
    }
    if (!this.hasMagic()) {
      const what = this.isBlank()
        ? "is not initialised yet (its writer is starting)"
        : "is not a channel file";
      throw new IpcError("layout", `Channel ${path} ${what}`);
    }
    const version = this.u32At(OFF.version);
    if (version !== CHANNEL_LAYOUT_VERSION) {
      throw new IpcError(
        "layout",
        `Channel ${path} has layout version ${version}; this build reads version ${CHANNEL_LAYOUT_VERSION}`,
      );
    }
    const capacity = this.capacity;
    const slotBytes = this.slotBytes;
    const headerBytes = this.u32At(OFF.headerBytes);
    if (
      headerBytes !== HEADER_BYTES || capacity < 2 || (capacity & (capacity - 1)) !== 0 ||
      slotBytes < 16
    ) {
      throw new IpcError(
        "layout",
        `Channel ${path} has a bad header (header ${headerBytes} bytes, capacity ${capacity}, slot ${slotBytes} bytes)`,
      );
    }
    const expected = channelBytes(capacity, slotBytes);
    if (this.segment.size < expected) {
      throw new IpcError(
        "truncated",
        `Channel ${path} is truncated: ${this.segment.size} bytes, its header needs ${expected}`,
      );
    }
  }
}
