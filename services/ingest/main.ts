/**
 * `deno task ingest`: the data manager's command line (seed 001, "Data Manager CLI").
 *
 *   deno task ingest db migrate|stats|compress|schema [options]
 *   deno task ingest symbol list|add|remove [options]
 *
 * The database is Postgres when DATABASE_URL (or `[database] url`) is set, else the embedded
 * PGlite under `[database] data_dir`. Exit codes: 0 ok, 2 bad flags, input or config, 1 failure
 * (a database that is down: one line naming its URL, password masked).
 * @module
 */
import { runMain, UsageError, writeStdout } from "@shared/cli/mod.ts";
import { dbCommand } from "./commands/db.ts";
import { symbolCommand } from "./commands/symbol.ts";

const USAGE = `Usage: deno task ingest <db|symbol> <command> [options]

  db migrate                          apply pending migrations
  db stats [--json] [--symbol S]      ticks per symbol, time ranges, sizes
  db compress [--older-than DAYS] [--dry-run]
                                      archive old day partitions into .dbn.zst files
  db schema                           print the whole schema (config/schema.sql)
  symbol list [--provider P] [--json]
  symbol add SYMBOL[,SYMBOL...] --provider P [--exchange E] [--venue-symbol V] [--asset-type T]
  symbol remove SYMBOL[,SYMBOL...] --provider P

Every command takes -c/--config FILE, --mode MODE, --dir DIR and -h/--help.
Postgres when DATABASE_URL is set, else the embedded database under [database] data_dir.
`;

async function main(args: string[]): Promise<number> {
  const [group, ...rest] = args;
  switch (group) {
    case "db":
      return await dbCommand(rest);
    case "symbol":
      return await symbolCommand(rest);
    case "-h":
    case "--help":
      writeStdout(USAGE);
      return 0;
    case undefined:
      throw new UsageError("Missing command: db or symbol (see --help)");
    default:
      throw new UsageError(`Unknown command ${JSON.stringify(group)} (expected db or symbol)`);
  }
}

await runMain(main);
