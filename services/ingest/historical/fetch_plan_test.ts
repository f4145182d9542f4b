import assert from "node:assert/strict";
import { UsageError } from "@shared/cli/mod.ts";
import { checkFetchTargets, describePlan, RANGE_SCHEMAS, resolveFetchPlan } from "./fetch_plan.ts";
import { testConfig } from "./testing.ts";

const NOW = { now: new Date("2025-06-01T00:00:00Z") };
const ES = { symbols: ["ESH5"], exchange: "CME", start: "2024-01-01", end: "2024-01-31" };

function usage(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes("\n"), "one line");
    return true;
  });
}

Deno.test("resolveFetchPlan() routes futures@CME to GLBX.MDP3 and equity@NASDAQ to XNAS.ITCH", () => {
  const config = testConfig((c) => {
    c.routing.asset_types.equity = { historical: "databento", realtime: "databento" };
  });
  const es = resolveFetchPlan(config, ES, NOW);
  assert.deepEqual(
    [es.provider, es.dataset, es.schema, es.assetType, es.assetTypeInferred, es.stypeIn],
    ["databento", "GLBX.MDP3", "trades", "futures", true, "raw_symbol"],
  );
  assert.equal(es.startNs, 1_704_067_200_000_000_000n);
  assert.equal(es.endNs, 1_706_659_200_000_000_000n);
  assert.deepEqual([es.route.tier, es.datasetSource], [
    "asset_type",
    '[routing.databento.datasets] "futures@CME"',
  ]);
  const aapl = resolveFetchPlan(config, {
    ...ES,
    symbols: ["AAPL"],
    exchange: "NASDAQ",
    assetType: "equity",
  }, NOW);
  assert.deepEqual([aapl.dataset, aapl.assetType, aapl.assetTypeInferred], [
    "XNAS.ITCH",
    "equity",
    false,
  ]);
});

Deno.test("resolveFetchPlan() takes --provider, --dataset, --schema, --stype-in and symbol routes", () => {
  const config = testConfig((c) => {
    c.routing.symbols.push({
      symbol: "CLH5",
      exchange: "NYMEX",
      provider: "databento",
      dataset: "GLBX.MDP3",
    });
  });
  const plan = resolveFetchPlan(config, {
    ...ES,
    exchange: "ICE",
    provider: "databento",
    dataset: "IFEU.IMPACT",
    schema: "mbp-1",
    stypeIn: "native",
  }, NOW);
  assert.deepEqual(
    [plan.dataset, plan.schema, plan.stypeIn, plan.route.tier, plan.datasetSource],
    ["IFEU.IMPACT", "mbp-1", "raw_symbol", "override", "--dataset"],
  );
  const cl = resolveFetchPlan(config, { ...ES, symbols: ["CLH5"], exchange: "NYMEX" }, NOW);
  assert.deepEqual([cl.dataset, cl.route.tier, cl.datasetSource], [
    "GLBX.MDP3",
    "symbol",
    "[[routing.symbols]] CLH5@NYMEX",
  ]);
  const schema = resolveFetchPlan(
    testConfig((c) => (c.backfill.default_schema = "ohlcv-1m")),
    ES,
    NOW,
  );
  assert.equal(schema.schema, "ohlcv-1m");
});

Deno.test("resolveFetchPlan() parses dates, times with nanoseconds and integer ns", () => {
  const config = testConfig();
  const plan = resolveFetchPlan(config, {
    ...ES,
    start: "2024-01-02T14:30",
    end: "2024-01-02T14:30:01.000000001Z",
  }, NOW);
  assert.equal(plan.startNs, 1_704_205_800_000_000_000n);
  assert.equal(plan.endNs, 1_704_205_801_000_000_001n);
  const ns = resolveFetchPlan(config, {
    ...ES,
    start: "1704067200000000000",
    end: "1704067200000000001",
  }, NOW);
  assert.deepEqual([ns.startNs, ns.endNs], [
    1_704_067_200_000_000_000n,
    1_704_067_200_000_000_001n,
  ]);
});

Deno.test("resolveFetchPlan() refuses bad dates, empty or reversed ranges and the future", () => {
  const config = testConfig();
  usage(
    () => resolveFetchPlan(config, { ...ES, start: "2024-02-30" }, NOW),
    /--start.*"2024-02-30"/,
  );
  usage(() => resolveFetchPlan(config, { ...ES, start: "yesterday" }, NOW), /expects YYYY-MM-DD/);
  usage(
    () => resolveFetchPlan(config, { ...ES, end: "2024-01-01" }, NOW),
    /--end.*must be after --start/,
  );
  usage(
    () => resolveFetchPlan(config, { ...ES, end: "2025-06-03" }, NOW),
    /more than a day in the future/,
  );
  const tomorrow = resolveFetchPlan(config, { ...ES, end: "2025-06-02" }, NOW);
  assert.equal(tomorrow.endNs, 1_748_822_400_000_000_000n);
});

Deno.test("resolveFetchPlan() names the bad schema, symbol, exchange or stype", () => {
  const config = testConfig();
  usage(
    () => resolveFetchPlan(config, { ...ES, schema: "quotes" }, NOW),
    new RegExp(`Unknown schema "quotes" \\(expected one of ${RANGE_SCHEMAS.join(", ")}\\)`),
  );
  usage(
    () => resolveFetchPlan(config, { ...ES, symbols: ["es h5"] }, NOW),
    /^Invalid symbol "es h5"/,
  );
  usage(() => resolveFetchPlan(config, { ...ES, symbols: [] }, NOW), /needs at least one symbol/);
  usage(() => resolveFetchPlan(config, { ...ES, exchange: "cme" }, NOW), /^Invalid exchange "cme"/);
  usage(
    () => resolveFetchPlan(config, { ...ES, stypeIn: "ticker" }, NOW),
    /Unknown symbology type "ticker"/,
  );
  usage(() => resolveFetchPlan(config, { ...ES, dataset: "GLBX MDP3" }, NOW), /--dataset/);
  const continuous = resolveFetchPlan(config, {
    ...ES,
    symbols: ["ES.c.0"],
    stypeIn: "continuous",
    assetType: "futures",
  }, NOW);
  assert.deepEqual(continuous.symbols, ["ES.c.0"]);
});

Deno.test("resolveFetchPlan() needs provider databento and a dataset", () => {
  const config = testConfig((c) => {
    c.routing.asset_types.crypto = { historical: "kraken", realtime: "kraken" };
  });
  usage(
    () => resolveFetchPlan(config, { ...ES, symbols: ["BTCUSD"], exchange: "KRAKEN" }, NOW),
    /^Historical fetch needs provider databento; routing chose kraken for BTCUSD \(asset type crypto, tier asset_type\); pass --provider databento --dataset/,
  );
  usage(
    () => resolveFetchPlan(config, { ...ES, provider: "binance" }, NOW),
    /routing chose binance for ESH5 \(asset type futures, tier override\)/,
  );
  usage(
    () => resolveFetchPlan(config, { ...ES, exchange: "ICE" }, NOW),
    /^No Databento dataset for ESH5 \(futures on ICE\): add \[routing\.databento\.datasets\] "futures@ICE" = "DATASET" to the config or pass --dataset$/,
  );
  const btc = resolveFetchPlan(config, {
    ...ES,
    symbols: ["BTCUSD"],
    exchange: "KRAKEN",
    provider: "databento",
    dataset: "XNAS.ITCH",
  }, NOW);
  assert.deepEqual([btc.dataset, btc.assetType], ["XNAS.ITCH", "crypto"]);
});

Deno.test("resolveFetchPlan() routes each symbol; they must share one dataset", () => {
  const config = testConfig((c) => {
    c.routing.asset_types.equity = { historical: "databento", realtime: "databento" };
    c.routing.databento.datasets["equity@CME"] = "XNAS.ITCH";
  });
  usage(
    () => resolveFetchPlan(config, { ...ES, symbols: ["ESH5", "AAPL"] }, NOW),
    /^The symbols route to different datasets \(ESH5 -> GLBX\.MDP3; AAPL -> XNAS\.ITCH\); fetch them separately$/,
  );
  const both = resolveFetchPlan(config, { ...ES, symbols: ["ESH5", "NQH5", "ESH5"] }, NOW);
  assert.deepEqual(both.symbols, ["ESH5", "NQH5"]);
  const mixed = resolveFetchPlan(
    config,
    { ...ES, symbols: ["ESH5", "AAPL"], dataset: "GLBX.MDP3" },
    NOW,
  );
  assert.deepEqual([mixed.assetType, mixed.assetTypes], ["equity,futures", {
    ESH5: "futures",
    AAPL: "equity",
  }]);
});

Deno.test("checkFetchTargets() stores trades only, from raw symbols; files take any schema", () => {
  const config = testConfig();
  const mbo = resolveFetchPlan(config, { ...ES, schema: "mbo" }, NOW);
  usage(
    () => checkFetchTargets(mbo, { store: true }),
    /^The database stores trades only .* -o FILE\.dbn\.zst --no-store$/,
  );
  checkFetchTargets(mbo, { store: false, outPath: "es.dbn.zst" });
  usage(() => checkFetchTargets(mbo, { store: false }), /--no-store needs -o FILE/);
  usage(() => checkFetchTargets(mbo, { store: false, outPath: "es.csv" }), /\.dbn or \.dbn\.zst/);
  const parent = resolveFetchPlan(config, {
    ...ES,
    symbols: ["ES.FUT"],
    stypeIn: "parent",
    assetType: "futures",
  }, NOW);
  usage(() => checkFetchTargets(parent, { store: true }), /needs --stype-in raw_symbol/);
  checkFetchTargets(resolveFetchPlan(config, { ...ES, schema: "tbbo" }, NOW), { store: true });
});

Deno.test("describePlan() lists symbols, routing, schema, range and outputs", () => {
  const plan = resolveFetchPlan(testConfig(), ES, NOW);
  assert.deepEqual(describePlan(plan, { outPath: "/tmp/es.dbn.zst", database: "PGlite ./data" }), [
    "symbols:    ESH5",
    "exchange:   CME",
    "asset type: futures (inferred from the symbol)",
    "provider:   databento (routing tier asset_type)",
    'dataset:    GLBX.MDP3 (from [routing.databento.datasets] "futures@CME")',
    "schema:     trades",
    "stype_in:   raw_symbol",
    "range:      2024-01-01T00:00:00Z .. 2024-01-31T00:00:00Z (end exclusive)",
    "range (ns): 1704067200000000000 .. 1706659200000000000",
    "output:     database PGlite ./data (tick_data), file /tmp/es.dbn.zst",
  ]);
});
