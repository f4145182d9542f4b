-- The whole schema, generated from config/migrations/ by `deno task ingest db schema`.
-- Apply with: psql -d trading_core -v ON_ERROR_STOP=1 -f config/schema.sql
-- Do not edit: add a migration and regenerate.

BEGIN;

CREATE TABLE IF NOT EXISTS schema_migrations (
    version     int4        PRIMARY KEY,
    name        text        NOT NULL,
    checksum    text        NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- ==== 0001_initial.sql ====

-- 0001_initial: instruments, symbols, tick_data (day partitions), tick_archives,
-- live_strategy_log, backfill_jobs. Runs unchanged on PostgreSQL 15+ and on PGlite.
--
-- Units, everywhere in this schema:
--   * times ending in _ns (and ts_event / ts_recv) are nanoseconds since the UNIX epoch, UTC, int8;
--   * price is DBN fixed point: an int8 in units of 1e-9 (42150.25 is 42150250000000);
--   * size is the DBN record's u32 size: quantity * 10^size_scale of the instrument. A quantity
--     whose scaled size is not a whole number or exceeds 4294967295 keeps the nearest size that
--     fits (rounded down, at most 4294967295) and sets flag 0x02 (DBN PUBLISHER_SPECIFIC, which
--     our own venues use to mean SIZE_INEXACT); quantity always holds the exact traded amount.

-- instruments: one row per (symbol, exchange). Non-Databento ids are the registry's hash
-- (shared/storage/instruments/instrument_id.ts); Databento instruments keep their own ids.
CREATE TABLE IF NOT EXISTS instruments (
    instrument_id  int8        PRIMARY KEY CHECK (instrument_id BETWEEN 0 AND 4294967295),
    symbol         text        NOT NULL,
    exchange       text        NOT NULL,
    asset_type     text        NOT NULL DEFAULT 'crypto',
    venue_symbol   text,
    source         text        NOT NULL DEFAULT 'hash' CHECK (source IN ('hash', 'databento')),
    price_scale    int2        NOT NULL DEFAULT 9 CHECK (price_scale BETWEEN 0 AND 18),
    size_scale     int2        NOT NULL DEFAULT 0 CHECK (size_scale BETWEEN 0 AND 9),
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (symbol, exchange)
);

-- symbols: what each provider is asked to stream (deno task ingest symbol add|remove|list).
CREATE TABLE IF NOT EXISTS symbols (
    provider       text        NOT NULL,
    symbol         text        NOT NULL,
    exchange       text        NOT NULL,
    venue_symbol   text,
    asset_type     text        NOT NULL DEFAULT 'crypto',
    instrument_id  int8        REFERENCES instruments (instrument_id),
    active         boolean     NOT NULL DEFAULT true,
    added_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, symbol)
);

-- tick_data: DBN trade fields plus what DBN has no room for (exact quantity, trade id, names).
-- Range-partitioned by UTC day on ts_event; partitions tick_data_pYYYYMMDD are created on demand.
-- The unique key starts with (symbol, ts_event) so it also serves time-range scans; text columns
-- sort byte-wise (COLLATE "C") so the index order is the readers' order on any server locale.
CREATE TABLE IF NOT EXISTS tick_data (
    ts_event       int8     NOT NULL,
    ts_recv        int8     NOT NULL,
    instrument_id  int8     NOT NULL CHECK (instrument_id BETWEEN 0 AND 4294967295),
    symbol         text     COLLATE "C" NOT NULL,
    exchange       text     COLLATE "C" NOT NULL,
    price          int8     NOT NULL,
    size           int8     NOT NULL CHECK (size BETWEEN 0 AND 4294967295),
    quantity       numeric  NOT NULL CHECK (quantity >= 0),
    side           char(1)  NOT NULL CHECK (side IN ('A', 'B', 'N')),
    trade_id       text     COLLATE "C" NOT NULL,
    flags          int2     NOT NULL DEFAULT 0 CHECK (flags BETWEEN 0 AND 255),
    sequence       int8     NOT NULL DEFAULT 0 CHECK (sequence BETWEEN 0 AND 4294967295),
    UNIQUE (symbol, ts_event, exchange, trade_id)
) PARTITION BY RANGE (ts_event);

-- tick_archives: (symbol, exchange, day) slices moved out of tick_data by `db compress` into
-- <data_dir>/archive/ticks/YYYY/MM/DD/<EXCHANGE>/<SYMBOL>.trades.dbn.zst (+ .ids.zst with trade
-- ids and exact quantities). A slice lives either here or in tick_data, never in both.
CREATE TABLE IF NOT EXISTS tick_archives (
    symbol         text        NOT NULL,
    exchange       text        NOT NULL,
    day            date        NOT NULL,
    path           text        NOT NULL,
    row_count      int8        NOT NULL,
    first_ts       int8        NOT NULL,
    last_ts        int8        NOT NULL,
    checksum       text        NOT NULL,
    archived_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (symbol, exchange, day)
);
CREATE INDEX IF NOT EXISTS tick_archives_symbol_day ON tick_archives (symbol, day);

-- live_strategy_log: one row per paper-trading decision (trader service).
CREATE TABLE IF NOT EXISTS live_strategy_log (
    id              bigserial   PRIMARY KEY,
    logged_at       timestamptz NOT NULL DEFAULT now(),
    ts_event        int8        NOT NULL,
    strategy_id     text        NOT NULL,
    strategy_hash   text        NOT NULL,
    account_id      text        NOT NULL,
    symbol          text        NOT NULL,
    signal          text        NOT NULL CHECK (signal IN ('BUY', 'SELL', 'HOLD')),
    price           int8        NOT NULL,
    quantity        numeric     NOT NULL DEFAULT 0,
    position        numeric     NOT NULL DEFAULT 0,
    cash            numeric     NOT NULL,
    portfolio_value numeric     NOT NULL,
    realized_pnl    numeric     NOT NULL DEFAULT 0,
    total_pnl       numeric     NOT NULL,
    tick_count      int8        NOT NULL DEFAULT 0,
    processing_us   int8,
    reason          text
);
CREATE INDEX IF NOT EXISTS live_strategy_log_strategy_ts
    ON live_strategy_log (strategy_id, ts_event);

-- backfill_jobs: historical requests with their estimated and actual cost.
CREATE TABLE IF NOT EXISTS backfill_jobs (
    id              bigserial   PRIMARY KEY,
    provider        text        NOT NULL,
    dataset         text        NOT NULL,
    schema          text        NOT NULL,
    symbols         text[]      NOT NULL,
    start_ns        int8        NOT NULL,
    end_ns          int8        NOT NULL CHECK (end_ns > start_ns),
    status          text        NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
    estimated_cost_usd numeric,
    actual_cost_usd numeric,
    estimated_bytes int8,
    record_count    int8        NOT NULL DEFAULT 0,
    inserted_count  int8        NOT NULL DEFAULT 0,
    duplicate_count int8        NOT NULL DEFAULT 0,
    error           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS backfill_jobs_status ON backfill_jobs (status, created_at);

INSERT INTO schema_migrations (version, name, checksum) VALUES (1, 'initial', 'f355f900f7d7f1bec5c58647f4b28f80c3e383146119a3bfd0ca08774b1ef065') ON CONFLICT (version) DO NOTHING;

-- ==== 0002_backfill_checkpoints.sql ====

-- backfill_jobs learns to resume: `deno task ingest fetch` and `backfill` record each download as
-- a job and checkpoint it, so the same command run again continues where an interrupted one
-- (Ctrl+C, a cut stream, a crash) stopped instead of paying for the whole range again.
--
--   exchange         the exchange the ticks are stored under (CME, NASDAQ); null for old rows
--   kind             which command made the job: fetch, backfill or fill-gaps
--   checkpoint_ns    index time (ts_recv, or ts_event for schemas without it) of the last record
--                    durably stored or written: every record before it is safe, and so are the
--                    first checkpoint_skip records at exactly that time; a resumed download asks
--                    for [checkpoint_ns, end_ns) and skips those
--   checkpoint_skip  see checkpoint_ns
--   output_path      the absolute path of the .dbn / .dbn.zst file written, when there is one
--   store_ticks      the job stores trades into tick_data (false: file only, --no-store)
ALTER TABLE backfill_jobs ADD COLUMN IF NOT EXISTS exchange text;
ALTER TABLE backfill_jobs ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'backfill'
    CHECK (kind IN ('fetch', 'backfill', 'fill-gaps'));
ALTER TABLE backfill_jobs ADD COLUMN IF NOT EXISTS checkpoint_ns int8;
ALTER TABLE backfill_jobs ADD COLUMN IF NOT EXISTS checkpoint_skip int8 NOT NULL DEFAULT 0
    CHECK (checkpoint_skip >= 0);
ALTER TABLE backfill_jobs ADD COLUMN IF NOT EXISTS output_path text;
ALTER TABLE backfill_jobs ADD COLUMN IF NOT EXISTS store_ticks boolean NOT NULL DEFAULT true;

-- Finding the job to resume: same dataset, schema and range (the rest is compared on the few rows).
CREATE INDEX IF NOT EXISTS backfill_jobs_request
    ON backfill_jobs (dataset, schema, start_ns, end_ns, created_at);

INSERT INTO schema_migrations (version, name, checksum) VALUES (2, 'backfill_checkpoints', '1b33276a2ed68c382243969eb7ed3c5b1e676f3fa2baa6fe4e8f00980c3c1a02') ON CONFLICT (version) DO NOTHING;

COMMIT;
