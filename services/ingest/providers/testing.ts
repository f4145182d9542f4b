/** Test support shared by the adapters: a recording sink, fast reconnects, recorded payloads. */
import type {
  BookEvent,
  DropReason,
  MarketEvent,
  QuoteEvent,
  StreamSink,
  TradeEvent,
} from "./events.ts";

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

/** Small WsClient backoff for tests. */
export const FAST = { initialMs: 10, maxMs: 50 };

/** A documented example message of `testdata/<venue>/`, verbatim. */
export function testdata(venue: string, name: string): string {
  return Deno.readTextFileSync(new URL(`testdata/${venue}/${name}`, import.meta.url));
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
