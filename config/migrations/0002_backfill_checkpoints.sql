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
