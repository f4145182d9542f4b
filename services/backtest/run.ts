/**
 * Runs one BacktestRequest: strategy and source resolved, the engine run with a progress bar,
 * then the JSON and HTML files, the table on stdout, timing on stderr. Returns the exit code.
 * @module
 */
import { count, Progress, UsageError, writeStderr, writeStdout } from "@shared/cli/mod.ts";
import type { AppConfig } from "@shared/config/mod.ts";
import { DataError } from "@shared/domain/mod.ts";
import { runBacktest } from "@shared/engine/backtest.ts";
import { type BacktestReport, StrategyParamError } from "@shared/engine/mod.ts";
import type { BacktestRequest } from "./cli.ts";
import { writeHtmlReport } from "./report/mod.ts";
import { formatTable, rangeText } from "./table.ts";
import { type OpenedSource, openSource, resolveStrategy } from "./_resolve.ts";

/** Exit code of a run whose strategy threw (its partial results are still written). */
export const EXIT_PARTIAL = 1;

/** Runs the request; bad input throws a UsageError (exit 2). */
export async function runRequest(request: BacktestRequest, config: AppConfig): Promise<number> {
  const { strategy, file } = await resolveStrategy(request.strategy);
  checkAccount(request.accountId, config);
  // Parameters are checked before any data is opened; the runner initializes again.
  asUsage(() => strategy.initialize(request.params));
  const opened = await openSource(request, config);
  try {
    if (opened.empty) return noTicks(request, opened);
    const progress = new Progress({
      total: opened.source.totalTicks,
      write: writeStderr,
      enabled: !request.quiet && Deno.stderr.isTerminal(),
    });
    const stop = new AbortController();
    const onInterrupt = () => stop.abort();
    Deno.addSignalListener("SIGINT", onInterrupt);
    let report: BacktestReport;
    try {
      report = await runBacktest({
        strategy,
        params: request.params,
        source: opened.source,
        accounts: config.accounts,
        fees: config.fees,
        accountId: request.accountId,
        barType: request.barType,
        from: opened.from,
        to: opened.to,
        strategyFile: file,
        onProgress: (ticks) => progress.update(ticks),
        signal: stop.signal,
      });
    } catch (e) {
      throw usageOf(e);
    } finally {
      progress.finish();
      Deno.removeSignalListener("SIGINT", onInterrupt);
    }
    const seconds = progress.finish();
    if (report.data.ticks === 0 && !report.partial) return noTicks(request, opened);
    await writeOutputs(request, report);
    if (!request.quiet) writeStdout(formatTable(report));
    if (report.partial) writeStderr(`error: ${report.error ?? "the run stopped early"}\n`);
    if (!request.quiet) writeStderr(timing(report.data.ticks, seconds));
    return report.partial ? EXIT_PARTIAL : 0;
  } finally {
    await opened.close();
  }
}

/** `--json` (JSON.stringify(report, null, 2) + "\n") and `--report` (the HTML page). */
async function writeOutputs(request: BacktestRequest, report: BacktestReport): Promise<void> {
  if (request.jsonOut !== undefined) {
    await Deno.writeTextFile(request.jsonOut, `${JSON.stringify(report, null, 2)}\n`);
  }
  if (request.reportOut !== undefined) await writeHtmlReport(request.reportOut, report);
}

function noTicks(request: BacktestRequest, opened: OpenedSource): number {
  const range = rangeText(opened.from?.toString(), opened.to?.toString());
  const hint = request.data === "db" ? " (a demo run needs no data: --data synthetic)" : "";
  writeStderr(
    `No ticks for ${request.symbol} in ${range} from ${opened.source.description}${hint}\n`,
  );
  return 2;
}

function checkAccount(accountId: string | undefined, config: AppConfig): void {
  if (accountId === undefined) return;
  const ids = [config.accounts.default.id, ...config.accounts.simulation.map((a) => a.id)];
  if (!ids.includes(accountId)) {
    throw new UsageError(`Unknown account "${accountId}": expected one of ${ids.join(", ")}`);
  }
}

function asUsage(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof StrategyParamError) throw usageOf(e);
    // Anything else is the strategy's own failure: the runner meets it again and reports it.
  }
}

/** Bad parameters and bad data are the user's input: one line, exit 2. */
function usageOf(e: unknown): unknown {
  if (e instanceof StrategyParamError || e instanceof DataError) {
    return new UsageError(e.message, { cause: e });
  }
  return e;
}

function timing(ticks: number, seconds: number): string {
  const rate = seconds > 0 ? Math.round(ticks / seconds) : 0;
  return `${count(ticks)} ticks in ${seconds.toFixed(2)} s (${count(rate)} ticks/s)\n`;
}
