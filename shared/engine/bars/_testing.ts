// Test support: trades as plain rows, turned into core columns or fed one by one.
import { mulberry32 } from "@shared/domain/mod.ts";
import type { BarData } from "../types.ts";
import type { BarSink } from "./bar_generator.ts";
import { CoreTickColumns } from "./tick_columns.ts";

/** One trade: ns time, fixed price, DBN size, side byte. */
export interface Row {
  ts: bigint;
  price: bigint;
  size: number;
  side?: number;
}

/** Rows [from, to) as a chunk in the core's memory (the caller frees it). */
export function chunkOf(rows: readonly Row[], from = 0, to = rows.length): CoreTickColumns {
  const chunk = new CoreTickColumns(Math.max(1, to - from));
  const ts = chunk.tsEvent, price = chunk.price, size = chunk.size, side = chunk.side;
  for (let i = from; i < to; i++) {
    const r = rows[i]!;
    ts[i - from] = r.ts;
    price[i - from] = r.price;
    size[i - from] = r.size;
    side[i - from] = r.side ?? 78;
  }
  chunk.length = to - from;
  return chunk;
}

/** A sink that records events (and crosses as strings). */
export class EventLog implements BarSink {
  readonly events: (BarData | string)[] = [];
  onBarData(event: BarData): void {
    this.events.push(event);
  }
  onCross(index: number): void {
    this.events.push(`cross ${index}`);
  }
}

/** ns of a UTC time "2024-01-01T00:01:30Z". */
export function ns(iso: string): bigint {
  return BigInt(Date.parse(iso)) * 1_000_000n;
}

/** A fixed price from a whole number of cents. */
export function cents(n: number): bigint {
  return BigInt(n) * 10_000_000n;
}

/** Seeded trades with bursts, repeated prices and gaps of several minutes. */
export function randomRows(seed: number, count: number, start: bigint): Row[] {
  const random = mulberry32(seed);
  const rows: Row[] = [];
  let t = start;
  let p = 1_000_000;
  for (let i = 0; i < count; i++) {
    const r = random();
    t += r < 0.02
      ? BigInt(Math.floor(random() * 600_000)) * 1_000_000n // gap up to 10 min
      : BigInt(Math.floor(random() * 3_000)) * 1_000_000n; // up to 3 s
    if (random() < 0.6) p += Math.floor(random() * 21) - 10;
    rows.push({ ts: t, price: cents(p), size: 1 + Math.floor(random() * 100), side: 65 + (i & 1) });
  }
  return rows;
}
