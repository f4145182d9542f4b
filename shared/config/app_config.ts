/**
 * The shape of `config/<run mode>.toml`: one schema per section, and the config types inferred
 * from them. Keys stay snake_case as in the TOML files and the seeds.
 *
 * @module
 */
import type { Infer } from "./_schema.ts";
import { bool, decimal, int, num, oneOf, str, url } from "./_schema_scalars.ts";
import { arr, obj, record } from "./_schema_tables.ts";

const SYMBOL = str({
  pattern: /^[A-Z0-9]{2,20}$/,
  expected: 'a canonical symbol (2-20 of A-Z and 0-9, e.g. "BTCUSD")',
});
const ID = str({
  pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
  expected: 'an id (letters, digits, "_", "-", "."; at most 64)',
});
const CURRENCY = str({
  pattern: /^[A-Z0-9]{2,12}$/,
  expected: 'a currency code (2-12 of A-Z and 0-9, e.g. "USDT")',
});
const PROVIDER = str({
  pattern: /^[a-z][a-z0-9_]*$/,
  expected: 'a provider name (lowercase, e.g. "databento")',
});
const PORT = int({ min: 0, max: 65535 });

/** Log levels, least to most severe. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error"] as const;
/** A log level. */
export type LogLevel = typeof LOG_LEVELS[number];

/** `[database]`: Postgres when `url` is set, otherwise embedded PGlite under `data_dir`. */
export const databaseSchema = obj({
  url: url({ protocols: ["postgres:", "postgresql:"] }).optional(),
  data_dir: str().default("./data"),
  max_connections: int({ min: 1, max: 1000 }).default(5),
  min_connections: int({ min: 0, max: 1000 }).default(1),
  connect_timeout_secs: int({ min: 1, max: 3600 }).default(10),
  batch_size: int({ min: 1, max: 1_000_000 }).default(1000),
  /** `db compress` archives day partitions at least this many whole days old. */
  archive_after_days: int({ min: 1, max: 36_500 }).default(30),
});

/** `[cache.memory]` (L1) and `[cache.redis]` (L2; in-memory only when `url` is unset). */
export const cacheSchema = obj({
  memory: obj({
    max_ticks_per_symbol: int({ min: 1 }).default(1000),
    ttl_seconds: int({ min: 1 }).default(300),
  }),
  redis: obj({
    url: url({ protocols: ["redis:", "rediss:"] }).optional(),
    max_ticks_per_symbol: int({ min: 1 }).default(10000),
    ttl_seconds: int({ min: 1 }).default(3600),
    key_prefix: str({ minLength: 0 }).default("ticks:"),
  }),
});

/** `[paper_trading]`: the strategy live ticks drive in simulation. */
export const paperTradingSchema = obj({
  enabled: bool().default(false),
  strategy: ID.default("rsi"),
  initial_capital: decimal({ min: "0" }).default("10000"),
  /** Symbols to trade; all of top-level `symbols` when absent. */
  symbols: arr(SYMBOL, { minLength: 1, unique: true }).optional(),
  /**
   * Several strategies in one process (`[[paper_trading.strategies]]`); when empty, `strategy` on
   * `symbols`. Each names a built-in id or a strategy file, its symbols, parameters and account.
   */
  strategies: arr(obj({
    strategy: str({ minLength: 1 }),
    symbols: arr(SYMBOL, { minLength: 1, unique: true }).optional(),
    params: record(str()).default({}),
    account: ID.optional(),
  })).default([]),
  /** live_strategy_log rows are written in batches at least this often. */
  log_flush_ms: int({ min: 10, max: 60_000 }).default(1000),
  /** A compact status line per strategy this often (signals and fills print at once). */
  status_interval_secs: int({ min: 1 }).default(5),
});

const accountSchema = obj({
  id: ID,
  currency: CURRENCY.default("USDT"),
  initial_balance: decimal({ min: "0" }),
});

/** `[accounts.default]` and `[[accounts.simulation]]` (strategies mapped to accounts). */
export const accountsSchema = obj({
  default: accountSchema,
  simulation: arr(obj({
    id: ID,
    currency: CURRENCY.default("USDT"),
    initial_balance: decimal({ min: "0" }),
    strategies: arr(ID, { unique: true }).default([]),
  })).default([]),
});

/**
 * `[fees]`: the simulated exchange's costs in basis points (1 bp = 0.0001). Market orders pay
 * `taker_bps` and `slippage_bps`; limit orders fill at their price and pay `maker_bps`.
 */
export const feesSchema = obj({
  maker_bps: decimal({ min: "0", max: "10000" }).default("2"),
  taker_bps: decimal({ min: "0", max: "10000" }).default("5"),
  slippage_bps: decimal({ min: "0", max: "10000" }).default("1"),
});

/** `[alerting]`: thresholds of the alert rules (the seed's values are the defaults). */
export const alertingSchema = obj({
  enabled: bool().default(true),
  interval_secs: int({ min: 1 }).default(30),
  cooldown_secs: int({ min: 0 }).default(300),
  channel_backpressure_threshold: num({ min: 0, max: 100 }).default(80),
  reconnection_storm_threshold: int({ min: 1 }).default(10),
  cache_failure_threshold: num({ min: 0, max: 1 }).default(0.1),
  /** Stale data: no tick for a subscribed symbol for this long. */
  stale_data_secs: int({ min: 1 }).default(60),
  /** Records lost to reader overrun within one interval that raise an alert. */
  reader_loss_threshold: int({ min: 1 }).default(1),
  /** Alerts are also POSTed as JSON here (with retry) when set. */
  webhook_url: url({ protocols: ["http:", "https:"] }).optional(),
  webhook_retries: int({ min: 0, max: 10 }).default(3),
  webhook_timeout_ms: int({ min: 100, max: 60_000 }).default(5000),
});

/** `[routing]`: which provider serves which asset type, exchange or symbol. */
export const routingSchema = obj({
  default_provider: PROVIDER.default("databento"),
  /** `"<asset type>@<exchange>" = "<dataset>"`, e.g. `"futures@CME" = "GLBX.MDP3"`. */
  databento: obj({ datasets: record(str()).default({}) }),
  asset_types: record(obj({ historical: PROVIDER, realtime: PROVIDER })).default({}),
  /** Symbol-specific routes, checked before the asset-type routes. */
  symbols: arr(obj({
    symbol: str({ pattern: /^[A-Za-z0-9._/-]{1,32}$/, expected: "a symbol" }),
    exchange: str({ pattern: /^[A-Z0-9_]{1,16}$/, expected: 'an exchange code (e.g. "CME")' }),
    provider: PROVIDER,
    dataset: str().optional(),
  })).default([]),
});

/**
 * `[databento]`: the historical HTTP API. The key comes from `DATABENTO_API_KEY` (environment or
 * `.env`), the base URL may be overridden with `DATABENTO_HIST_URL`.
 */
export const databentoSchema = obj({
  hist_url: url({ protocols: ["https:", "http:"] }).default("https://hist.databento.com"),
  api_key: str({ minLength: 1 }).optional(),
  /** Per request; a streaming download may take longer as long as bytes keep arriving. */
  timeout_secs: int({ min: 1, max: 3600 }).default(100),
  /** Attempts after the first for transient failures (network, 408, 429, 5xx). */
  retries: int({ min: 0, max: 10 }).default(3),
});

/** `[backfill]`: spend limits and gap detection for `ingest backfill`. */
export const backfillSchema = obj({
  /** A job whose estimated cost is above this is refused (USD). */
  max_job_cost_usd: decimal({ min: "0" }).default("50"),
  /** Estimated spend of jobs in one calendar month (UTC) may not go above this (USD). */
  monthly_budget_usd: decimal({ min: "0" }).default("500"),
  /** A silence longer than this between stored ticks, inside trading hours, is a gap. */
  max_gap_secs: int({ min: 1 }).default(300),
  /** Only count gaps inside the asset type's trading sessions (futures, equity; crypto is 24/7). */
  sessions: bool().default(true),
  default_schema: str({ minLength: 1 }).default("trades"),
});

/** `[ipc]`: shared-memory rings under `/dev/shm/<namespace>/`. */
export const ipcSchema = obj({
  namespace: str({
    pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
    expected: 'a safe file name (letters, digits, "_", "-"; at most 64)',
  }).default("trading"),
  capacity: int({ min: 2, max: 2 ** 30 })
    .refine((n) => (n & (n - 1)) === 0, "a power of two between 2 and 1073741824")
    .default(65536),
  heartbeat_secs: int({ min: 1 }).default(5),
  stale_after_secs: int({ min: 1 }).default(30),
});

/** `[http]`: where each service serves `/health` and `/metrics`; port 0 means ephemeral. */
export const httpSchema = obj({
  host: str().default("127.0.0.1"),
  ingest_port: PORT.default(9101),
  trader_port: PORT.default(9102),
  backtest_port: PORT.default(9103),
});

/** `[log]`: JSON lines in production, readable lines otherwise (unless set). */
export const logSchema = obj({
  level: oneOf(LOG_LEVELS).default("info"),
  format: oneOf(["pretty", "json"] as const)
    .default((ctx) => ctx.runMode === "production" ? "json" : "pretty"),
});

const venueSchema = obj({
  ws_url: url({ protocols: ["wss:", "ws:"] }),
  rest_url: url({ protocols: ["https:", "http:"] }),
  /** The venue's demo or testnet endpoints (`serve --demo`). */
  demo_ws_url: url({ protocols: ["wss:", "ws:"] }).optional(),
  demo_rest_url: url({ protocols: ["https:", "http:"] }).optional(),
});

/** Venue names with a `[venues.<name>]` section (and `<NAME>_WS_URL` / `<NAME>_REST_URL`). */
export const VENUE_NAMES = ["binance", "kraken", "kraken_futures"] as const;

/** `[venues.<name>]`: public endpoints of each venue. */
export const venuesSchema = obj({
  binance: venueSchema,
  kraken: venueSchema,
  kraken_futures: venueSchema,
});

/** The whole configuration file. */
export const appConfigSchema = obj({
  symbols: arr(SYMBOL, { minLength: 1, unique: true }),
  database: databaseSchema,
  cache: cacheSchema,
  paper_trading: paperTradingSchema,
  accounts: accountsSchema,
  fees: feesSchema,
  alerting: alertingSchema,
  routing: routingSchema,
  databento: databentoSchema,
  backfill: backfillSchema,
  ipc: ipcSchema,
  http: httpSchema,
  log: logSchema,
  venues: venuesSchema,
});

/** `[database]`. */
export type DatabaseConfig = Infer<typeof databaseSchema>;
/** `[cache.memory]` and `[cache.redis]`. */
export type CacheConfig = Infer<typeof cacheSchema>;
/** `[paper_trading]`. */
export type PaperTradingConfig = Infer<typeof paperTradingSchema>;
/** `[accounts]`. */
export type AccountsConfig = Infer<typeof accountsSchema>;
/** One account, default or simulation. */
export type AccountConfig = Infer<typeof accountSchema>;
/** `[fees]`: maker, taker and slippage basis points as decimal strings. */
export type FeesConfig = Infer<typeof feesSchema>;
/** `[alerting]`. */
export type AlertingConfig = Infer<typeof alertingSchema>;
/** `[routing]`. */
export type RoutingConfig = Infer<typeof routingSchema>;
/** `[databento]`. */
export type DatabentoConfig = Infer<typeof databentoSchema>;
/** `[backfill]`. */
export type BackfillConfig = Infer<typeof backfillSchema>;
/** `[ipc]`. */
export type IpcConfig = Infer<typeof ipcSchema>;
/** `[http]`. */
export type HttpConfig = Infer<typeof httpSchema>;
/** `[log]`. */
export type LogConfig = Infer<typeof logSchema>;
/** `[venues]`. */
export type VenuesConfig = Infer<typeof venuesSchema>;
/** `[venues.<name>]`. */
export type VenueConfig = Infer<typeof venueSchema>;
/** The whole, validated configuration. */
export type AppConfig = Infer<typeof appConfigSchema>;
