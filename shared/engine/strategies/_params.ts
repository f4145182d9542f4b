// Parameter specs and parsing shared by the built-in strategies: every value arrives as text
// (CLI, prompt, config) and is checked once, in initialize(), with one-line errors.
import { StrategyParamError } from "../errors.ts";
import { type BarType, type ParamSpec, type Timeframe, TIMEFRAMES } from "../types.ts";

/** A ParamSpec with what the built-ins need beyond it (still a ParamSpec for callers). */
export interface BuiltinParamSpec extends ParamSpec {
  /** Accepted values of a "string" parameter. */
  readonly choices?: readonly string[];
  /** A decimal that must be > 0 (min is inclusive). */
  readonly positive?: boolean;
}

/** `quantity`: what a BUY buys, in base units. */
export const QUANTITY_PARAM: BuiltinParamSpec = Object.freeze({
  name: "quantity",
  description: "Quantity each BUY buys, in base units (decimal > 0)",
  default: "1",
  kind: "decimal",
  positive: true,
});

/** `timeframe`: the bars the strategy asks for. */
export const TIMEFRAME_PARAM: BuiltinParamSpec = Object.freeze({
  name: "timeframe",
  description: `Bar length: ${TIMEFRAMES.join(", ")}, or <N>t for N-tick bars`,
  default: "1m",
  kind: "timeframe",
});

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const TICK_BARS = /^(\d+)t$/;
const MAX_TICKS = 1_000_000_000;

/** Parsed values by parameter name. */
export class ParamValues {
  readonly #values: ReadonlyMap<string, string | number | BarType>;

  constructor(values: ReadonlyMap<string, string | number | BarType>) {
    this.#values = values;
  }

  /** An int or decimal parameter as a number. */
  number(name: string): number {
    const value = this.#values.get(name);
    if (typeof value !== "number") throw new TypeError(`Parameter "${name}" is not a number`);
    return value;
  }

  /** A string or decimal parameter as its (exact) text. */
  text(name: string): string {
    const value = this.#values.get(name);
    if (typeof value === "string") return value;
    throw new TypeError(`Parameter "${name}" is not text`);
  }

  /** The timeframe parameter as a bar type. */
  barType(name = "timeframe"): BarType {
    const value = this.#values.get(name);
    if (typeof value === "object") return value;
    throw new TypeError(`Parameter "${name}" is not a bar type`);
  }
}

/** The one-line error for a bad value of `spec`. */
export function badValue(strategyId: string, name: string, value: string, expected: string) {
  return new StrategyParamError(
    "bad_value",
    `Bad value "${value}" for parameter "${name}" of strategy ${strategyId}: expected ${expected}`,
  );
}

function range(spec: BuiltinParamSpec): string {
  if (spec.positive) return " > 0";
  if (spec.min !== undefined && spec.max !== undefined) return ` in [${spec.min}, ${spec.max}]`;
  if (spec.min !== undefined) return ` >= ${spec.min}`;
  if (spec.max !== undefined) return ` <= ${spec.max}`;
  return "";
}

function inRange(spec: BuiltinParamSpec, x: number): boolean {
  if (spec.positive && !(x > 0)) return false;
  return (spec.min === undefined || x >= spec.min) && (spec.max === undefined || x <= spec.max);
}

function parseBarType(text: string): BarType | undefined {
  if ((TIMEFRAMES as readonly string[]).includes(text)) {
    return Object.freeze({ kind: "time", timeframe: text as Timeframe });
  }
  const ticks = TICK_BARS.exec(text);
  const n = ticks === null ? NaN : Number(ticks[1]);
  if (Number.isSafeInteger(n) && n >= 1 && n <= MAX_TICKS) {
    return Object.freeze({ kind: "tick", ticks: n });
  }
  return undefined;
}

function parseOne(
  strategyId: string,
  spec: BuiltinParamSpec,
  raw: string,
): string | number | BarType {
  const text = raw.trim();
  const fail = (expected: string) => badValue(strategyId, spec.name, raw, expected);
  switch (spec.kind) {
    case "int": {
      const x = INTEGER.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(x) || !inRange(spec, x)) throw fail(`an integer${range(spec)}`);
      return x;
    }
    case "decimal": {
      const x = DECIMAL.test(text) ? Number(text) : NaN;
      if (!Number.isFinite(x) || !inRange(spec, x)) throw fail(`a decimal number${range(spec)}`);
      return spec.name === "quantity" ? text.replace(/^\+/, "") : x;
    }
    case "timeframe": {
      const barType = parseBarType(text);
      if (barType === undefined) throw fail(`one of ${TIMEFRAMES.join(", ")} or <N>t (tick bars)`);
      return barType;
    }
    case "string": {
      if (spec.choices !== undefined && !spec.choices.includes(text)) {
        throw fail(`one of ${spec.choices.join(", ")}`);
      }
      return text;
    }
  }
}

/**
 * Parses `given` against `specs` (defaults fill what is missing). Unknown name ->
 * StrategyParamError("unknown_param"); bad value -> StrategyParamError("bad_value").
 */
export function parseParams(
  strategyId: string,
  specs: readonly BuiltinParamSpec[],
  given: Readonly<Record<string, string>>,
): ParamValues {
  for (const name of Object.keys(given)) {
    if (!specs.some((spec) => spec.name === name)) {
      throw new StrategyParamError(
        "unknown_param",
        `Unknown parameter "${name}" for strategy ${strategyId}: expected one of ${
          specs.map((spec) => spec.name).join(", ")
        }`,
      );
    }
  }
  const values = new Map<string, string | number | BarType>();
  for (const spec of specs) {
    const raw = Object.hasOwn(given, spec.name) ? given[spec.name]! : spec.default;
    values.set(spec.name, parseOne(strategyId, spec, String(raw)));
  }
  return new ParamValues(values);
}
