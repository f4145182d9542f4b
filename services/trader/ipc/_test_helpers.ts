/**
 * Helpers for the IPC exchange tests: DBN records to publish, a recorder of every callback, and a
 * wait for a condition with a deadline (never a fixed sleep).
 * @module
 */
import { encodeRecord, RType, UNDEF_PRICE } from "@shared/dbn/mod.ts";
import { createNullLogger } from "@shared/obs/mod.ts";
import type {
  ChannelStatus,
  GapReport,
  IpcExchangeOptions,
  LiveQuote,
  LiveTrade,
  SymbolRequest,
} from "./types.ts";

const V3 = { version: 3, tsOut: false } as const;

/** A DBN v3 trade record (48 bytes). */
export function tradeRecord(
  tsEvent: bigint,
  price: bigint,
  fields: { size?: number; side?: "A" | "B" | "N"; sequence?: number; instrumentId?: number } = {},
): Uint8Array {
  return encodeRecord({
    rtype: RType.Mbp0,
    publisherId: 0,
    instrumentId: fields.instrumentId ?? 7,
    tsEvent,
    price,
    size: fields.size ?? 1,
    action: "T",
    side: fields.side ?? "B",
    flags: 0x80,
    depth: 0,
    tsRecv: tsEvent + 1000n,
    tsInDelta: 0,
    sequence: fields.sequence ?? 0,
  }, V3);
}

const LEVEL = { bidCt: 1, askCt: 1 };

/** A DBN v3 MBP-1 record (80 bytes) with one top-of-book level. */
export function mbp1Record(
  tsEvent: bigint,
  level: { bidPx: bigint; askPx: bigint; bidSz: number; askSz: number },
): Uint8Array {
  return encodeRecord({
    rtype: RType.Mbp1,
    publisherId: 0,
    instrumentId: 7,
    tsEvent,
    price: UNDEF_PRICE,
    size: 0,
    action: "A",
    side: "N",
    flags: 0x80,
    depth: 0,
    tsRecv: tsEvent + 2000n,
    tsInDelta: 0,
    sequence: 3,
    levels: [{ ...level, ...LEVEL }],
  }, V3);
}

/** A DBN v3 BBO-1s record (80 bytes), what ingest publishes for a venue's best bid and offer. */
export function bboRecord(
  tsEvent: bigint,
  level: { bidPx: bigint; askPx: bigint; bidSz: number; askSz: number },
): Uint8Array {
  return encodeRecord({
    rtype: RType.Bbo1S,
    publisherId: 0,
    instrumentId: 8,
    tsEvent,
    price: UNDEF_PRICE,
    size: 0,
    side: "N",
    flags: 0xC0,
    tsRecv: tsEvent + 3000n,
    sequence: 4,
    levels: [{ ...level, ...LEVEL }],
  }, V3);
}

/** One callback, in the order they came. */
export type ExchangeEvent =
  | { kind: "trade"; trade: LiveTrade }
  | { kind: "quote"; quote: LiveQuote }
  | { kind: "gap"; gap: GapReport }
  | { kind: "status"; status: ChannelStatus };

/** Records every callback of an exchange. */
export class Recorder {
  readonly events: ExchangeEvent[] = [];

  get trades(): LiveTrade[] {
    return this.events.flatMap((e) => e.kind === "trade" ? [e.trade] : []);
  }

  get quotes(): LiveQuote[] {
    return this.events.flatMap((e) => e.kind === "quote" ? [e.quote] : []);
  }

  get gaps(): GapReport[] {
    return this.events.flatMap((e) => e.kind === "gap" ? [e.gap] : []);
  }

  get statuses(): ChannelStatus[] {
    return this.events.flatMap((e) => e.kind === "status" ? [e.status] : []);
  }

  /** Exchange options that record into this recorder. */
  options(
    namespace: string,
    symbols: SymbolRequest[],
    extra: Partial<IpcExchangeOptions> = {},
  ): IpcExchangeOptions {
    return {
      namespace,
      symbols,
      staleAfterSecs: 60,
      logger: createNullLogger("trader"),
      checkIntervalMs: 50,
      onTrade: (trade) => this.events.push({ kind: "trade", trade }),
      onQuote: (quote) => this.events.push({ kind: "quote", quote }),
      onGap: (gap) => this.events.push({ kind: "gap", gap }),
      onStatus: (status) => this.events.push({ kind: "status", status }),
      ...extra,
    };
  }
}

/** Resolves once `condition()` holds; rejects naming `what` after `timeoutMs` (default 20 s). */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
