/**
 * `deno task live`: consume live trades from the ingest service's shared-memory channels, keep
 * the tick cache, and paper trade (seed 000, "CLI Commands"). Runs until SIGINT/SIGTERM or
 * `--duration`, then prints a summary.
 * @module
 */
import {
  durationFlag,
  intFlag,
  listFlag,
  parseFlags,
  UsageError,
  waitForStop,
  writeStdout,
} from "@shared/cli/mod.ts";
import { CONFIG_HELP, CONFIG_OPTIONS, configFrom } from "@shared/cli/config_flags.ts";
import { validateExchange, validateSymbol } from "@shared/domain/mod.ts";
import { IpcError } from "@shared/ipc/mod.ts";
import { createLogger } from "@shared/obs/mod.ts";
import type { SymbolRequest } from "../ipc/mod.ts";
import { PaperConfigError } from "../paper/paper_trader.ts";
import { specSymbols, strategySpecs } from "../paper/specs.ts";
import { startTraderService } from "../service.ts";
import { formatSummary } from "./live_summary.ts";

/** Help of `live`. */
export const LIVE_USAGE = `Usage: deno task live [options]

Reads live trades from the ingest service's shared-memory channels (start one with
deno task serve --ipc), keeps the tick cache (L1 memory, L2 Redis when [cache.redis] url or
REDIS_URL is set) and paper trades the configured strategies.

  --paper-trading        paper trade ([paper_trading] enabled = true does the same)
  --symbols A,B          symbols to consume; SYMBOL@EXCHANGE picks one exchange
                         (default: the strategies' symbols, else the config's symbols)
  --strategy S,T         strategies to paper trade: built-in ids or strategy files
                         (default: [[paper_trading.strategies]], else [paper_trading] strategy)
  --duration D           stop after D (e.g. 90s, 5m, 2h; a bare number is seconds)
  --port N               HTTP port for /health and /metrics (default [http] trader_port)
  --quiet                no live lines (the summary still prints)

${CONFIG_HELP}`;

const LIVE_OPTIONS = {
  ...CONFIG_OPTIONS,
  "paper-trading": { type: "boolean" },
  symbols: { type: "string" },
  strategy: { type: "string" },
  duration: { type: "string" },
  port: { type: "string" },
  quiet: { type: "boolean" },
} as const;

/** Runs `live <args>`; returns the exit code. */
export async function liveCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { options: LIVE_OPTIONS });
  if (values.help) {
    writeStdout(LIVE_USAGE);
    return 0;
  }
  const config = configFrom(values);
  const requested = values.symbols === undefined
    ? undefined
    : listFlag("symbols", values.symbols).map(symbolRequest);
  const twice = requested?.find((r, i) => requested.findIndex((o) => o.symbol === r.symbol) !== i);
  if (twice !== undefined) {
    // The cache, the strategies' clocks and the metrics are keyed by symbol.
    throw new UsageError(
      `Option "--symbols": ${twice.symbol} is asked for twice; one trader consumes a symbol from ` +
        "one exchange (run one trader per exchange)",
    );
  }
  const trading = values["paper-trading"] === true || values.strategy !== undefined ||
    config.paper_trading.enabled;
  let specs;
  try {
    specs = trading
      ? strategySpecs(config, {
        strategies: values.strategy === undefined
          ? undefined
          : listFlag("strategy", values.strategy),
        symbols: requested?.map((r) => r.symbol),
      })
      : [];
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const symbols = requested ??
    (trading ? specSymbols(specs) : [...config.symbols]).map((symbol) => ({ symbol }));
  const durationMs = values.duration === undefined
    ? undefined
    : durationFlag("duration", values.duration);
  const logger = createLogger({
    level: config.log.level,
    format: config.log.format,
    service: "trader",
  });
  const quiet = values.quiet === true;

  let service;
  try {
    service = await startTraderService({
      config,
      symbols,
      strategies: specs,
      port: values.port === undefined ? undefined : intFlag("port", values.port, 0, 65535),
      out: quiet ? undefined : (line) => writeStdout(`${line}\n`),
      logger,
    });
  } catch (error) {
    if (error instanceof PaperConfigError) throw new UsageError(error.message, { cause: error });
    if (error instanceof IpcError && error.code === "not_found") {
      throw new Error(error.message, { cause: error });
    }
    throw error;
  }
  const reason = await waitForStop({ durationMs });
  logger.info("Stopping", { reason });
  await service.stop();
  writeStdout(formatSummary(reason, service.summary(), service.http.url));
  return 0;
}

/** "BTCUSD" or "BTCUSD@KRAKEN". */
function symbolRequest(text: string): SymbolRequest {
  const [symbol, exchange, ...rest] = text.split("@");
  try {
    if (rest.length > 0) throw new RangeError(`Invalid symbol ${JSON.stringify(text)}`);
    validateSymbol(symbol!);
    if (exchange !== undefined) validateExchange(exchange);
  } catch (error) {
    throw new UsageError(`Option "--symbols": ${(error as Error).message}`, { cause: error });
  }
  return exchange === undefined ? { symbol: symbol! } : { symbol: symbol!, exchange };
}
