/**
 * A reader of one channel, with its own cursor, in any process. A poll copies the records between
 * its cursor and the write sequence into a {@linkcode RecordBatch}, then checks that the writer did
 * not start overwriting them meanwhile (the intent sequence): lapped records are counted as lost and
 * the cursor jumps past them. A record is returned only if it was complete before and after the copy.
 *
 * The ordering argument: the writer stores intent, then slot bytes, then tail; the reader loads tail,
 * then slot bytes, then intent and floor. Atomics keep the compiler from moving these loads and stores;
 * x86-64 keeps stores in order and loads in order (on aarch64 V8 emits acquire/release for Atomics).
 * @module
 */
import { IpcError } from "./ipc_error.ts";
import { type ChannelKey, channelName, validateSegmentName } from "./names.ts";
import { fileIdentity, openShm } from "./shm.ts";
import { ChannelHeader } from "./_channel_header.ts";
import {
  ChannelState,
  HEADER_BYTES,
  MAX_READERS,
  OFF,
  READER_OFF,
  schemaName,
  unixNs,
} from "./channel_layout.ts";
import { RecordBatch } from "./record_batch.ts";

/** Index of the write sequence's low 32 bits in the header's u32 view (little-endian). */
const TAIL_LOW_WORD = OFF.tail / 4;

/** Options for {@linkcode ChannelReader.open}. */
export interface ChannelReaderOptions {
  namespace: string;
  /** The channel by its key, or by its file name (`name`). */
  key?: ChannelKey;
  name?: string;
  /** Start at the next record ("latest", default) or at the oldest one still in the ring. */
  from?: "latest" | "oldest";
  /** Seconds after which a silent writer counts as stale (default 30, `[ipc] stale_after_secs`). */
  staleAfterSecs?: number;
}

/** The writer as a reader sees it. */
export interface WriterStatus {
  pid: number;
  /** How many writers have attached to this file (a restart adds one). */
  generation: number;
  /** Open, or closed gracefully by its writer. */
  state: "open" | "closed";
  heartbeatAgeMs: number;
  /** No heartbeat within staleAfterSecs while open: the writer is gone or hung. */
  stale: boolean;
  /** The file under the channel's name is no longer the one mapped: reopen to follow it. */
  replaced: boolean;
  /** Published records not yet read by this reader. */
  lag: number;
}

/** Reads one channel. */
export class ChannelReader {
  readonly name: string;
  readonly capacity: number;
  readonly slotBytes: number;
  readonly schema: string;
  readonly symbol: string;
  readonly exchange: string;
  readonly #header: ChannelHeader;
  readonly #slots: Uint8Array;
  readonly #identity: string | undefined;
  readonly #staleAfterMs: number;
  #cursor: number;
  #lost = 0;
  #entry = -1;
  #idlePolls = 0;
  #lastBeatMs = 0;
  #closed = false;

  private constructor(name: string, header: ChannelHeader, options: ChannelReaderOptions) {
    this.name = name;
    this.#header = header;
    this.capacity = header.capacity;
    this.slotBytes = header.slotBytes;
    this.schema = schemaName(header.u32At(OFF.schema) & 0xFFFF) ?? "unknown";
    this.symbol = header.text(OFF.symbol, 32);
    this.exchange = header.text(OFF.exchange, 32);
    this.#slots = new Uint8Array(
      header.segment.buffer,
      HEADER_BYTES,
      this.capacity * this.slotBytes,
    );
    this.#identity = fileIdentity(header.segment.path);
    this.#staleAfterMs = (options.staleAfterSecs ?? 30) * 1000;
    const tail = header.seqAt(OFF.tail);
    this.#cursor = options.from === "oldest" ? this.#oldest(tail) : tail;
    this.#claimEntry();
  }

  /** Opens a channel for reading; `not_found`, `layout` or `truncated` errors name the file. */
  static open(options: ChannelReaderOptions): ChannelReader {
    const name = options.name !== undefined
      ? validateSegmentName(options.name)
      : options.key !== undefined
      ? channelName(options.key)
      : undefined;
    if (name === undefined) throw new TypeError("ChannelReader.open needs a key or a name");
    const segment = openShm(options.namespace, name);
    const header = new ChannelHeader(segment);
    try {
      header.validate();
    } catch (error) {
      segment.close();
      throw error;
    }
    return new ChannelReader(name, header, options);
  }

  /** The next sequence this reader will return. */
  get cursor(): number {
    return this.#cursor;
  }

  /** Records lost to overruns since open. */
  get lost(): number {
    return this.#lost;
  }

  /** The writer's published sequence. */
  get writeSequence(): number {
    this.#checkOpen();
    return this.#header.seqAt(OFF.tail);
  }

  /**
   * Copies up to `batch.maxRecords` new records into `batch`; returns how many. `batch.lost` says how
   * many records this poll skipped because the writer had lapped them. Never waits.
   */
  poll(batch: RecordBatch): number {
    this.#checkOpen();
    const header = this.#header;
    // Fast path without BigInt (an idle spin allocates nothing): the low word of the write
    // sequence still equals ours. Only a writer exactly k * 2^32 records ahead would look idle,
    // and its next record is caught by the full read below.
    if (Atomics.load(header.u32, TAIL_LOW_WORD) === this.#cursor % 4294967296) {
      batch.count = 0;
      batch.lost = 0;
      if ((++this.#idlePolls & 255) === 0) this.#beat();
      return 0;
    }
    const capacity = this.capacity;
    const slotBytes = this.slotBytes;
    let lost = 0;
    let count = 0;
    for (;;) {
      const tail = header.seqAt(OFF.tail);
      let cursor = this.#cursor;
      count = 0;
      // Only a torn read of the tail while its high word changes can look behind us: nothing new.
      if (tail < cursor) break;
      if (tail - cursor > capacity) {
        lost += tail - capacity - cursor;
        cursor = tail - capacity;
      }
      count = Math.min(tail - cursor, batch.maxRecords);
      if (count > 0) {
        const position = cursor % capacity;
        const first = Math.min(count, capacity - position);
        const start = position * slotBytes;
        batch.bytes.set(this.#slots.subarray(start, start + first * slotBytes), 0);
        if (first < count) {
          batch.bytes.set(this.#slots.subarray(0, (count - first) * slotBytes), first * slotBytes);
        }
      }
      const intent = header.seqAt(OFF.intent);
      const floor = header.seqAt(OFF.floor);
      const firstValid = Math.max(intent - capacity, floor);
      if (cursor >= firstValid || count === 0 && cursor >= floor) {
        this.#cursor = cursor + count;
        batch.firstSequence = cursor;
        break;
      }
      // The writer reached (or a restart fenced off) some of what was copied: skip it and copy again.
      lost += firstValid - cursor;
      this.#cursor = firstValid;
    }
    batch.count = count;
    batch.lost = lost;
    this.#lost += lost;
    this.#publishCursor(lost);
    return count;
  }

  /** The writer's pid, heartbeat age, state and whether the file was replaced. */
  writerStatus(nowMs = Date.now()): WriterStatus {
    this.#checkOpen();
    const header = this.#header;
    const heartbeatAgeMs = Math.max(0, nowMs - Number(header.u64At(OFF.heartbeat) / 1_000_000n));
    const state = header.u32At(OFF.state) === ChannelState.Closed ? "closed" : "open";
    return {
      pid: header.u32At(OFF.writerPid),
      generation: header.u32At(OFF.writerGeneration),
      state,
      heartbeatAgeMs,
      stale: state === "open" && heartbeatAgeMs > this.#staleAfterMs,
      replaced: fileIdentity(header.segment.path) !== this.#identity,
      lag: Math.max(0, header.seqAt(OFF.tail) - this.#cursor),
    };
  }

  /** Moves the cursor to the next record to be written (drops the backlog, counted as lost). */
  skipToLatest(): number {
    this.#checkOpen();
    const tail = this.#header.seqAt(OFF.tail);
    const skipped = Math.max(0, tail - this.#cursor);
    this.#lost += skipped;
    this.#cursor = tail;
    this.#publishCursor(skipped);
    return skipped;
  }

  /** Frees this reader's entry in the header and unmaps. */
  close(): void {
    if (this.#closed) return;
    if (this.#entry >= 0) {
      this.#header.setU32(this.#header.readerOffset(this.#entry, READER_OFF.pid), 0);
    }
    this.#closed = true;
    this.#header.segment.close();
  }

  #oldest(tail: number): number {
    const floor = this.#header.seqAt(OFF.floor);
    const intent = this.#header.seqAt(OFF.intent);
    return Math.max(0, floor, intent - this.capacity, tail - this.capacity);
  }

  /** Takes a free reader entry (or one whose reader stopped beating) so status can show the lag. */
  #claimEntry(): void {
    const header = this.#header;
    const now = unixNs();
    const staleNs = BigInt(this.#staleAfterMs) * 1_000_000n;
    for (let index = 0; index < MAX_READERS; index++) {
      const pidIndex = header.readerOffset(index, READER_OFF.pid) >> 2;
      const owner = Atomics.load(header.u32, pidIndex);
      const beat = header.u64At(header.readerOffset(index, READER_OFF.heartbeat));
      const free = owner === 0 || now - beat > staleNs;
      if (free && Atomics.compareExchange(header.u32, pidIndex, owner, Deno.pid) === owner) {
        this.#entry = index;
        header.setU64(header.readerOffset(index, READER_OFF.lost), 0n);
        header.setU64(header.readerOffset(index, READER_OFF.attached), now);
        header.setU64(header.readerOffset(index, READER_OFF.heartbeat), now);
        this.#publishCursor(0);
        return;
      }
    }
  }

  #publishCursor(lost: number): void {
    if (this.#entry < 0) return;
    const header = this.#header;
    header.setSeq(header.readerOffset(this.#entry, READER_OFF.cursor), this.#cursor, false);
    if (lost > 0) {
      header.setU64(header.readerOffset(this.#entry, READER_OFF.lost), BigInt(this.#lost));
    }
    this.#beat();
  }

  /** Refreshes this reader's heartbeat at most once a second; re-claims an entry taken from it. */
  #beat(): void {
    const nowMs = Date.now();
    if (this.#entry < 0 || nowMs - this.#lastBeatMs < 1000) return;
    this.#lastBeatMs = nowMs;
    const header = this.#header;
    if (header.u32At(header.readerOffset(this.#entry, READER_OFF.pid)) !== Deno.pid) {
      this.#entry = -1; // another reader reclaimed it while we were silent: take a new one
      this.#claimEntry();
      return;
    }
    header.setU64(header.readerOffset(this.#entry, READER_OFF.heartbeat), unixNs(nowMs));
  }

  #checkOpen(): void {
    if (this.#closed) throw new IpcError("closed", `Channel reader ${this.name} is closed`);
  }
}
