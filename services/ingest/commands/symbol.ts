/** `deno task ingest symbol list|add|remove|discover`. */
import { parseFlags, UsageError, writeStderr, writeStdout } from "@shared/cli/mod.ts";
import { validateSymbol } from "@shared/domain/mod.ts";
import { InstrumentRegistry } from "@shared/storage/instruments/mod.ts";
import { instrumentDefaults } from "@shared/storage/instruments/registry.ts";
import {
  addSymbol,
  checkProvider,
  exchangeFor,
  listSymbols,
  PROVIDERS,
  removeSymbol,
} from "@shared/storage/symbols_repo.ts";
import {
  checked,
  CONFIG_HELP,
  CONFIG_OPTIONS,
  configFrom,
  expectPositionals,
  toJson,
  withStore,
} from "./_context.ts";
import { formatTable } from "./_table.ts";
import { symbolDiscover } from "./symbol_discover.ts";

/** Help of `symbol`. */
export const SYMBOL_USAGE = `Usage: deno task ingest symbol <command> [options]

Commands:
  list [--provider P] [--json]        the registered symbols
  add SYMBOL[,SYMBOL...] --provider P [--exchange E] [--venue-symbol V] [--asset-type T]
                                      register canonical symbols (BTCUSD) for a provider; the
                                      exchange defaults to the provider's (binance BINANCE,
                                      kraken KRAKEN, kraken_futures KRAKEN_FUTURES)
  remove SYMBOL[,SYMBOL...] --provider P
                                      unregister symbols
  discover --provider binance|kraken|kraken_futures [--quote Q] [--json] [--demo]
                                      the symbols the venue lists (its REST discovery call)

Providers: ${PROVIDERS.join(", ")}. --symbols LIST may replace the positional list.

${CONFIG_HELP}`;

/** Runs `symbol <args>`; returns the exit code. */
export async function symbolCommand(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "list":
      return await symbolList(rest);
    case "add":
      return await symbolAdd(rest);
    case "remove":
      return await symbolRemove(rest);
    case "discover":
      return await symbolDiscover(rest, help);
    case undefined:
      throw new UsageError("Missing command: symbol list|add|remove|discover (see --help)");
    case "-h":
    case "--help":
      return help();
    default:
      throw new UsageError(
        `Unknown command "symbol ${command}" (expected list, add, remove or discover)`,
      );
  }
}

async function symbolList(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    options: { ...CONFIG_OPTIONS, provider: { type: "string" }, json: { type: "boolean" } },
    allowPositionals: true,
  });
  if (values.help) return help();
  expectPositionals(positionals, 0, "symbol list [--provider P] [--json]");
  const provider = values.provider === undefined
    ? undefined
    : checked(() => checkProvider(values.provider!));
  const config = configFrom(values);
  const symbols = await withStore(config, (store) => listSymbols(store, { provider }));
  if (values.json) {
    writeStdout(toJson(symbols));
  } else if (symbols.length === 0) {
    writeStdout(`no symbols registered${provider === undefined ? "" : ` for ${provider}`}\n`);
  } else {
    writeStdout(formatTable(
      [
        { header: "PROVIDER" },
        { header: "SYMBOL" },
        { header: "EXCHANGE" },
        { header: "VENUE SYMBOL" },
        { header: "ASSET TYPE" },
        { header: "INSTRUMENT ID", right: true },
        { header: "ACTIVE" },
        { header: "ADDED (UTC)" },
      ],
      symbols.map((s) => [
        s.provider,
        s.symbol,
        s.exchange,
        s.venueSymbol ?? "-",
        s.assetType,
        s.instrumentId === undefined ? "-" : String(s.instrumentId),
        s.active ? "yes" : "no",
        s.addedAt.toISOString().replace(/\.\d+Z$/, "Z"),
      ]),
    ));
  }
  return 0;
}

/** The symbols of `add`/`remove`: positionals or --symbols, comma-separated, validated. */
function symbolsOf(positionals: string[], flag: string | undefined, usage: string): string[] {
  if (positionals.length > 0 && flag !== undefined) {
    throw new UsageError(`Give the symbols either as arguments or with --symbols, not both`);
  }
  const list = (flag ?? positionals.join(",")).split(",").map((s) => s.trim()).filter((s) =>
    s !== ""
  );
  if (list.length === 0) throw new UsageError(`Missing symbols (usage: ${usage})`);
  for (const symbol of list) checked(() => validateSymbol(symbol));
  return [...new Set(list)];
}

function requireProvider(provider: string | undefined) {
  if (provider === undefined) {
    throw new UsageError(`Option "--provider" is required (one of ${PROVIDERS.join(", ")})`);
  }
  return checked(() => checkProvider(provider));
}

async function symbolAdd(args: string[]): Promise<number> {
  const usage = "symbol add SYMBOL[,SYMBOL...] --provider P [--exchange E]";
  const { values, positionals } = parseFlags(args, {
    options: {
      ...CONFIG_OPTIONS,
      symbols: { type: "string" },
      provider: { type: "string" },
      exchange: { type: "string" },
      "venue-symbol": { type: "string" },
      "asset-type": { type: "string" },
    },
    allowPositionals: true,
  });
  if (values.help) return help();
  const symbols = symbolsOf(positionals, values.symbols, usage);
  const provider = requireProvider(values.provider);
  const exchange = checked(() => exchangeFor(provider, values.exchange));
  const venueSymbol = values["venue-symbol"];
  const assetType = values["asset-type"];
  if (venueSymbol !== undefined && symbols.length > 1) {
    throw new UsageError(`Option "--venue-symbol" applies to one symbol, got ${symbols.length}`);
  }
  checked(() => instrumentDefaults({ venueSymbol, assetType }));
  const config = configFrom(values);
  await withStore(config, async (store) => {
    const registry = new InstrumentRegistry(store);
    for (const symbol of symbols) {
      const added = await addSymbol(
        store,
        { provider, symbol, exchange, venueSymbol, assetType },
        { registry },
      );
      const id = added.instrumentId === undefined
        ? "instrument id pending (Databento definition not loaded yet)"
        : `instrument id ${added.instrumentId}`;
      writeStdout(
        `${added.created ? "added" : "updated"} ${symbol} for ${provider} on ${exchange}, ${id}\n`,
      );
    }
  });
  return 0;
}

async function symbolRemove(args: string[]): Promise<number> {
  const usage = "symbol remove SYMBOL[,SYMBOL...] --provider P";
  const { values, positionals } = parseFlags(args, {
    options: { ...CONFIG_OPTIONS, symbols: { type: "string" }, provider: { type: "string" } },
    allowPositionals: true,
  });
  if (values.help) return help();
  const symbols = symbolsOf(positionals, values.symbols, usage);
  const provider = requireProvider(values.provider);
  const config = configFrom(values);
  const missing = await withStore(config, async (store) => {
    const missing: string[] = [];
    for (const symbol of symbols) {
      if (await removeSymbol(store, provider, symbol)) {
        writeStdout(`removed ${symbol} for ${provider}\n`);
      } else {
        missing.push(symbol);
      }
    }
    return missing;
  });
  if (missing.length === 0) return 0;
  writeStderr(`error: not registered for ${provider}: ${missing.join(", ")}\n`);
  return 1;
}

function help(): number {
  writeStdout(SYMBOL_USAGE);
  return 0;
}
