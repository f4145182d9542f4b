/**
 * Subscription bookkeeping of the offline providers: canonical symbols (or `*` for every symbol)
 * with the feeds asked for each, checked against the feeds the provider streams.
 * @module
 */
import { VenueError } from "@shared/venue/mod.ts";
import type { Feed } from "./events.ts";
import type { SubscriptionStatus } from "./types.ts";
import { isCanonicalSymbol } from "./identity_symbols.ts";

/** The wildcard symbol: every symbol the input has. */
export const ALL_SYMBOLS = "*";

/** Which feeds of which symbols are wanted; `*` stands for every symbol. */
export class Subscriptions {
  readonly #venue: string;
  readonly #supported: ReadonlySet<Feed>;
  readonly #feeds = new Map<string, Set<Feed>>();

  /** `supported` lists the feeds the provider can stream; others are rejected. */
  constructor(venue: string, supported: readonly Feed[]) {
    this.#venue = venue;
    this.#supported = new Set(supported);
  }

  /**
   * Adds `feeds` to each symbol. Throws a VenueError `rejected` for an unsupported feed and
   * `unknown_symbol` for a symbol that is not canonical; nothing is added then.
   */
  add(symbols: readonly string[], feeds: readonly Feed[]): void {
    if (feeds.length === 0) {
      throw new VenueError("rejected", "Cannot subscribe without a feed", { venue: this.#venue });
    }
    for (const feed of feeds) {
      if (!this.#supported.has(feed)) {
        throw new VenueError(
          "rejected",
          `Feed ${JSON.stringify(feed)} is not streamed (feeds: ${
            [...this.#supported].join(", ")
          })`,
          { venue: this.#venue },
        );
      }
    }
    for (const symbol of symbols) {
      if (symbol !== ALL_SYMBOLS && !isCanonicalSymbol(symbol)) {
        throw new VenueError(
          "unknown_symbol",
          `Cannot subscribe ${JSON.stringify(symbol)}: not a canonical symbol`,
          { venue: this.#venue },
        );
      }
    }
    for (const symbol of symbols) {
      const set = this.#feeds.get(symbol) ?? new Set<Feed>();
      for (const feed of feeds) set.add(feed);
      this.#feeds.set(symbol, set);
    }
  }

  /** Forgets each symbol (`*` forgets the wildcard, not symbols named one by one). */
  remove(symbols: readonly string[]): void {
    for (const symbol of symbols) this.#feeds.delete(symbol);
  }

  /** True when `feed` of `symbol` is wanted, by name or through `*`. */
  wants(symbol: string, feed: Feed): boolean {
    return (this.#feeds.get(symbol)?.has(feed) ?? false) ||
      (this.#feeds.get(ALL_SYMBOLS)?.has(feed) ?? false);
  }

  /** The symbols asked for (`*` included), sorted. */
  symbols(): string[] {
    return [...this.#feeds.keys()].sort();
  }

  /** True when nothing is subscribed. */
  get empty(): boolean {
    return this.#feeds.size === 0;
  }

  /** Everything asked for is active: no venue stands between us and the data. */
  status(): SubscriptionStatus {
    const requested: Record<string, Feed[]> = {};
    for (const symbol of this.symbols()) requested[symbol] = [...this.#feeds.get(symbol)!];
    return { requested, active: this.symbols(), failed: {} };
  }
}
