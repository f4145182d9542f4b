/**
 * The single writer of a channel. It never waits for readers: it announces the records it is about
 * to overwrite (the intent sequence), copies them into their slots, then publishes the new write
 * sequence. Readers validate what they copied against the intent, so a lapped record is reported as
 * lost, never returned torn.
 *
 * Exactly one live writer per channel: an exclusive flock held for the writer's lifetime, which the
 * kernel drops if the process dies. A new writer continues the sequence; if the old one died inside
 * a publish, it raises the floor so readers skip (and count) the half-written records.
 * @module
 */
import { IpcError } from "./ipc_error.ts";
import { type ChannelKey, channelName } from "./names.ts";
import { createShm, openShm, type ShmSegment, unlinkShm } from "./shm.ts";
import { ChannelHeader } from "./_channel_header.ts";
import {
  CHANNEL_LAYOUT_VERSION,
  CHANNEL_MAGIC,
  channelBytes,
  type ChannelSchema,
  ChannelState,
  HEADER_BYTES,
  MAX_READERS,
  OFF,
  READER_OFF,
  schemaInfo,
  unixNs,
  writeText,
} from "./channel_layout.ts";

/** Options for {@linkcode ChannelWriter.create}. */
export interface ChannelWriterOptions {
  /** `[ipc] namespace`: the folder under /dev/shm. */
  namespace: string;
  /** Symbol, exchange and instance id: they name the channel. */
  key: ChannelKey;
  /** What the slots hold (default "trades": 48-byte slots). */
  schema?: ChannelSchema;
  /** Slots, a power of two (default 65536, `[ipc] capacity`). */
  capacity?: number;
  /** Seconds between heartbeats (default 5, `[ipc] heartbeat_secs`). */
  heartbeatSecs?: number;
  /** The instrument id the records carry, for status output. */
  instrumentId?: number;
}

function openOrCreate(namespace: string, name: string, bytes: number): ShmSegment {
  try {
    return openShm(namespace, name);
  } catch (error) {
    if (!(error instanceof IpcError) || error.code !== "not_found") throw error;
    return createShm(namespace, name, bytes);
  }
}

/** Writes DBN records into one channel. */
export class ChannelWriter {
  readonly name: string;
  readonly capacity: number;
  readonly slotBytes: number;
  readonly #header: ChannelHeader;
  readonly #slots: Uint8Array;
  #sequence: number;
  readonly #timer: ReturnType<typeof setInterval>;
  #closed = false;

  private constructor(name: string, header: ChannelHeader, heartbeatSecs: number) {
    this.name = name;
    this.#header = header;
    this.capacity = header.capacity;
    this.slotBytes = header.slotBytes;
    this.#slots = new Uint8Array(
      header.segment.buffer,
      HEADER_BYTES,
      this.capacity * this.slotBytes,
    );
    this.#sequence = header.seqAt(OFF.tail);
    this.#timer = setInterval(() => this.heartbeat(), heartbeatSecs * 1000);
    Deno.unrefTimer(this.#timer);
  }

  /**
   * Creates the channel, or takes over an existing one of the same layout (continuing its sequence).
   * Throws IpcError `busy` while another live process writes it, `invalid_name` for a bad key.
   */
  static create(options: ChannelWriterOptions): ChannelWriter {
    const name = channelName(options.key);
    const { id: schemaId, slotBytes } = schemaInfo(options.schema ?? "trades");
    const capacity = options.capacity ?? 65536;
    if (
      !Number.isInteger(capacity) || capacity < 2 || capacity > 2 ** 30 ||
      (capacity & (capacity - 1)) !== 0
    ) {
      throw new RangeError(
        `Channel capacity must be a power of two between 2 and 2^30, got ${capacity}`,
      );
    }
    const bytes = channelBytes(capacity, slotBytes);
    let segment = openOrCreate(options.namespace, name, bytes);
    if (!segment.tryLock()) {
      const pid = new ChannelHeader(segment).u32At(OFF.writerPid);
      segment.close();
      throw new IpcError("busy", `Channel ${name} already has a live writer (pid ${pid})`);
    }
    let header = new ChannelHeader(segment);
    const compatible = header.hasMagic() && segment.size === bytes &&
      header.u32At(OFF.version) === CHANNEL_LAYOUT_VERSION && header.capacity === capacity &&
      header.slotBytes === slotBytes && (header.u32At(OFF.schema) & 0xFFFF) === schemaId;
    if (!compatible) {
      if (!header.isBlank()) {
        // Another layout, size or schema under our name and nobody writing it: start it afresh.
        // Readers still mapping the old file see it replaced and reopen.
        unlinkShm(options.namespace, name);
        segment.close();
        segment = createShm(options.namespace, name, bytes, { exclusive: true });
        if (!segment.tryLock()) {
          segment.close();
          throw new IpcError(
            "busy",
            `Channel ${name} was taken by another writer while being recreated`,
          );
        }
        header = new ChannelHeader(segment);
      }
      initialise(header, options, schemaId, slotBytes, capacity);
    } else {
      checkKey(header, options.key, name);
      takeOver(header);
    }
    return new ChannelWriter(name, header, options.heartbeatSecs ?? 5);
  }

  /** Records published so far (the next record's sequence). */
  get sequence(): number {
    return this.#sequence;
  }

  /** Publishes one record (its length must fit a slot; the rest of the slot is left as it was). */
  publish(record: Uint8Array): void {
    this.#checkOpen();
    if (record.length > this.slotBytes) {
      throw new RangeError(
        `Record of ${record.length} bytes does not fit ${this.slotBytes}-byte slots of ${this.name}`,
      );
    }
    const next = this.#sequence + 1;
    this.#header.setSeq(OFF.intent, next, true);
    this.#slots.set(record, (this.#sequence % this.capacity) * this.slotBytes);
    this.#header.setSeq(OFF.tail, next, false);
    this.#sequence = next;
  }

  /**
   * Publishes `count` records laid out back to back in slot-sized strides (`count * slotBytes`
   * bytes): one intent, at most two copies, one publish.
   */
  publishBatch(records: Uint8Array, count: number): void {
    this.#checkOpen();
    if (count * this.slotBytes > records.length) {
      throw new RangeError(
        `publishBatch: ${count} records need ${
          count * this.slotBytes
        } bytes, got ${records.length}`,
      );
    }
    for (let done = 0; done < count;) {
      const n = Math.min(count - done, this.capacity);
      const start = this.#sequence;
      const next = start + n;
      const from = done * this.slotBytes;
      this.#header.setSeq(OFF.intent, next, true);
      const position = start % this.capacity;
      const first = Math.min(n, this.capacity - position);
      this.#slots.set(
        records.subarray(from, from + first * this.slotBytes),
        position * this.slotBytes,
      );
      if (first < n) {
        this.#slots.set(
          records.subarray(from + first * this.slotBytes, from + n * this.slotBytes),
          0,
        );
      }
      this.#header.setSeq(OFF.tail, next, false);
      this.#sequence = next;
      done += n;
    }
  }

  /** Stamps the heartbeat now (also done every `heartbeatSecs` by a timer). */
  heartbeat(): void {
    if (!this.#closed) this.#header.setU64(OFF.heartbeat, unixNs());
  }

  /**
   * The lowest cursor the attached readers published (undefined without readers), for monitoring
   * and benchmarks: the writer itself never waits on it.
   */
  oldestReaderCursor(): number | undefined {
    this.#checkOpen();
    let oldest: number | undefined;
    for (let index = 0; index < MAX_READERS; index++) {
      if (this.#header.u32At(this.#header.readerOffset(index, READER_OFF.pid)) === 0) continue;
      const cursor = this.#header.seqAt(this.#header.readerOffset(index, READER_OFF.cursor));
      if (oldest === undefined || cursor < oldest) oldest = cursor;
    }
    return oldest;
  }

  /**
   * Stops writing: marks the channel closed (readers see a graceful end, not a stale writer),
   * releases the writer lock and unmaps. The file stays, so a later writer continues the sequence.
   */
  close(): void {
    if (this.#closed) return;
    clearInterval(this.#timer);
    this.#header.setU32(OFF.state, ChannelState.Closed);
    this.#header.setU64(OFF.heartbeat, unixNs());
    this.#closed = true;
    this.#header.segment.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw new IpcError("closed", `Channel writer ${this.name} is closed`);
  }
}

function initialise(
  header: ChannelHeader,
  options: ChannelWriterOptions,
  schemaId: number,
  slotBytes: number,
  capacity: number,
): void {
  header.bytes.fill(0, 0, HEADER_BYTES);
  header.setU32(OFF.version, CHANNEL_LAYOUT_VERSION);
  header.setU32(OFF.headerBytes, HEADER_BYTES);
  header.setU32(OFF.slotBytes, slotBytes);
  header.setU32(OFF.schema, schemaId | (3 << 16));
  header.setU32(OFF.capacity, capacity);
  writeText(header.bytes, OFF.symbol, 32, options.key.symbol);
  writeText(header.bytes, OFF.exchange, 32, options.key.exchange);
  writeText(header.bytes, OFF.instanceId, 32, options.key.instanceId ?? "");
  header.setU32(OFF.instrumentId, options.instrumentId ?? 0);
  header.setU32(OFF.writerPid, Deno.pid);
  header.setU32(OFF.writerGeneration, 1);
  header.setU64(OFF.created, unixNs());
  header.setU64(OFF.heartbeat, unixNs());
  header.setU32(OFF.state, ChannelState.Open);
  // The magic goes last: a reader that sees it sees a complete header.
  header.bytes.set(CHANNEL_MAGIC, OFF.magic);
}

function takeOver(header: ChannelHeader): void {
  const intent = header.u64At(OFF.intent);
  if (intent !== header.u64At(OFF.tail)) {
    // The last writer died between announcing and publishing: the records from the old tail to the
    // intent may be half written. Raise the floor first, then publish past them.
    header.setU64(OFF.floor, intent);
    header.setU64(OFF.tail, intent);
  }
  header.setU32(OFF.writerPid, Deno.pid);
  header.setU32(OFF.writerGeneration, header.u32At(OFF.writerGeneration) + 1);
  header.setU64(OFF.heartbeat, unixNs());
  header.setU32(OFF.state, ChannelState.Open);
}

function checkKey(header: ChannelHeader, key: ChannelKey, name: string): void {
  const symbol = header.text(OFF.symbol, 32);
  const exchange = header.text(OFF.exchange, 32);
  if (symbol !== key.symbol || exchange !== key.exchange) {
    header.segment.close();
    throw new IpcError("busy", `Channel name ${name} already carries ${symbol} on ${exchange}`);
  }
}
