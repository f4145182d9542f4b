/**
 * What the trader's IPC exchange hands out: live trades and quotes decoded from the ingest
 * channels, per-symbol channel status, and gap reports after a reconnect.
 * @module
 */
import type { Logger } from "@shared/obs/mod.ts";
import type { PollPolicy } from "@shared/ipc/mod.ts";

/** A trade read from a channel (DBN TradeMsg); `price` is fixed point (1e-9). */
export interface LiveTrade {
  symbol: string;
  exchange: string;
  instrumentId: number;
  tsEvent: bigint;
  tsRecv: bigint;
  /** Fixed point, 1e-9 units. */
  price: bigint;
  size: number;
  side: "A" | "B" | "N";
  flags: number;
  sequence: number;
  /** monotonicNs() when the poll that copied it returned. */
  readNs: number;
}

/** A top-of-book quote read from a channel (MBP-1, BBO or the first level of MBP-10). */
export interface LiveQuote {
  symbol: string;
  exchange: string;
  instrumentId: number;
  tsEvent: bigint;
  tsRecv: bigint;
  /** Fixed point, 1e-9 units; UNDEF_PRICE when the side is empty. */
  bidPx: bigint;
  askPx: bigint;
  bidSz: number;
  askSz: number;
  /** monotonicNs() when the poll that copied it returned. */
  readNs: number;
}

/** A symbol to consume, optionally pinned to one exchange or one ingest instance. */
export interface SymbolRequest {
  symbol: string;
  exchange?: string;
  /** "" for the instance without an id. */
  instanceId?: string;
}

/** One symbol's channel as the exchange sees it. */
export interface ChannelStatus {
  symbol: string;
  exchange?: string;
  channel?: string;
  instanceId?: string;
  state: "connected" | "disconnected";
  /** Why it is disconnected. */
  reason?: string;
  writerPid?: number;
  generation?: number;
  reconnects: number;
  /** Records lost to reader overruns. */
  lost: number;
  /** Published records not yet read. */
  lag: number;
  capacity: number;
  utilisationPct: number;
  records: number;
  lastTsEvent?: bigint;
  /** Date.now() of the last record. */
  lastRecordMs?: number;
  /** True when the channel was opened by our SUBSCRIBE. */
  subscribed: boolean;
  /** Date.now() when the current state began. */
  since: number;
}

/** What a reconnect missed, reported at the first record after it. */
export interface GapReport {
  symbol: string;
  /** The exchange of the channel it resumed on. */
  exchange: string;
  /** From the moment the channel was seen down to the reattach. */
  downMs: number;
  /** ts_event of the last record before the outage. */
  lastTsEvent?: bigint;
  /** ts_event of the first record after it. */
  resumedTsEvent: bigint;
  /** resumedTsEvent - lastTsEvent. */
  gapNs?: bigint;
  /** Why the channel went down. */
  reason: string;
}

/** Counters of an exchange since start. */
export interface IpcExchangeStats {
  records: number;
  trades: number;
  quotes: number;
  /** Slots skipped: unknown rtypes, and trades without a price or size. */
  dropped: number;
  lost: number;
  polls: number;
  /** Exceptions thrown by the callbacks (logged, never stop the loop). */
  callbackErrors: number;
}

/** Options for {@linkcode IpcExchange.start}. */
export interface IpcExchangeOptions {
  /** `[ipc] namespace`. */
  namespace: string;
  symbols: SymbolRequest[];
  /** `[ipc] stale_after_secs`: a writer silent for longer is down. */
  staleAfterSecs: number;
  logger: Logger;
  /** Called synchronously in the poll loop for each trade; keep it short. */
  onTrade(trade: LiveTrade): void;
  onQuote?(quote: LiveQuote): void;
  onGap?(gap: GapReport): void;
  /** Called when a symbol's state changes (and once per symbol at start). */
  onStatus?(status: ChannelStatus): void;
  /**
   * Where reading starts on a channel at start: "latest" (default: only what is published from
   * now on) or "oldest" (everything the ring still holds, e.g. a channel made for this run).
   */
  startFrom?: "latest" | "oldest";
  /** After each batch's records were handed out (process them now: the poll loop waits). */
  onBatchEnd?(): void;
  /** True: do not poll now (the consumer's queue is full). */
  backpressure?: () => boolean;
  /** Records per poll (default 1024). */
  batchSize?: number;
  pollPolicy?: Partial<PollPolicy>;
  /** Health watch period (default 500 ms). */
  checkIntervalMs?: number;
}
