/**
 * Provider routing from `[routing]` (seed 001, "Provider Routing System"): a symbol-specific route
 * first, then the asset type's provider (realtime or historical), then `default_provider`; an
 * explicit `--provider` overrides all three.
 * @module
 */
import type { RoutingConfig } from "@shared/config/mod.ts";
import { QUOTE_CURRENCIES } from "@shared/venue/mod.ts";

/** What is being routed. */
export interface RouteRequest {
  symbol: string;
  exchange?: string;
  /** `crypto`, `futures`, `equity`, ...; inferred from the symbol when absent. */
  assetType?: string;
  /** Live streaming or historical fetch. */
  mode: "realtime" | "historical";
}

/** Where a request goes, and which tier decided it. */
export interface Route {
  provider: string;
  /** The Databento dataset, when the provider is databento and one is configured. */
  dataset?: string;
  assetType: string;
  tier: "override" | "symbol" | "asset_type" | "default";
}

const FUTURES = /^[A-Z]{1,4}[FGHJKMNQUVXZ]\d{1,2}$/;

/** Guesses the asset type: a futures month code, a crypto pair, else equity. */
export function inferAssetType(symbol: string): string {
  if (FUTURES.test(symbol)) return "futures";
  if (QUOTE_CURRENCIES.some((q) => symbol.length > q.length + 1 && symbol.endsWith(q))) {
    return "crypto";
  }
  return "equity";
}

/** Resolves providers from the `[routing]` table. */
export class ProviderRouter {
  readonly config: RoutingConfig;

  constructor(config: RoutingConfig) {
    this.config = config;
  }

  /** The route of one request; `override` (the `--provider` flag) wins. */
  resolve(request: RouteRequest, override?: string): Route {
    const assetType = request.assetType ?? inferAssetType(request.symbol);
    const dataset = (provider: string, explicit?: string) =>
      explicit ??
        (provider === "databento" && request.exchange !== undefined
          ? this.config.databento.datasets[`${assetType}@${request.exchange}`]
          : undefined);
    if (override !== undefined) {
      return { provider: override, dataset: dataset(override), assetType, tier: "override" };
    }
    const specific = this.config.symbols.find((route) =>
      route.symbol === request.symbol &&
      (request.exchange === undefined || route.exchange === request.exchange)
    );
    if (specific !== undefined) {
      return {
        provider: specific.provider,
        dataset: dataset(specific.provider, specific.dataset),
        assetType,
        tier: "symbol",
      };
    }
    const byType = this.config.asset_types[assetType];
    if (byType !== undefined) {
      const provider = byType[request.mode];
      return { provider, dataset: dataset(provider), assetType, tier: "asset_type" };
    }
    const provider = this.config.default_provider;
    return { provider, dataset: dataset(provider), assetType, tier: "default" };
  }
}
