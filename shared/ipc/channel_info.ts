/**
 * Read-only inspection of channels for `deno task ipc status` and discovery: header fields, the
 * write sequence and every attached reader's lag, without taking a reader entry.
 * @module
 */
import { ChannelHeader } from "./_channel_header.ts";
import { channelBytes, ChannelState, OFF, schemaName } from "./channel_layout.ts";
import { IpcError } from "./ipc_error.ts";
import { CHANNEL_PREFIX, REGISTRY_NAME } from "./names.ts";
import { listShm, openShm } from "./shm.ts";

/** One attached reader as the header shows it. */
export interface ReaderInfo {
  pid: number;
  cursor: number;
  lag: number;
  lost: number;
  heartbeatAgeMs: number;
}

/** A channel's header, counters and readers at one instant. */
export interface ChannelInfo {
  name: string;
  symbol: string;
  exchange: string;
  instanceId: string | undefined;
  schema: string;
  capacity: number;
  slotBytes: number;
  /** The file's size: header page plus slots. */
  bytes: number;
  writeSequence: number;
  writerPid: number;
  writerGeneration: number;
  state: "open" | "closed";
  heartbeatAgeMs: number;
  stale: boolean;
  readers: ReaderInfo[];
}

/** A channel file that could not be read, and why. */
export interface ChannelProblem {
  name: string;
  error: string;
}

function ageMs(ns: bigint, nowMs: number): number {
  return Math.max(0, nowMs - Number(ns / 1_000_000n));
}

/** Reads one channel's header; throws IpcError for a missing, foreign or truncated file. */
export function inspectChannel(
  namespace: string,
  name: string,
  options: { staleAfterSecs?: number; nowMs?: number } = {},
): ChannelInfo {
  const segment = openShm(namespace, name);
  try {
    const header = new ChannelHeader(segment);
    header.validate();
    const nowMs = options.nowMs ?? Date.now();
    const writeSequence = header.seqAt(OFF.tail);
    const state = header.u32At(OFF.state) === ChannelState.Closed ? "closed" : "open";
    const heartbeatAgeMs = ageMs(header.u64At(OFF.heartbeat), nowMs);
    const instanceId = header.text(OFF.instanceId, 32);
    return {
      name,
      symbol: header.text(OFF.symbol, 32),
      exchange: header.text(OFF.exchange, 32),
      instanceId: instanceId === "" ? undefined : instanceId,
      schema: schemaName(header.u32At(OFF.schema) & 0xFFFF) ?? "unknown",
      capacity: header.capacity,
      slotBytes: header.slotBytes,
      bytes: channelBytes(header.capacity, header.slotBytes),
      writeSequence,
      writerPid: header.u32At(OFF.writerPid),
      writerGeneration: header.u32At(OFF.writerGeneration),
      state,
      heartbeatAgeMs,
      stale: state === "open" && heartbeatAgeMs > (options.staleAfterSecs ?? 30) * 1000,
      readers: header.readers().map((reader) => ({
        pid: reader.pid,
        cursor: Number(reader.cursor),
        lag: Math.max(0, writeSequence - Number(reader.cursor)),
        lost: Number(reader.lost),
        heartbeatAgeMs: ageMs(reader.heartbeatNs, nowMs),
      })),
    };
  } finally {
    segment.close();
  }
}

/** Every channel in a namespace, plus the files that are not readable channels (and why). */
export function listChannels(
  namespace: string,
  options: { staleAfterSecs?: number; nowMs?: number } = {},
): { channels: ChannelInfo[]; problems: ChannelProblem[] } {
  const channels: ChannelInfo[] = [];
  const problems: ChannelProblem[] = [];
  for (const name of listShm(namespace)) {
    if (!name.startsWith(CHANNEL_PREFIX) || name === REGISTRY_NAME) continue;
    try {
      channels.push(inspectChannel(namespace, name, options));
    } catch (error) {
      if (error instanceof IpcError) problems.push({ name, error: error.message });
      else throw error;
    }
  }
  return { channels, problems };
}
