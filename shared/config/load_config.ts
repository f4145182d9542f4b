import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseToml, TomlError } from "smol-toml";
import { type AppConfig, appConfigSchema } from "./app_config.ts";
import { ConfigError } from "./config_error.ts";
import { parseDotenv } from "./dotenv.ts";
import { checkCrossFieldRules } from "./_cross_checks.ts";
import { applyOverride, collectEnvOverrides } from "./_env_overrides.ts";
import { issueToError, type Origin } from "./_origin.ts";
import { displayPath } from "./_paths.ts";
import { SchemaIssue } from "./_schema.ts";

/** The run modes, each with its own `config/<mode>.toml`. */
export const RUN_MODES = ["development", "production", "test"] as const;
/** A run mode. */
export type RunMode = typeof RUN_MODES[number];

/** Options of {@linkcode loadConfig}; every one has a default. */
export interface LoadConfigOptions {
  /** The config directory. Default: env `CONFIG_DIR`, else the repository's `config/`. */
  dir?: string;
  /** The run mode. Default: env `RUN_MODE`, else `development`. */
  runMode?: string;
  /** Variables to read instead of `Deno.env` (for tests). */
  env?: Readonly<Record<string, string>>;
  /**
   * A `.env` file to read (it must exist). Default: `.env` in the working directory, read only
   * when present. `false` reads none.
   */
  envFile?: string | false;
}

/** The validated config and where it came from. */
export interface LoadedConfig {
  config: AppConfig;
  runMode: RunMode;
  /** The TOML file read (absolute path). */
  file: string;
  /** Problems that do not stop loading (unknown keys); the caller logs them. */
  warnings: string[];
}

const DEFAULT_CONFIG_DIR = fileURLToPath(new URL("../../config/", import.meta.url));

/**
 * Loads `config/<RUN_MODE>.toml` and applies, in rising precedence, the schema defaults, the
 * file, `.env` values, then environment variables (see `NAMED_ENV_OVERRIDES` and the
 * `TRADING__<SECTION>__<KEY>` rule).
 *
 * @throws {ConfigError} with a one-line message naming the file or variable, the key and what
 * was expected
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const realEnv = options.env ?? Deno.env.toObject();
  const dotenvFile = options.envFile === false ? undefined : resolve(options.envFile ?? ".env");
  const dotenv = dotenvFile === undefined
    ? {}
    : readDotenv(dotenvFile, options.envFile !== undefined);
  // A .env value never overrides a variable already set in the real environment.
  const env: Record<string, string> = { ...dotenv, ...realEnv };
  const originOf = (envVar: string): Origin =>
    Object.hasOwn(realEnv, envVar) || dotenvFile === undefined
      ? { label: `environment variable ${envVar}`, envVar }
      : { label: `${displayPath(dotenvFile)}: ${envVar}`, file: dotenvFile, envVar };

  const runMode = resolveRunMode(options.runMode, env.RUN_MODE || undefined, originOf);
  const dir = resolve(options.dir ?? (env.CONFIG_DIR || DEFAULT_CONFIG_DIR));
  const file = join(dir, `${runMode}.toml`);
  const fileLabel = displayPath(file);
  const raw = readToml(file, fileLabel, runMode);

  const warnings: string[] = [];
  const overrides = collectEnvOverrides(env, {
    schema: appConfigSchema,
    raw,
    originOf,
    warnings,
  });
  const origins = new Map<string, Origin>();
  for (const override of overrides) {
    applyOverride(raw, override);
    origins.set(override.path, originOf(override.envVar));
  }
  const fileOrigin: Origin = { label: fileLabel, file };
  const originAt = (path: string): Origin => {
    // The value's own origin, else its nearest set parent's (an env list sets its items).
    for (let p = path; p !== "";) {
      const origin = origins.get(p);
      if (origin) return origin;
      const parent = p.replace(/(\.[^.[]+|\[\d+\])$/, "");
      p = parent === p ? "" : parent;
    }
    return fileOrigin;
  };

  try {
    const config = appConfigSchema.parse(raw, "", {
      runMode,
      unknownKey: (path) =>
        warnings.push(`${fileLabel}: unknown key ${JSON.stringify(path)} (ignored)`),
    });
    checkCrossFieldRules(config);
    return { config, runMode, file, warnings };
  } catch (e) {
    if (e instanceof SchemaIssue) throw issueToError(e, originAt(e.path));
    throw e;
  }
}

function resolveRunMode(
  fromOptions: string | undefined,
  fromEnv: string | undefined,
  originOf: (envVar: string) => Origin,
): RunMode {
  const value = fromOptions ?? fromEnv ?? "development";
  if ((RUN_MODES as readonly string[]).includes(value)) return value as RunMode;
  const expected = `one of ${RUN_MODES.map((m) => JSON.stringify(m)).join(", ")}`;
  const origin: Origin = fromOptions !== undefined ? { label: "run mode" } : originOf("RUN_MODE");
  throw new ConfigError(
    "CONFIG_INVALID",
    `${origin.label}: RUN_MODE: expected ${expected}, got ${JSON.stringify(value)}`,
    { file: origin.file, envVar: "RUN_MODE", key: "RUN_MODE", expected },
  );
}

function readDotenv(file: string, required: boolean): Record<string, string> {
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound && !required) return {};
    throw new ConfigError("CONFIG_MISSING", `${displayPath(file)}: cannot read .env file`, {
      file,
      cause: e,
    });
  }
  return parseDotenv(text, displayPath(file));
}

function readToml(file: string, label: string, runMode: RunMode): Record<string, unknown> {
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "file not found" : "cannot read file";
    throw new ConfigError(
      "CONFIG_MISSING",
      `${label}: ${why} (run mode ${
        JSON.stringify(runMode)
      }; set CONFIG_DIR to use another directory)`,
      { file, cause: e },
    );
  }
  try {
    return parseToml(text, { integersAsBigInt: true, unsafeKeyBehaviour: "throw" });
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    const why = e.message.split("\n")[0]!.replace(/^Invalid TOML document:\s*/, "");
    throw new ConfigError("CONFIG_PARSE", `${label}:${e.line}:${e.column}: invalid TOML: ${why}`, {
      file,
      line: e.line,
      column: e.column,
      cause: e,
    });
  }
}
