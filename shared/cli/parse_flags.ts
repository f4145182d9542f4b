import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./usage_error.ts";

/** What {@linkcode parseFlags} accepts: `node:util` parseArgs' config without `args`/`strict`. */
export type FlagSpec = Omit<ParseArgsConfig, "args" | "strict" | "tokens">;

/** The parsed `values` and `positionals`, typed from the spec. */
export type ParsedFlags<S extends FlagSpec> = ReturnType<
  typeof parseArgs<S & { args: string[]; strict: true }>
>;

/**
 * Parses command-line flags strictly with `node:util` parseArgs.
 *
 * @throws {UsageError} with one line, e.g. `Unknown option "--foo"`
 */
export function parseFlags<const S extends FlagSpec>(args: string[], spec: S): ParsedFlags<S> {
  try {
    return parseArgs({ ...spec, args, strict: true as const });
  } catch (e) {
    if (e instanceof Error && /^ERR_PARSE_ARGS_/.test(String((e as { code?: unknown }).code))) {
      throw new UsageError(usageMessage(e.message), { cause: e });
    }
    throw e;
  }
}

/** Node's messages, quoted our way and cut to their first sentence. */
function usageMessage(message: string): string {
  const missing = /^Option '(?:-\w, )?(--?[^' ]+) <value>' argument missing/.exec(message);
  if (missing) return `Option "${missing[1]}" needs a value`;
  const first = message.split("\n")[0]!.split(". ")[0]!;
  return first.replace(/'([^']*)'/g, '"$1"').replace(/\.$/, "");
}

/** A whole number within [min, max] from a flag's text; UsageError (one line) otherwise. */
export function intFlag(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(
      `Option "--${name}" expects an integer from ${min} to ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return n;
}

/** "90s", "5m", "2h", "1.5h", "500ms" or a bare number of seconds, in ms. */
export function durationFlag(name: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (match === null || Number(match[1]) <= 0) {
    throw new UsageError(
      `Option "--${name}" expects a time such as 90s, 5m or 2h, got ${JSON.stringify(text)}`,
    );
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? "s"]!;
  return Number(match[1]) * unit;
}

/** A comma-separated list, trimmed, without empties or repeats; at least one item. */
export function listFlag(name: string, text: string): string[] {
  const items = text.split(",").map((item) => item.trim()).filter((item) => item !== "");
  if (items.length === 0) throw new UsageError(`Option "--${name}" needs at least one value`);
  return [...new Set(items)];
}

/** A number >= 0 (e.g. a rate or a replay speed). */
export function numberFlag(name: string, text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`Option "--${name}" expects a number >= 0, got ${JSON.stringify(text)}`);
  }
  return n;
}
