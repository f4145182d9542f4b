/**
 * Errors of the engine: a bad strategy parameter (a user mistake: one line, exit 2) and a
 * strategy that threw while running (stopped, reported with its file and line).
 * @module
 */

/** Codes of {@linkcode StrategyParamError}. */
export type StrategyParamErrorCode =
  | "unknown_strategy"
  | "unknown_param"
  | "bad_value";

/** A strategy name or parameter the user gave is wrong; the message is one line. */
export class StrategyParamError extends Error {
  override readonly name = "StrategyParamError";
  readonly code: StrategyParamErrorCode;

  constructor(code: StrategyParamErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** A strategy threw inside `onBarData` (or `initialize`/`reset`); `where` is "file:line:col". */
export class StrategyRuntimeError extends Error {
  override readonly name = "StrategyRuntimeError";
  readonly strategyId: string;
  readonly where: string | undefined;

  constructor(strategyId: string, where: string | undefined, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`Strategy ${strategyId} threw${where === undefined ? "" : ` at ${where}`}: ${detail}`, {
      cause,
    });
    this.strategyId = strategyId;
    this.where = where;
  }
}
