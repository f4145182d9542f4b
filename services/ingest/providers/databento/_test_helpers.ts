/**
 * What the Databento client tests share: a fake server with ES trades, a client on it (fast
 * retries, logs collected), and the error a failing call must end with.
 * @module
 */
import assert from "node:assert/strict";
import { createLogger } from "@shared/obs/mod.ts";
import { DatabentoError } from "./errors.ts";
import { DatabentoHistoricalClient } from "./client.ts";
import { FAKE_API_KEY, FakeDatabento } from "./fake_server.ts";
import type { SyntheticTradesOptions } from "./_fake_synthetic.ts";

/** 2023-11-14T22:13:20Z. */
export const T0 = 1_700_000_000_000_000_000n;
/** One second in ns. */
export const SEC = 1_000_000_000n;
/** 100 ESZ3 trades on GLBX.MDP3, one a second from T0. */
export const ES: SyntheticTradesOptions = {
  dataset: "GLBX.MDP3",
  symbol: "ESZ3",
  instrumentId: 101,
  startNs: T0,
  stepNs: SEC,
  count: 100,
};
/** get_range of ES from T0. */
export const RANGE = { dataset: "GLBX.MDP3", schema: "trades", symbols: ["ESZ3"], start: T0 };

/** Runs `fn` with a fake (serving `trades`, ES by default; null: nothing) and a client on it. */
export async function withFake(
  fn: (fake: FakeDatabento, client: DatabentoHistoricalClient, logs: string[]) => Promise<void>,
  options: { apiKey?: string; warnings?: string[]; trades?: SyntheticTradesOptions | null } = {},
): Promise<void> {
  const fake = await FakeDatabento.start({ warnings: options.warnings });
  const trades = options.trades === undefined ? ES : options.trades;
  if (trades !== null) fake.addSyntheticTrades(trades);
  const logs: string[] = [];
  try {
    const client = new DatabentoHistoricalClient({
      apiKey: options.apiKey ?? FAKE_API_KEY,
      baseUrl: fake.url,
      retryBaseMs: 5,
      logger: createLogger({
        level: "debug",
        format: "json",
        service: "t",
        sink: (l) => logs.push(l),
      }),
    });
    await fn(fake, client, logs);
  } finally {
    await fake.close();
  }
}

/** The DatabentoError `promise` rejects with (fails the test otherwise). */
export async function failure(promise: Promise<unknown>): Promise<DatabentoError> {
  const error = await promise.then(() => undefined, (e) => e);
  assert.ok(error instanceof DatabentoError, `expected a DatabentoError, got ${error}`);
  return error;
}
