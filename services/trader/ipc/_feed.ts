/**
 * One requested symbol inside the IPC exchange: its current channel (reader and resolution), its
 * connection state and counters, and what is pending after a reconnect (the gap to report at the
 * first record, the ts_event up to which a reopened ring was already seen).
 * @module
 */
import type { ChannelReader, ResolvedChannel } from "@shared/ipc/mod.ts";
import type { Attachment } from "./_attach.ts";
import type { ChannelStatus, GapReport, SymbolRequest } from "./types.ts";

/** What the outage looked like, kept until the first record after the reconnect. */
interface PendingGap {
  downMs: number;
  lastTsEvent: bigint | undefined;
  reason: string;
}

/** A symbol's channel and state. */
export class Feed {
  readonly request: SymbolRequest;
  reader: ChannelReader;
  resolved: ResolvedChannel;
  instanceId: string | undefined;
  state: "connected" | "disconnected" = "connected";
  reason: string | undefined;
  since: number;
  writerPid: number;
  generation: number;
  reconnects = 0;
  lost = 0;
  records = 0;
  lastTsEvent: bigint | undefined;
  lastRecordMs: number | undefined;
  /** Records at or before this ts_event were already delivered (a ring read again from its oldest). */
  skipThrough: bigint | undefined;
  /** False once the writer's pid proved invisible here (another pid namespace): rely on heartbeats. */
  trustPid = true;
  /** The writer's heartbeat (ms) when its process was found gone: a later one means it lives. */
  deadHeartbeatMs: number | undefined;
  #downSinceMs = 0;
  #pendingGap: PendingGap | undefined;

  constructor(request: SymbolRequest, attachment: Attachment, nowMs: number) {
    this.request = request;
    this.reader = attachment.reader;
    this.resolved = attachment.resolved;
    this.instanceId = attachment.instanceId;
    this.since = nowMs;
    const writer = attachment.reader.writerStatus(nowMs);
    this.writerPid = writer.pid;
    this.generation = writer.generation;
  }

  /** Marks the feed down (the caller reports the status). */
  disconnect(reason: string, nowMs: number): void {
    this.state = "disconnected";
    this.reason = reason;
    this.since = nowMs;
    this.#downSinceMs = nowMs;
  }

  /**
   * Switches to `attachment` (closing the previous reader unless it was kept, releasing the previous
   * subscription unless it is the same) and marks the feed up; the gap is reported at the next record.
   */
  reconnect(attachment: Attachment, nowMs: number, skipThrough?: bigint): void {
    if (attachment.reader !== this.reader) this.reader.close();
    if (attachment.resolved !== this.resolved) this.resolved.release();
    this.reader = attachment.reader;
    this.resolved = attachment.resolved;
    this.instanceId = attachment.instanceId;
    this.skipThrough = skipThrough;
    this.#pendingGap = {
      downMs: Math.max(0, nowMs - this.#downSinceMs),
      lastTsEvent: this.lastTsEvent,
      reason: this.reason ?? "writer restarted",
    };
    this.writerRestarted(nowMs);
    this.state = "connected";
    this.reason = undefined;
    this.since = nowMs;
    this.reconnects++;
    this.deadHeartbeatMs = undefined;
  }

  /** Takes the writer's pid and generation as current. */
  writerRestarted(nowMs: number): void {
    const writer = this.reader.writerStatus(nowMs);
    this.writerPid = writer.pid;
    this.generation = writer.generation;
  }

  /** Records a gap to report without a down period (a writer restarted between two checks). */
  restartedUnseen(reason: string, nowMs: number): void {
    this.#pendingGap = { downMs: 0, lastTsEvent: this.lastTsEvent, reason };
    this.writerRestarted(nowMs);
    this.reconnects++;
  }

  /** The gap report due at a record with `tsEvent`, if one is pending (then cleared). */
  takeGap(tsEvent: bigint): GapReport | undefined {
    const pending = this.#pendingGap;
    if (pending === undefined) return undefined;
    this.#pendingGap = undefined;
    const gap: GapReport = {
      symbol: this.request.symbol,
      exchange: this.reader.exchange,
      downMs: pending.downMs,
      resumedTsEvent: tsEvent,
      reason: pending.reason,
    };
    if (pending.lastTsEvent !== undefined) {
      gap.lastTsEvent = pending.lastTsEvent;
      gap.gapNs = tsEvent - pending.lastTsEvent;
    }
    return gap;
  }

  /** Releases the channel (idempotent: readers and releases ignore a second call). */
  close(): void {
    this.reader.close();
    this.resolved.release();
  }

  /** A snapshot for status(). */
  status(nowMs: number): ChannelStatus {
    const reader = this.reader;
    let lag = 0;
    try {
      lag = reader.writerStatus(nowMs).lag;
    } catch {
      // closed by stop(): no lag to show
    }
    const status: ChannelStatus = {
      symbol: this.request.symbol,
      exchange: reader.exchange,
      channel: reader.name,
      state: this.state,
      writerPid: this.writerPid,
      generation: this.generation,
      reconnects: this.reconnects,
      lost: this.lost,
      lag,
      capacity: reader.capacity,
      utilisationPct: reader.capacity > 0 ? Math.min(100, (lag / reader.capacity) * 100) : 0,
      records: this.records,
      subscribed: this.resolved.subscribed,
      since: this.since,
    };
    if (this.instanceId !== undefined) status.instanceId = this.instanceId;
    if (this.reason !== undefined) status.reason = this.reason;
    if (this.lastTsEvent !== undefined) status.lastTsEvent = this.lastTsEvent;
    if (this.lastRecordMs !== undefined) status.lastRecordMs = this.lastRecordMs;
    return status;
  }
}
