/**
 * `deno task trader`: the trading core's command line (`deno task live` runs `trader live`):
 *
 *   deno task trader live [options]          consume IPC, keep the cache, paper trade
 *   deno task trader hash-strategy FILE...   print each strategy file's SHA-256 like sha256sum
 *
 * Exit codes: 0 ok, 2 bad arguments or a missing file, 1 failure.
 * @module
 */
import { runMain, UsageError, writeStdout } from "@shared/cli/mod.ts";
import { hashStrategyCommand } from "./commands/hash_strategy.ts";
import { liveCommand } from "./commands/live.ts";

const USAGE = `Usage: deno task trader <command> [options]

  live [options]          read live trades over IPC, cache them, paper trade (see live --help;
                          also deno task live)
  hash-strategy FILE...   print the SHA-256 of strategy files, as sha256sum does
                          (the hash a backtest records for a user strategy)
`;

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "live":
      return await liveCommand(rest);
    case "hash-strategy":
      return await hashStrategyCommand(rest);
    case "-h":
    case "--help":
      writeStdout(USAGE);
      return 0;
    case undefined:
      throw new UsageError("Missing command: live or hash-strategy (see --help)");
    default:
      throw new UsageError(
        `Unknown command ${JSON.stringify(command)} (expected live or hash-strategy)`,
      );
  }
}

await runMain(main);
