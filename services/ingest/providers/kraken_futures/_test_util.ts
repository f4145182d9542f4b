/** Test helpers: a recording sink, fast reconnects, documented payloads from testdata. */
import type { DropReason, MarketEvent, StreamSink } from "../events.ts";

/** Keeps every event and drop. */
export class RecordingSink implements StreamSink {
  readonly events: MarketEvent[] = [];
  readonly drops: { reason: DropReason; detail: Record<string, unknown> }[] = [];

  onEvent(event: MarketEvent): void {
    this.events.push(event);
  }

  onDrop(reason: DropReason, detail: Record<string, unknown>): void {
    this.drops.push({ reason, detail });
  }

  /** Drop reasons in order. */
  reasons(): DropReason[] {
    return this.drops.map((drop) => drop.reason);
  }
}

/** Small WsClient backoff for tests. */
export const FAST = { initialMs: 10, maxMs: 50 };

/** A documented example message of `testdata/kraken_futures/`, verbatim. */
export function testdata(name: string): Promise<string> {
  return Deno.readTextFile(new URL(`../testdata/kraken_futures/${name}`, import.meta.url));
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
