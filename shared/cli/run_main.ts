import { ConfigError } from "../config/config_error.ts";
import { writeStderr } from "./output.ts";
import { UsageError } from "./usage_error.ts";

/** Options of {@linkcode runMain}; the defaults are the real process. */
export interface RunMainOptions {
  /** Default: `Deno.args`. */
  args?: string[];
  /** Default: `Deno.exit`. */
  exit?: (code: number) => void;
  /** Receives each diagnostic line (without newline). Default: stderr. */
  writeError?: (line: string) => void;
  /** Print stacks of unexpected errors. Default: env `LOG_LEVEL` is `debug` or `trace`. */
  debug?: boolean;
}

/** Exit code of a command that failed on bad input (config or usage). */
export const EXIT_USAGE = 2;
/** Exit code of a command that failed unexpectedly. */
export const EXIT_FAILURE = 1;

/**
 * Runs a command's `main` (sync or async) and exits with its code (a void result is 0). A thrown
 * `ConfigError` prints its one-line message and exits 2; a `UsageError` prints
 * `error: <message>` and exits 2; anything else prints `error: <message>` (plus the stack when
 * `LOG_LEVEL=debug`) and exits 1.
 */
export async function runMain(
  main: (args: string[]) => number | void | Promise<number | void>,
  options: RunMainOptions = {},
): Promise<void> {
  const exit = options.exit ?? ((code: number) => Deno.exit(code));
  const writeError = options.writeError ?? ((line: string) => writeStderr(`${line}\n`));
  let code: number;
  try {
    const result = await main(options.args ?? Deno.args);
    code = typeof result === "number" ? result : 0;
  } catch (e) {
    if (e instanceof ConfigError || (e instanceof Error && e.name === "ConfigError")) {
      writeError(oneLine(e.message));
      code = EXIT_USAGE;
    } else if (e instanceof UsageError) {
      writeError(`error: ${oneLine(e.message)}`);
      code = EXIT_USAGE;
    } else {
      const message = e instanceof Error ? e.message : String(e);
      writeError(`error: ${oneLine(message)}`);
      const debug = options.debug ?? isDebugLogLevel();
      if (debug && e instanceof Error && e.stack) writeError(e.stack);
      code = EXIT_FAILURE;
    }
  }
  exit(code);
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, " ").trim();
}

function isDebugLogLevel(): boolean {
  try {
    const level = Deno.env.get("LOG_LEVEL")?.toLowerCase();
    return level === "debug" || level === "trace";
  } catch {
    return false; // no --allow-env: no stacks
  }
}
