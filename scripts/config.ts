/**
 * Prints the resolved configuration (redacted), or checks it.
 *
 *   deno task config [--mode development|production|test] [--dir DIR] [--check]
 *
 * Exit codes: 0 ok, 2 bad configuration or bad flags, 1 unexpected failure.
 *
 * @module
 */
import { loadConfig, redactConfig, RUN_MODES } from "@shared/config/mod.ts";
import { parseFlags, runMain, UsageError, writeStderr, writeStdout } from "@shared/cli/mod.ts";

const USAGE = `Usage: deno task config [--mode ${RUN_MODES.join("|")}] [--dir DIR] [--check]

Loads config/<mode>.toml (mode from --mode, else RUN_MODE, else development), applies .env and
environment overrides (DATABASE_URL, REDIS_URL, LOG_LEVEL, <VENUE>_WS_URL, <VENUE>_REST_URL,
TRADING__<SECTION>__<KEY>), validates it and prints it as JSON with secrets masked.

Options:
  --mode MODE   run mode (${RUN_MODES.join(", ")})
  --dir DIR     config directory (default: CONFIG_DIR, else the repository's config/)
  --check       only validate; print "config ok: <file> (<mode>)"
  -h, --help    show this help
`;

function main(args: string[]): number {
  const { values } = parseFlags(args, {
    options: {
      mode: { type: "string" },
      dir: { type: "string" },
      check: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    writeStdout(USAGE);
    return 0;
  }
  if (values.mode !== undefined && !(RUN_MODES as readonly string[]).includes(values.mode)) {
    throw new UsageError(
      `Option "--mode" must be one of ${RUN_MODES.join(", ")}, got ${JSON.stringify(values.mode)}`,
    );
  }

  const loaded = loadConfig({ runMode: values.mode, dir: values.dir });
  for (const warning of loaded.warnings) writeStderr(`warning: ${warning}\n`);
  if (values.check) {
    writeStdout(`config ok: ${loaded.file} (${loaded.runMode})\n`);
  } else {
    writeStdout(`${JSON.stringify(redactConfig(loaded.config), null, 2)}\n`);
  }
  return 0;
}

await runMain(main);
