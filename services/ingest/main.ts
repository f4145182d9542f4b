/**
 * `deno task ingest`: the data manager's command line (seed 001, "Data Manager CLI").
 *
 *   deno task serve [options]                 (= deno task ingest serve)
 *   deno task ingest db migrate|stats|compress|schema [options]
 *   deno task ingest symbol list|add|remove|discover [options]
 *   deno task ingest fetch --symbols ... --exchange ... --start ... --end ... [options]
 *   deno task ingest backfill estimate|fetch|fill-gaps|status|cost-report [options]
 *
 * The database is Postgres when DATABASE_URL (or `[database] url`) is set, else the embedded
 * PGlite under `[database] data_dir`. Exit codes: 0 ok, 2 bad flags, input or config, 1 failure
 * (a database that is down: one line naming its URL, password masked).
 * @module
 */
import { runMain, UsageError, writeStdout } from "@shared/cli/mod.ts";
import { backfillCommand } from "./commands/backfill.ts";
import { dbCommand } from "./commands/db.ts";
import { fetchCommand } from "./commands/fetch.ts";
import { serveCommand } from "./commands/serve.ts";
import { symbolCommand } from "./commands/symbol.ts";

const USAGE = `Usage: deno task ingest <serve|fetch|backfill|db|symbol> [command] [options]

  serve [--live] [--provider P] [--symbols A,B] [--feeds F] [--ipc] [--ipc-symbols A]
        [--persist] [--instance-id ID] [--demo] [--duration D]
                                      stream a provider into IPC and the database
                                      (also: deno task serve; see serve --help)
  fetch --symbols A[,B] --exchange EX --start S --end E [--schema S] [-o FILE.dbn.zst]
        [--asset-type T] [--provider P] [--dataset D] [--dry-run] [--verbose]
                                      historical data (Databento) into the database and/or a
                                      DBN file; an interrupted fetch resumes (see fetch --help)
  backfill estimate|fetch|fill-gaps|status|cost-report [options]
                                      costed historical jobs, spend limits, gap detection and
                                      filling (see backfill --help)
  db migrate                          apply pending migrations
  db stats [--json] [--symbol S]      ticks per symbol, time ranges, sizes
  db compress [--older-than DAYS] [--dry-run]
                                      archive old day partitions into .dbn.zst files
  db schema                           print the whole schema (config/schema.sql)
  symbol list [--provider P] [--json]
  symbol add SYMBOL[,SYMBOL...] --provider P [--exchange E] [--venue-symbol V] [--asset-type T]
  symbol remove SYMBOL[,SYMBOL...] --provider P
  symbol discover --provider binance|kraken|kraken_futures [--json] [--quote Q]

Every command takes -c/--config FILE, --mode MODE, --dir DIR and -h/--help.
Postgres when DATABASE_URL is set, else the embedded database under [database] data_dir.
`;

async function main(args: string[]): Promise<number> {
  const [group, ...rest] = args;
  switch (group) {
    case "serve":
      return await serveCommand(rest);
    case "db":
      return await dbCommand(rest);
    case "symbol":
      return await symbolCommand(rest);
    case "fetch":
      return await fetchCommand(rest);
    case "backfill":
      return await backfillCommand(rest);
    case "-h":
    case "--help":
      writeStdout(USAGE);
      return 0;
    case undefined:
      throw new UsageError("Missing command: serve, fetch, backfill, db or symbol (see --help)");
    default:
      throw new UsageError(
        `Unknown command ${JSON.stringify(group)} (expected serve, fetch, backfill, db or symbol)`,
      );
  }
}

await runMain(main);
