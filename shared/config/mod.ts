/**
 * Configuration: `config/<RUN_MODE>.toml` + `.env` + environment, validated against a typed
 * schema. Start with {@linkcode loadConfig}.
 *
 * @module
 */
export { loadConfig, RUN_MODES } from "./load_config.ts";
export type { LoadConfigOptions, LoadedConfig, RunMode } from "./load_config.ts";
export { ConfigError } from "./config_error.ts";
export type { ConfigErrorCode, ConfigErrorOptions } from "./config_error.ts";
export { appConfigSchema, LOG_LEVELS, VENUE_NAMES } from "./app_config.ts";
export type {
  AccountConfig,
  AccountsConfig,
  AlertingConfig,
  AppConfig,
  BackfillConfig,
  CacheConfig,
  DatabaseConfig,
  DatabentoConfig,
  FeesConfig,
  HttpConfig,
  IpcConfig,
  LogConfig,
  LogLevel,
  PaperTradingConfig,
  RoutingConfig,
  VenueConfig,
  VenuesConfig,
} from "./app_config.ts";
export { ENV_PREFIX, NAMED_ENV_OVERRIDES } from "./_env_overrides.ts";
export { parseDotenv } from "./dotenv.ts";
export { redactConfig, REDACTED } from "./redact.ts";
export { accountForStrategy } from "./accounts.ts";
