/** The non-interactive command line: flags -> a BacktestRequest (one-line UsageErrors). */
import { intFlag, parseFlags, UsageError } from "@shared/cli/mod.ts";
import { CONFIG_HELP, CONFIG_OPTIONS } from "@shared/cli/config_flags.ts";
import type { BarType } from "@shared/engine/mod.ts";
import { checkRange, parseDate, parseParams, parseTimeframe } from "./_parse.ts";

/** What to backtest and where the results go; the interactive prompt builds the same. */
export interface BacktestRequest {
  /** A built-in id ("sma") or a strategy file path. */
  strategy: string;
  symbol: string;
  exchange?: string;
  /** "db", "synthetic", or a .dbn / .dbn.zst / .csv file. */
  data: string;
  /** Inclusive, ns. */
  from?: bigint;
  /** Exclusive, ns. */
  to?: bigint;
  params: Record<string, string>;
  barType?: BarType;
  accountId?: string;
  jsonOut?: string;
  reportOut?: string;
  /** Synthetic data only. */
  seed?: number;
  ticks?: number;
  /** DBN files only. */
  sizeScale?: number;
  quiet: boolean;
}

/** The config flags' values (`-c`, `--mode`, `--dir`). */
export interface ConfigFlags {
  config?: string;
  mode?: string;
  dir?: string;
}

/** Default symbol when --symbol is omitted. */
export const DEFAULT_SYMBOL = "BTCUSD";
/** Default data source. */
export const DEFAULT_DATA = "db";

const OPTIONS = {
  ...CONFIG_OPTIONS,
  strategy: { type: "string", short: "s" },
  symbol: { type: "string" },
  exchange: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  data: { type: "string", short: "d" },
  params: { type: "string", short: "p", multiple: true },
  timeframe: { type: "string", short: "t" },
  account: { type: "string" },
  json: { type: "string" },
  report: { type: "string" },
  seed: { type: "string" },
  ticks: { type: "string" },
  "size-scale": { type: "string" },
  quiet: { type: "boolean", short: "q" },
} as const;

/** The help text. */
export const USAGE = `Usage: deno task backtest [options]        (no options at all: interactive)

  -s, --strategy ID|FILE   a built-in (sma, rsi, momentum, breakout, mean_reversion) or a
                           strategy file (.ts) whose default export is a Strategy
      --symbol SYMBOL      default ${DEFAULT_SYMBOL}
      --exchange X         db data: one exchange's ticks (default: every exchange)
  -d, --data SOURCE        db (default), synthetic, or a FILE.dbn, FILE.dbn.zst or FILE.csv
      --from DATE          inclusive; YYYY-MM-DD (00:00 UTC), RFC 3339 or ns since the epoch
      --to DATE            exclusive; default: all the data (synthetic: from + ticks seconds)
  -p, --params k=v,...     strategy parameters (repeatable)
  -t, --timeframe TF       bar type: 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w or <N>t (N-tick bars)
      --account ID         trade on this account instead of the strategy's mapping
      --json OUT.json      write the report as JSON (deterministic)
      --report OUT.html    write a self-contained HTML report (chart, trades, equity)
      --seed N             synthetic data: the seed (default 42)
      --ticks N            synthetic data: trades, one per second (default 100000)
      --size-scale N       DBN files: decimals of the sizes (default 0, whole units)
  -q, --quiet              print nothing but errors (no table, progress or timing)

${CONFIG_HELP}
Exit codes: 0 ok, 1 the strategy threw (partial results are still written) or a failure,
2 bad input (flags, dates, strategy, parameters, account, missing file, no ticks).
`;

/** Parses the flags; undefined request means --help was asked. */
export function parseBacktestArgs(
  args: string[],
): { request?: BacktestRequest; config: ConfigFlags } {
  const { values, positionals } = parseFlags(args, { options: OPTIONS, allowPositionals: true });
  const config = { config: values.config, mode: values.mode, dir: values.dir };
  if (values.help) return { config };
  if (positionals.length > 0) {
    throw new UsageError(`Unexpected argument "${positionals[0]}" (see --help)`);
  }
  if (values.strategy === undefined || values.strategy === "") {
    throw new UsageError(`Missing option "--strategy" (a built-in id or a strategy file)`);
  }
  const data = values.data ?? DEFAULT_DATA;
  const from = values.from === undefined ? undefined : parseDate(values.from, 'Option "--from"');
  const to = values.to === undefined ? undefined : parseDate(values.to, 'Option "--to"');
  checkRange(from, to);
  const synthetic = data === "synthetic";
  for (const name of ["seed", "ticks"] as const) {
    if (values[name] !== undefined && !synthetic) {
      throw new UsageError(`Option "--${name}" applies to --data synthetic only`);
    }
  }
  const isDbn = /\.dbn(\.zst)?$/.test(data);
  if (values["size-scale"] !== undefined && !isDbn) {
    throw new UsageError(`Option "--size-scale" applies to .dbn and .dbn.zst files only`);
  }
  if (values.exchange !== undefined && data !== "db") {
    throw new UsageError(`Option "--exchange" applies to --data db only`);
  }
  const request: BacktestRequest = {
    strategy: values.strategy,
    symbol: values.symbol ?? DEFAULT_SYMBOL,
    exchange: values.exchange,
    data,
    from,
    to,
    params: parseParams(values.params ?? []),
    barType: values.timeframe === undefined ? undefined : parseTimeframe(values.timeframe),
    accountId: values.account,
    jsonOut: values.json,
    reportOut: values.report,
    seed: values.seed === undefined ? undefined : intFlag("seed", values.seed, 0, 2 ** 32 - 1),
    ticks: values.ticks === undefined
      ? undefined
      : intFlag("ticks", values.ticks, 1, 1_000_000_000),
    sizeScale: values["size-scale"] === undefined
      ? undefined
      : intFlag("size-scale", values["size-scale"], 0, 9),
    quiet: values.quiet ?? false,
  };
  return { request, config };
}
