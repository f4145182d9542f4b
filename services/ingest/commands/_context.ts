/** What every `deno task ingest` command shares: config flags, the store, input checks. */
import type { AppConfig } from "@shared/config/mod.ts";
import { UsageError } from "@shared/cli/mod.ts";
import { DataError } from "@shared/domain/mod.ts";
import { openStore, type Store } from "@shared/storage/mod.ts";

export { CONFIG_HELP, CONFIG_OPTIONS, configFrom } from "@shared/cli/config_flags.ts";

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
