/**
 * Builds the live provider `serve` streams from: the three venues with their configured URLs
 * (`--demo` picks the demo ones), the replay of DBN files, or the synthetic generator.
 * @module
 */
import type { AppConfig } from "@shared/config/mod.ts";
import type { Logger } from "@shared/obs/mod.ts";
import { VenueError } from "@shared/venue/mod.ts";
import { BinanceProvider } from "./binance/mod.ts";
import { KrakenProvider } from "./kraken/mod.ts";
import { KrakenFuturesProvider } from "./kraken_futures/mod.ts";
import { ReplayProvider } from "./replay/mod.ts";
import { SyntheticProvider } from "./synthetic/mod.ts";
import type { StreamSink } from "./events.ts";
import type { LiveStreamProvider } from "./types.ts";

/** Providers `serve` can stream from. */
export const LIVE_PROVIDERS = [
  "binance",
  "kraken",
  "kraken_futures",
  "replay",
  "synthetic",
] as const;
/** A live provider name. */
export type LiveProviderName = typeof LIVE_PROVIDERS[number];

/** What the factory needs besides the config. */
export interface ProviderSetup {
  sink: StreamSink;
  logger?: Logger;
  /** Use the venue's demo/testnet URLs. */
  demo?: boolean;
  /** Replay: a .dbn/.dbn.zst file or a folder of them, and the speed (0 = full speed). */
  replay?: { path: string; speed: number; loop?: boolean };
  /** Replay and synthetic: the exchange stored with their ticks (REPLAY, SYNTHETIC by default). */
  exchange?: string;
  /** Synthetic: events per second (0 = full speed), seed, quotes, event limit. */
  synthetic?: { rate: number; seed: number; maxEvents?: number };
}

/** Checks a provider name for `serve`. */
export function isLiveProvider(name: string): name is LiveProviderName {
  return (LIVE_PROVIDERS as readonly string[]).includes(name);
}

/** The venue URLs to use: the demo ones with `demo`, failing clearly when none is configured. */
export function venueUrls(
  config: AppConfig,
  venue: "binance" | "kraken" | "kraken_futures",
  demo = false,
): { wsUrl: string; restUrl: string } {
  const section = config.venues[venue];
  if (!demo) return { wsUrl: section.ws_url, restUrl: section.rest_url };
  if (section.demo_ws_url === undefined) {
    throw new VenueError(
      "rejected",
      `no demo endpoint configured: set [venues.${venue}] demo_ws_url or ${venue.toUpperCase()}_DEMO_WS_URL`,
      { venue },
    );
  }
  return { wsUrl: section.demo_ws_url, restUrl: section.demo_rest_url ?? section.rest_url };
}

/** Creates the named live provider. */
export function createLiveProvider(
  name: LiveProviderName,
  config: AppConfig,
  setup: ProviderSetup,
): LiveStreamProvider {
  const { sink, logger } = setup;
  switch (name) {
    case "binance":
      return new BinanceProvider({ ...venueUrls(config, name, setup.demo), sink, logger });
    case "kraken":
      if (setup.demo) {
        throw new VenueError("rejected", "Kraken Spot has no demo environment", { venue: name });
      }
      return new KrakenProvider({ ...venueUrls(config, name), sink, logger });
    case "kraken_futures":
      return new KrakenFuturesProvider({ ...venueUrls(config, name, setup.demo), sink, logger });
    case "replay": {
      if (setup.replay === undefined) {
        throw new VenueError("rejected", "replay needs --replay PATH", { venue: name });
      }
      return new ReplayProvider({ ...setup.replay, exchange: setup.exchange, sink, logger });
    }
    case "synthetic":
      return new SyntheticProvider({
        rate: setup.synthetic?.rate ?? 100,
        seed: setup.synthetic?.seed ?? 42,
        maxEvents: setup.synthetic?.maxEvents,
        quotes: true,
        exchange: setup.exchange,
        sink,
        logger,
      });
  }
}
