/** The config flags every CLI accepts (`-c FILE`, `--mode`, `--dir`) and the loader they drive. */
import { basename, dirname } from "node:path";
import { type AppConfig, loadConfig, RUN_MODES } from "@shared/config/mod.ts";
import { UsageError } from "./usage_error.ts";
import { writeStderr } from "./output.ts";

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
