// Test helpers for the replay provider: a collecting sink, a capturing logger, temp folders and
// small DBN files written with shared/dbn's writer.
import { join } from "node:path";
import { type Metadata, RType, type TradeMsg } from "@shared/dbn/mod.ts";
import { createDbnWriter } from "@shared/dbn/stream/mod.ts";
import { tradesMetadata as sharedTradesMetadata } from "@shared/dbn/stream/testing.ts";
import { createLogger, type Logger } from "@shared/obs/mod.ts";
import type { DropReason, MarketEvent, StreamSink } from "../events.ts";

/** A sink that keeps every event and drop. */
export interface CollectingSink extends StreamSink {
  events: MarketEvent[];
  drops: { reason: DropReason; detail: Record<string, unknown> }[];
}

/** A sink that keeps every event and drop, calling `onEvent` (if given) after storing. */
export function collectingSink(onEvent?: (event: MarketEvent) => void): CollectingSink {
  const sink: CollectingSink = {
    events: [],
    drops: [],
    onEvent: (event) => {
      sink.events.push(event);
      onEvent?.(event);
    },
    onDrop: (reason, detail) => sink.drops.push({ reason, detail }),
  };
  return sink;
}

/** A logger whose lines land in `lines` (JSON, debug and up). */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    level: "debug",
    format: "json",
    service: "test",
    sink: (line) => lines.push(line),
  });
  return { logger, lines };
}

/** Runs `fn` with a fresh temp folder, removed afterwards. */
export async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "replay_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** 2021-01-04T00:00:00Z in ns. */
export const T0 = 1_609_718_400_000_000_000n;

/** Metadata of a v3 trades file mapping raw symbols to instrument ids on 2021-01-04. */
export function tradesMetadata(symbols: Record<string, number>): Metadata {
  return sharedTradesMetadata(symbols, {
    dataset: "TEST.REPLAY",
    start: T0,
    startDate: 20210104,
    endDate: 20210105,
  });
}

/** A trade record; price in 1e-9 units. */
export function tradeRecord(fields: {
  instrumentId: number;
  tsEvent: bigint;
  price: bigint;
  size: number;
  side?: string;
  sequence?: number;
}): TradeMsg {
  return {
    rtype: RType.Mbp0,
    publisherId: 1,
    instrumentId: fields.instrumentId,
    tsEvent: fields.tsEvent,
    price: fields.price,
    size: fields.size,
    action: "T",
    side: fields.side ?? "B",
    flags: 0,
    depth: 0,
    tsRecv: fields.tsEvent + 1000n,
    tsInDelta: 0,
    sequence: fields.sequence ?? 0,
  };
}

/**
 * Writes a trades file of `count` records of instrument 1 (`ESH1`), `gapNs` apart from T0,
 * priced 100 + i/100, sequence i + 1. Returns its path.
 */
export async function writeTradesFile(
  dir: string,
  name: string,
  options: { count: number; gapNs: bigint },
): Promise<string> {
  const path = join(dir, name);
  const writer = await createDbnWriter(path, { metadata: tradesMetadata({ ESH1: 1 }) });
  const records: TradeMsg[] = [];
  for (let i = 0; i < options.count; i++) {
    records.push(tradeRecord({
      instrumentId: 1,
      tsEvent: T0 + BigInt(i) * options.gapNs,
      price: 100_000_000_000n + BigInt(i) * 10_000_000n,
      size: 1 + (i % 7),
      side: i % 2 === 0 ? "B" : "A",
      sequence: i + 1,
    }));
  }
  await writer.write(records);
  await writer.close();
  return path;
}
