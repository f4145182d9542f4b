// Estimates: the fake's metadata numbers, USD rounded up to what backfill_jobs holds, exact sums.
import assert from "node:assert/strict";
import { loadConfig } from "@shared/config/mod.ts";
import { resolveFetchPlan } from "../historical/mod.ts";
import { DatabentoHistoricalClient } from "../providers/databento/mod.ts";
import { FAKE_API_KEY, FakeDatabento } from "../providers/databento/fake_server.ts";
import { estimatePlan, sumEstimates } from "./estimate.ts";

const T0 = 1_709_251_200_000_000_000n; // 2024-03-01T00:00Z

Deno.test("estimatePlan() returns the fake's count and size, and the cost rounded up to 10 decimals", async () => {
  // 7 trades of 48 bytes at $2.123456789/GB: $0.000000713481481104 exactly.
  await using fake = await FakeDatabento.start({ pricePerGbUsd: { trades: "2.123456789" } });
  fake.addSyntheticTrades({
    dataset: "GLBX.MDP3",
    symbol: "ESH5",
    instrumentId: 1,
    startNs: T0,
    stepNs: 1_000_000_000n,
    count: 7,
  });
  const client = new DatabentoHistoricalClient({ apiKey: FAKE_API_KEY, baseUrl: fake.url });
  const config = loadConfig({ runMode: "test", env: {}, envFile: false }).config;
  const plan = resolveFetchPlan(config, {
    symbols: ["ESH5"],
    exchange: "CME",
    start: String(T0),
    end: String(T0 + 60_000_000_000n),
  });
  const e = await estimatePlan(client, plan);
  assert.deepEqual(e, { records: 7, bytes: 336, costUsd: "0.0000007135" });
  assert.equal(await client.getCost({ ...planParams(plan) }), "0.000000713481481104");
});

function planParams(plan: ReturnType<typeof resolveFetchPlan>) {
  return {
    dataset: plan.dataset,
    schema: plan.schema,
    symbols: plan.symbols,
    start: plan.startNs,
    end: plan.endNs,
  };
}

Deno.test("sumEstimates() adds counts and exact USD", () => {
  assert.deepEqual(
    sumEstimates([
      { records: 1, bytes: 48, costUsd: "0.1" },
      { records: 2, bytes: 96, costUsd: "0.2" },
    ]),
    { records: 3, bytes: 144, costUsd: "0.3" },
  );
  assert.deepEqual(sumEstimates([]), { records: 0, bytes: 0, costUsd: "0" });
});
