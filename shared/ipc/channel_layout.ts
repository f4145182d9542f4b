/**
 * The channel file: one 4 KiB header page, then `capacity` slots of `slotBytes`, each holding one
 * DBN record (trades 48 bytes; MBP-1 and BBO 80). Little-endian, u64 counters 8-byte aligned, the
 * writer's counters on their own cache line, one 64-byte line per reader.
 *
 * ```text
 *   0 u8[8] magic "DBNRING\0"      8 u32 layout version      12 u32 header bytes (4096)
 *  16 u32 slot bytes              20 u16 DBN schema (0xFFFF mixed)   22 u16 DBN version (3)
 *  24 u32 capacity (power of two) 28 u32 state (0 creating, 1 open, 2 closed by its writer)
 *  32 char[32] symbol             64 char[32] exchange       96 char[32] instance id
 * 128 u32 writer pid             132 u32 writer generation  136 u64 created (unix ns)
 * 144 u64 heartbeat (unix ns)    152 u32 instrument id
 * 192 u64 intent sequence: records the writer has started
 * 200 u64 floor: first sequence a reader may return (raised when a writer restarts after a crash)
 * 256 u64 write sequence: records published (the tail)
 * 320 readers[32] x 64: u32 pid, u32 flags, u64 cursor, u64 lost, u64 heartbeat (unix ns), u64 attached
 * ```
 * @module
 */
import { Schema } from "@shared/dbn/enums.ts";
import { NULL_SCHEMA } from "@shared/dbn/constants.ts";

/** The magic bytes "DBNRING\0". */
export const CHANNEL_MAGIC = new Uint8Array([0x44, 0x42, 0x4E, 0x52, 0x49, 0x4E, 0x47, 0x00]);
/** Bumped on any change to the byte layout; a reader refuses other versions. */
export const CHANNEL_LAYOUT_VERSION = 1;
/** Header size: one page, so the slots start page-aligned. */
export const HEADER_BYTES = 4096;
/** Reader entries in the header (a reader that finds none free still reads, unseen by status). */
export const MAX_READERS = 32;
/** Bytes per reader entry (one cache line). */
export const READER_ENTRY_BYTES = 64;

/** Byte offsets in the header. */
export const OFF = {
  magic: 0,
  version: 8,
  headerBytes: 12,
  slotBytes: 16,
  schema: 20,
  dbnVersion: 22,
  capacity: 24,
  state: 28,
  symbol: 32,
  exchange: 64,
  instanceId: 96,
  writerPid: 128,
  writerGeneration: 132,
  created: 136,
  heartbeat: 144,
  instrumentId: 152,
  intent: 192,
  floor: 200,
  tail: 256,
  readers: 320,
} as const;

/** Byte offsets inside a reader entry. */
export const READER_OFF = {
  pid: 0,
  flags: 4,
  cursor: 8,
  lost: 16,
  heartbeat: 24,
  attached: 32,
} as const;

/** Channel states. */
export const ChannelState = { Creating: 0, Open: 1, Closed: 2 } as const;

/** What a channel carries, and the slot size that follows. */
export type ChannelSchema = "trades" | "mbp-1" | "bbo-1s" | "bbo-1m" | "mixed" | "mixed-book";

const SCHEMAS: Record<ChannelSchema, { id: number; slotBytes: number }> = {
  "trades": { id: Schema.Trades, slotBytes: 48 },
  "mbp-1": { id: Schema.Mbp1, slotBytes: 80 },
  "bbo-1s": { id: Schema.Bbo1S, slotBytes: 80 },
  "bbo-1m": { id: Schema.Bbo1M, slotBytes: 80 },
  // Trades and quotes in one ring: every slot fits the larger record; the length byte tells which.
  "mixed": { id: NULL_SCHEMA, slotBytes: 80 },
  // Trades, quotes and MBP-10 book tops (368 bytes); reads back as "mixed" with larger slots.
  "mixed-book": { id: NULL_SCHEMA, slotBytes: 368 },
};

/** The DBN schema id and slot size of a channel schema. */
export function schemaInfo(schema: ChannelSchema): { id: number; slotBytes: number } {
  const info = SCHEMAS[schema];
  if (info === undefined) throw new RangeError(`Unknown channel schema ${JSON.stringify(schema)}`);
  return info;
}

/** The channel schema of a header's DBN schema id (undefined when unknown). */
export function schemaName(id: number): ChannelSchema | undefined {
  return (Object.keys(SCHEMAS) as ChannelSchema[]).find((name) => SCHEMAS[name].id === id);
}

/** Total file size for a capacity and slot size. */
export function channelBytes(capacity: number, slotBytes: number): number {
  return HEADER_BYTES + capacity * slotBytes;
}

/** Unix time in nanoseconds (millisecond resolution) for heartbeats. */
export function unixNs(nowMs = Date.now()): bigint {
  return BigInt(Math.round(nowMs)) * 1_000_000n;
}

/** Reads a NUL-padded ASCII field. */
export function readText(bytes: Uint8Array, offset: number, width: number): string {
  let end = offset;
  while (end < offset + width && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(offset, end));
}

/** Writes a NUL-padded ASCII field (the caller has checked it fits). */
export function writeText(bytes: Uint8Array, offset: number, width: number, text: string): void {
  bytes.fill(0, offset, offset + width);
  bytes.set(new TextEncoder().encode(text).subarray(0, width - 1), offset);
}
