/**
 * `deno task backtest`: run a strategy over historical ticks and report the results.
 *
 *   deno task backtest --strategy sma --data synthetic            a demo run, no data needed
 *   deno task backtest --strategy rsi --symbol BTCUSD --from 2024-01-01 --to 2024-02-01
 *   deno task backtest --strategy my_strategy.ts --data ticks.dbn.zst --report out.html
 *   deno task backtest                                           interactive
 *
 * Exit codes: 0 ok, 1 the strategy threw (partial results still written) or a failure, 2 bad
 * input. See services/backtest/README.md.
 * @module
 */
import { runMain, writeStderr, writeStdout } from "@shared/cli/mod.ts";
import { configFrom } from "@shared/cli/config_flags.ts";
import { parseBacktestArgs, USAGE } from "./cli.ts";
import { CancelledError, interactiveRequest } from "./interactive.ts";
import { runRequest } from "./run.ts";
import { LineReader } from "./_line_reader.ts";

async function main(args: string[]): Promise<number> {
  if (args.length === 0) return await interactive();
  const { request, config } = parseBacktestArgs(args);
  if (request === undefined) {
    writeStdout(USAGE);
    return 0;
  }
  return await runRequest(request, configFrom(config));
}

async function interactive(): Promise<number> {
  const config = configFrom({});
  const lines = new LineReader(Deno.stdin.readable);
  let request;
  try {
    request = await interactiveRequest({ write: writeStdout, readLine: () => lines.readLine() });
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    writeStderr("Cancelled\n");
    return 2;
  } finally {
    await lines.close();
  }
  return await runRequest(request, config);
}

await runMain(main);
