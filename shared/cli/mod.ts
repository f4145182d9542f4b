/**
 * Helpers every command-line entry point uses: {@linkcode runMain} for exit codes and error
 * lines, {@linkcode parseFlags} for strict flags.
 *
 * @module
 */
export { EXIT_FAILURE, EXIT_USAGE, runMain } from "./run_main.ts";
export type { RunMainOptions } from "./run_main.ts";
export { durationFlag, intFlag, listFlag, numberFlag, parseFlags } from "./parse_flags.ts";
export { waitForStop } from "./wait_for_stop.ts";
export type { FlagSpec, ParsedFlags } from "./parse_flags.ts";
export { UsageError } from "./usage_error.ts";
export { count, formatBytes, Progress, progressLine } from "./progress.ts";
export type { ProgressLineOptions, ProgressOptions } from "./progress.ts";
export { writeStderr, writeStdout } from "./output.ts";
