/**
 * Environment overrides of config keys. Two rules:
 *
 * - named variables: `DATABASE_URL` -> `database.url`, `REDIS_URL` -> `cache.redis.url`,
 *   `LOG_LEVEL` -> `log.level`, `DATABENTO_API_KEY` / `DATABENTO_HIST_URL` -> `databento.*`, `<VENUE>_WS_URL` / `<VENUE>_REST_URL` (and `<VENUE>_DEMO_WS_URL` / `_DEMO_REST_URL`) ->
 *   `venues.<venue>.*`;
 * - the generic rule `TRADING__<SECTION>__<KEY>` (double underscores between levels, any case):
 *   `TRADING__CACHE__REDIS__TTL_SECONDS=60` -> `cache.redis.ttl_seconds = 60`.
 *
 * The string is converted by the target key's schema type (integers, numbers, booleans
 * `true/false/1/0`, comma-separated lists, strings as is). Empty values are ignored. A named
 * variable wins over a `TRADING__` one for the same key.
 *
 * @module
 */
import { type AnySchema, isTable, joinPath, SchemaIssue } from "./_schema.ts";
import { VENUE_NAMES } from "./app_config.ts";
import { ConfigError } from "./config_error.ts";
import { issueToError, type Origin } from "./_origin.ts";

/** Prefix of the generic override rule. */
export const ENV_PREFIX = "TRADING__";

/** Environment variables with a name of their own, and the config key each one sets. */
export const NAMED_ENV_OVERRIDES: Readonly<Record<string, string>> = {
  DATABASE_URL: "database.url",
  REDIS_URL: "cache.redis.url",
  LOG_LEVEL: "log.level",
  DATABENTO_API_KEY: "databento.api_key",
  DATABENTO_HIST_URL: "databento.hist_url",
  ...Object.fromEntries(VENUE_NAMES.flatMap((venue) => [
    [`${venue.toUpperCase()}_WS_URL`, `venues.${venue}.ws_url`],
    [`${venue.toUpperCase()}_REST_URL`, `venues.${venue}.rest_url`],
    [`${venue.toUpperCase()}_DEMO_WS_URL`, `venues.${venue}.demo_ws_url`],
    [`${venue.toUpperCase()}_DEMO_REST_URL`, `venues.${venue}.demo_rest_url`],
  ])),
};

/** One override to apply to the raw TOML tree. */
export interface EnvOverride {
  envVar: string;
  /** Keys from the root, as spelt in the TOML tree. */
  keys: string[];
  /** The dotted path, for messages. */
  path: string;
  value: unknown;
}

type Target = { keys: string[]; path: string; schema: AnySchema };

/**
 * Finds the overrides in `env` (named ones last, so they win), converted to raw values.
 * Unknown keys add a warning; unconvertible values throw a {@linkcode ConfigError}.
 */
export function collectEnvOverrides(
  env: Readonly<Record<string, string>>,
  options: {
    schema: AnySchema;
    raw: Record<string, unknown>;
    originOf: (envVar: string) => Origin;
    warnings: string[];
  },
): EnvOverride[] {
  const { schema, raw, originOf, warnings } = options;
  const prefixed = Object.keys(env)
    .filter((name) => name.toUpperCase().startsWith(ENV_PREFIX) && env[name] !== "")
    .sort()
    .map((name) => ({ name, segments: name.slice(ENV_PREFIX.length).split("__") }));
  const named = Object.keys(NAMED_ENV_OVERRIDES)
    .filter((name) => env[name] !== undefined && env[name] !== "")
    .map((name) => ({ name, segments: NAMED_ENV_OVERRIDES[name]!.split(".") }));

  const out: EnvOverride[] = [];
  for (const { name, segments } of [...prefixed, ...named]) {
    const origin = originOf(name);
    const target = resolveTarget(segments, schema, raw, (why, path) => {
      throw new ConfigError("CONFIG_INVALID", `${origin.label}: ${path}: ${why}`, {
        file: origin.file,
        envVar: name,
        key: path,
      });
    });
    if (target === undefined) {
      const path = segments.map((s) => s.toLowerCase()).join(".");
      warnings.push(`${origin.label}: unknown key ${JSON.stringify(path)} (ignored)`);
      continue;
    }
    let text = env[name]!;
    if (name === "LOG_LEVEL") text = text.toLowerCase();
    try {
      out.push({ envVar: name, ...target, value: target.schema.fromEnv!(text, target.path) });
    } catch (e) {
      if (e instanceof SchemaIssue) throw issueToError(e, origin);
      throw e;
    }
  }
  return out;
}

function resolveTarget(
  segments: string[],
  schema: AnySchema,
  raw: Record<string, unknown>,
  fail: (why: string, path: string) => never,
): Target | undefined {
  let node = schema;
  let rawNode: unknown = raw;
  const keys: string[] = [];
  let path = "";
  for (const segment of segments) {
    if (segment === "") return undefined;
    let key: string;
    let child: AnySchema | undefined;
    if (node.kind === "object") {
      key = segment.toLowerCase();
      child = Object.hasOwn(node.shape!, key) ? node.shape![key] : undefined;
    } else if (node.kind === "record") {
      const existing = isTable(rawNode)
        ? Object.keys(rawNode).find((k) => k.toLowerCase() === segment.toLowerCase())
        : undefined;
      key = existing ?? segment.toLowerCase();
      child = node.element;
    } else if (node.kind === "array") {
      fail("is a list and its items cannot be set from the environment", path);
    } else {
      return undefined;
    }
    if (child === undefined) return undefined;
    keys.push(key);
    path = joinPath(path, key);
    node = child;
    rawNode = isTable(rawNode) ? rawNode[key] : undefined;
  }
  if (node.kind === "object" || node.kind === "record") {
    fail("is a table; set one of its keys instead", path);
  }
  if (node.fromEnv === undefined) {
    fail("is a list of tables and cannot be set from the environment", path);
  }
  return { keys, path, schema: node };
}

/** Sets `value` at `keys` in the raw tree, replacing whatever is in the way. */
export function applyOverride(raw: Record<string, unknown>, override: EnvOverride): void {
  let table = raw;
  override.keys.forEach((key, i) => {
    if (i === override.keys.length - 1) {
      table[key] = override.value;
      return;
    }
    const next = table[key];
    table = isTable(next) ? next : (table[key] = {}) as Record<string, unknown>;
  });
}
