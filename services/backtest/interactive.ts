/**
 * The interactive backtest (`deno task backtest` with no arguments): questions on stdout, answers
 * read line by line from stdin (a terminal or a pipe), an empty answer takes the default shown in
 * brackets; a bad answer is explained and asked again. End of input cancels.
 * @module
 */
import { intFlag, UsageError } from "@shared/cli/mod.ts";
import { DataError, validateSymbol } from "@shared/domain/mod.ts";
import { StrategyParamError } from "@shared/engine/mod.ts";
import { describeStrategies } from "@shared/engine/strategies/mod.ts";
import { SYNTHETIC_DEFAULT_FROM } from "@shared/engine/sources/mod.ts";
import { type BacktestRequest, DEFAULT_DATA, DEFAULT_SYMBOL } from "./cli.ts";
import { checkRange, formatNs, parseDate } from "./_parse.ts";
import { DEFAULT_SEED, DEFAULT_SYNTHETIC_TICKS, resolveStrategy } from "./_resolve.ts";

/** The end of the input before the last answer. */
export class CancelledError extends Error {
  override readonly name = "CancelledError";
  constructor() {
    super("Cancelled");
  }
}

/** Where questions go and answers come from. */
export interface Prompter {
  /** Writes `text` as is (the question ends without a newline). */
  write(text: string): void;
  /** The next answer line, or null at the end of the input. */
  readLine(): Promise<string | null>;
}

/** Asks every question and returns the request; throws CancelledError at the end of input. */
export async function interactiveRequest(io: Prompter): Promise<BacktestRequest> {
  const ask = async <T>(
    question: string,
    fallback: string,
    parse: (answer: string) => T | Promise<T>,
  ): Promise<T> => {
    for (;;) {
      io.write(`${question} [${fallback}]: `);
      const line = await io.readLine();
      if (line === null) {
        io.write("\n");
        throw new CancelledError();
      }
      try {
        return await parse(line.trim() === "" ? fallback : line.trim());
      } catch (e) {
        if (!isInputError(e)) throw e;
        io.write(`  ${e.message}\n`);
      }
    }
  };

  io.write("Backtest (empty answers take the default in brackets)\n");
  const data = await ask(
    "Data: db, synthetic, or a .dbn, .dbn.zst or .csv file",
    DEFAULT_DATA,
    checkData,
  );
  const symbol = await ask("Symbol", DEFAULT_SYMBOL, validateSymbol);
  const synthetic = data === "synthetic";
  let seed: number | undefined;
  let ticks: number | undefined;
  if (synthetic) {
    seed = await ask("Seed", String(DEFAULT_SEED), (a) => intFlag("seed", a, 0, 2 ** 32 - 1));
    ticks = await ask(
      "Ticks (one per second)",
      String(DEFAULT_SYNTHETIC_TICKS),
      (a) => intFlag("ticks", a, 1, 1_000_000_000),
    );
  }
  const dateHelp = "YYYY-MM-DD, RFC 3339 or ns";
  const from = await ask(
    `From (${dateHelp})`,
    synthetic ? formatNs(SYNTHETIC_DEFAULT_FROM) : "all",
    (a) => a === "all" ? undefined : parseDate(a, "From"),
  );
  const to = await ask(`To, exclusive (${dateHelp})`, "all", (a) => {
    const value = a === "all" ? undefined : parseDate(a, "To");
    checkRange(from, value);
    return value;
  });

  const builtins = describeStrategies();
  io.write("Strategies:\n");
  builtins.forEach((s, i) => io.write(`  ${i + 1}. ${s.id.padEnd(15)} ${s.description}\n`));
  const chosen = await ask("Strategy (number, id or file path)", "1", async (a) => {
    const n = Number(a);
    const spec = /^\d+$/.test(a) && n >= 1 && n <= builtins.length ? builtins[n - 1]!.id : a;
    return { spec, ...(await resolveStrategy(spec)) };
  });

  const strategy = chosen.strategy;
  let params: Record<string, string> = {};
  for (;;) {
    if (strategy.params.length > 0) io.write(`Parameters of ${strategy.id}:\n`);
    params = {};
    for (const spec of strategy.params) {
      const answer = await ask(`  ${spec.name}: ${spec.description}`, spec.default, (a) => a);
      if (answer !== spec.default) params[spec.name] = answer;
    }
    try {
      strategy.initialize(params);
      break;
    } catch (e) {
      if (!(e instanceof StrategyParamError)) break; // the run reports the strategy's own error
      io.write(`  ${e.message}\n`);
    }
  }
  return { strategy: chosen.spec, symbol, data, from, to, params, seed, ticks, quiet: false };
}

/** db, synthetic, or an existing file with a known extension. */
async function checkData(answer: string): Promise<string> {
  if (answer === "db" || answer === "synthetic") return answer;
  if (!/\.(dbn|dbn\.zst|csv)$/i.test(answer)) {
    throw new UsageError(`Expected db, synthetic, or a .dbn, .dbn.zst or .csv file`);
  }
  try {
    await Deno.stat(answer);
  } catch {
    throw new UsageError(`Data file "${answer}" not found`);
  }
  return answer;
}

function isInputError(e: unknown): e is Error {
  return e instanceof UsageError || e instanceof RangeError || e instanceof DataError ||
    e instanceof StrategyParamError;
}
