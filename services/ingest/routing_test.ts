import assert from "node:assert/strict";
import type { RoutingConfig } from "@shared/config/mod.ts";
import { inferAssetType, ProviderRouter } from "./routing.ts";

const CONFIG: RoutingConfig = {
  default_provider: "databento",
  databento: { datasets: { "futures@CME": "GLBX.MDP3", "equity@NASDAQ": "XNAS.ITCH" } },
  asset_types: {
    futures: { historical: "databento", realtime: "databento" },
    crypto: { historical: "databento", realtime: "kraken" },
  },
  symbols: [{ symbol: "SOLUSD", exchange: "BINANCE", provider: "binance" }],
};

Deno.test("routing picks the symbol route, then the asset type, then the default", () => {
  const router = new ProviderRouter(CONFIG);
  const sol = router.resolve({ symbol: "SOLUSD", exchange: "BINANCE", mode: "realtime" });
  assert.deepEqual([sol.provider, sol.tier], ["binance", "symbol"]);
  const btc = router.resolve({ symbol: "BTCUSD", mode: "realtime" });
  assert.deepEqual([btc.provider, btc.tier, btc.assetType], ["kraken", "asset_type", "crypto"]);
  const es = router.resolve({ symbol: "ESH5", exchange: "CME", mode: "historical" });
  assert.deepEqual([es.provider, es.dataset, es.assetType], ["databento", "GLBX.MDP3", "futures"]);
  const aapl = router.resolve({ symbol: "AAPL", exchange: "NASDAQ", mode: "realtime" });
  assert.deepEqual([aapl.provider, aapl.tier, aapl.dataset], ["databento", "default", "XNAS.ITCH"]);
});

Deno.test("routing: --provider overrides every tier", () => {
  const router = new ProviderRouter(CONFIG);
  const route = router.resolve(
    { symbol: "SOLUSD", exchange: "BINANCE", mode: "realtime" },
    "kraken",
  );
  assert.deepEqual([route.provider, route.tier], ["kraken", "override"]);
});

Deno.test("inferAssetType tells futures, crypto pairs and equities apart", () => {
  assert.equal(inferAssetType("ESH5"), "futures");
  assert.equal(inferAssetType("CLZ24"), "futures");
  assert.equal(inferAssetType("BTCUSD"), "crypto");
  assert.equal(inferAssetType("ETHUSDT"), "crypto");
  assert.equal(inferAssetType("AAPL"), "equity");
});
