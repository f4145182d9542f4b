/** What every `deno task ingest` command shares: config flags, the store, input checks. */
import { basename, dirname } from "node:path";
import { type AppConfig, loadConfig, RUN_MODES } from "@shared/config/mod.ts";
import { UsageError, writeStderr } from "@shared/cli/mod.ts";
import { DataError } from "@shared/domain/mod.ts";
import { openStore, type Store } from "@shared/storage/mod.ts";

/** The flags that pick the config, accepted by every command. */
export const CONFIG_OPTIONS = {
  config: { type: "string", short: "c" },
  mode: { type: "string" },
  dir: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Their help lines. */
export const CONFIG_HELP = `Config options (every command):
  -c, --config FILE   the config file, named <mode>.toml (${RUN_MODES.join(", ")})
      --mode MODE     run mode (default: RUN_MODE, else development)
      --dir DIR       config directory (default: CONFIG_DIR, else the repository's config/)
  -h, --help          show this help
`;

/** Loads the config the flags name (config/<RUN_MODE>.toml by default); warnings to stderr. */
export function configFrom(
  values: { config?: string; mode?: string; dir?: string },
): AppConfig {
  let runMode = values.mode;
  let dir = values.dir;
  if (values.config !== undefined) {
    const mode = basename(values.config).replace(/\.toml$/, "");
    if (!(RUN_MODES as readonly string[]).includes(mode) || !values.config.endsWith(".toml")) {
      throw new UsageError(
        `Option "--config" expects a file named <mode>.toml (${RUN_MODES.join(", ")}), got ${
          JSON.stringify(values.config)
        }`,
      );
    }
    if ((runMode !== undefined && runMode !== mode) || dir !== undefined) {
      throw new UsageError(`Option "--config" conflicts with --mode and --dir`);
    }
    runMode = mode;
    dir = dirname(values.config);
  }
  if (runMode !== undefined && !(RUN_MODES as readonly string[]).includes(runMode)) {
    throw new UsageError(
      `Option "--mode" must be one of ${RUN_MODES.join(", ")}, got ${JSON.stringify(runMode)}`,
    );
  }
  const loaded = loadConfig({ runMode, dir });
  for (const warning of loaded.warnings) writeStderr(`warning: ${warning}\n`);
  return loaded.config;
}

/**
 * Opens the configured store (migrated unless told otherwise), runs `fn`, closes it. A database
 * that is down fails in openStore with one line naming the URL, password masked.
 */
export async function withStore<T>(
  config: AppConfig,
  fn: (store: Store) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const store = await openStore(config.database, {
    migrate: options.migrate ?? true,
    applicationName: "ingest",
  });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Runs an input check; its DataError or RangeError becomes a UsageError (exit 2). */
export function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof DataError || e instanceof RangeError) {
      throw new UsageError(e.message.replace(/^./, (c) => c.toUpperCase()), { cause: e });
    }
    throw e;
  }
}

/** A whole number within [min, max] from a flag's text. */
export function intFlag(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(
      `Option "--${name}" expects an integer from ${min} to ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return n;
}

/** No positional arguments beyond `expected`. */
export function expectPositionals(positionals: string[], expected: number, usage: string): void {
  if (positionals.length > expected) {
    throw new UsageError(`Unexpected argument "${positionals[expected]}" (usage: ${usage})`);
  }
}

/** JSON with bigints as strings, indented, with a final newline. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v) => typeof v === "bigint" ? v.toString() : v, 2)}\n`;
}
