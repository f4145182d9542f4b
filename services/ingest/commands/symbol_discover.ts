/**
 * `deno task ingest symbol discover --provider binance|kraken|kraken_futures`: the venue's listed
 * symbols through its REST discovery call, in canonical form with the venue's names.
 */
import { parseFlags, UsageError, writeStdout } from "@shared/cli/mod.ts";
import { VenueError } from "@shared/venue/mod.ts";
import { createLiveProvider } from "../providers/factory.ts";
import { CONFIG_OPTIONS, configFrom, expectPositionals, toJson } from "./_context.ts";
import { formatTable } from "./_table.ts";

const VENUES = ["binance", "kraken", "kraken_futures"] as const;

/** Runs `symbol discover <args>`; returns the exit code. */
export async function symbolDiscover(args: string[], help: () => number): Promise<number> {
  const usage = "symbol discover --provider binance|kraken|kraken_futures [--quote Q] [--json]";
  const { values, positionals } = parseFlags(args, {
    options: {
      ...CONFIG_OPTIONS,
      provider: { type: "string" },
      quote: { type: "string" },
      json: { type: "boolean" },
      demo: { type: "boolean" },
    },
    allowPositionals: true,
  });
  if (values.help) return help();
  expectPositionals(positionals, 0, usage);
  const name = values.provider;
  if (name === undefined || !(VENUES as readonly string[]).includes(name)) {
    throw new UsageError(
      `Option "--provider" must be one of ${VENUES.join(", ")}${
        name === undefined ? "" : `, got ${JSON.stringify(name)}`
      } (usage: ${usage})`,
    );
  }
  const config = configFrom(values);
  let provider;
  try {
    provider = createLiveProvider(name as typeof VENUES[number], config, {
      demo: values.demo ?? false,
      sink: { onEvent: () => {}, onDrop: () => {} },
    });
  } catch (error) {
    if (error instanceof VenueError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  const quote = values.quote?.toUpperCase();
  const symbols = (await provider.discoverSymbols())
    .filter((symbol) => quote === undefined || symbol.quote === quote)
    .sort((a, b) => a.symbol.localeCompare(b.symbol));
  if (values.json) {
    writeStdout(toJson(symbols));
    return 0;
  }
  writeStdout(formatTable(
    [
      { header: "SYMBOL" },
      { header: "VENUE SYMBOL" },
      { header: "BASE" },
      { header: "QUOTE" },
      { header: "STATUS" },
      { header: "TICK SIZE", right: true },
      { header: "LOT STEP", right: true },
      { header: "SIZE SCALE", right: true },
    ],
    symbols.map((s) => [
      s.symbol,
      s.venueSymbol,
      s.base,
      s.quote,
      s.status,
      s.tickSize ?? "-",
      s.lotStep ?? "-",
      s.sizeScale === undefined ? "-" : String(s.sizeScale),
    ]),
  ));
  writeStdout(`${symbols.length} symbols listed by ${name}\n`);
  return 0;
}
