/** Test support private to the Kraken adapter: a sink that records what it is given. */
import type {
  BookEvent,
  DropReason,
  MarketEvent,
  QuoteEvent,
  StreamSink,
  TradeEvent,
} from "../events.ts";

/** A StreamSink keeping every event and drop, with typed views. */
export class RecordingSink implements StreamSink {
  readonly events: MarketEvent[] = [];
  readonly drops: { reason: DropReason; detail: Record<string, unknown> }[] = [];

  /** Records an event. */
  onEvent(event: MarketEvent): void {
    this.events.push(event);
  }

  /** Records a drop. */
  onDrop(reason: DropReason, detail: Record<string, unknown>): void {
    this.drops.push({ reason, detail });
  }

  /** Trade events so far. */
  get trades(): TradeEvent[] {
    return this.events.filter((e): e is TradeEvent => e.kind === "trade");
  }

  /** BBO events so far. */
  get quotes(): QuoteEvent[] {
    return this.events.filter((e): e is QuoteEvent => e.kind === "bbo");
  }

  /** Book events so far. */
  get books(): BookEvent[] {
    return this.events.filter((e): e is BookEvent => e.kind === "book");
  }

  /** Drop reasons in order. */
  get reasons(): DropReason[] {
    return this.drops.map((d) => d.reason);
  }
}

/** Reads a file of testdata/kraken as text. */
export function testdata(name: string): string {
  return Deno.readTextFileSync(new URL(`../testdata/kraken/${name}`, import.meta.url));
}
