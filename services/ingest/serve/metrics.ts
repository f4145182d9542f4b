/**
 * The ingest service's metrics and health checks. Hot-path counters live as plain numbers in the
 * pipeline and the queue; `refresh()` (every second, and before each scrape would be too late to
 * matter) copies them into Prometheus counters and gauges.
 * @module
 */
import { counterSync, type Histogram, type Metrics } from "@shared/obs/mod.ts";
import type { CheckResult, HealthCheck } from "@shared/http/mod.ts";
import { CONNECTION_STATUSES } from "@shared/venue/mod.ts";
import type { LiveStreamProvider } from "../providers/types.ts";
import type { Pipeline } from "./pipeline.ts";
import type { PersistQueue } from "./persist_queue.ts";

/** Ticks older than this make a symbol stale in /health (seconds). */
export const STALE_SYMBOL_SECS = 60;
/** Queue fill (of capacity) at which persistence counts as lagging. */
export const LAGGING_FILL = 0.5;

/** What the metrics read. */
export interface IngestSources {
  provider: LiveStreamProvider;
  pipeline: Pipeline;
  persist?: PersistQueue;
  symbols: readonly string[];
}

/** Registers the ingest metrics and returns a refresh function that updates them. */
export function ingestMetrics(metrics: Metrics, sources: IngestSources): {
  refresh: () => void;
  batchSeconds: Histogram<string>;
} {
  const name = sources.provider.info.name;
  const received = metrics.counter({
    name: "ingest_ticks_received_total",
    help: "Market events received from the provider, by kind (trade, bbo, book)",
    labelNames: ["provider", "kind"],
  });
  const persisted = metrics.counter({
    name: "ingest_ticks_persisted_total",
    help: "Ticks written to the database",
  });
  const published = metrics.counter({
    name: "ingest_ticks_published_total",
    help: "Records published to IPC channels",
  });
  const dropped = metrics.counter({
    name: "ingest_dropped_total",
    help: "Messages or ticks dropped, by reason",
    labelNames: ["reason"],
  });
  const duplicates = metrics.counter({
    name: "ingest_duplicates_total",
    help: "Ticks the database already held (ON CONFLICT DO NOTHING)",
  });
  const inexact = metrics.counter({
    name: "ingest_size_inexact_total",
    help: "Trades whose quantity does not fit the scaled u32 size (kept, flagged 0x02)",
  });
  const spilled = metrics.counter({
    name: "ingest_spilled_total",
    help: "Ticks spilled to disk while the database was down",
  });
  const reconnections = metrics.gauge({
    name: "ingest_reconnections",
    help: "Venue reconnections since start",
    labelNames: ["provider"],
  });
  const resyncs = metrics.gauge({
    name: "ingest_book_resyncs",
    help: "Books resubscribed after a checksum mismatch",
    labelNames: ["provider"],
  });
  const status = metrics.gauge({
    name: "ingest_connection_status",
    help: "1 for the provider's current connection status",
    labelNames: ["provider", "status"],
  });
  const messageAge = metrics.gauge({
    name: "ingest_last_message_age_seconds",
    help: "Seconds since the provider's last message (-1 before the first)",
    labelNames: ["provider"],
  });
  const tickAge = metrics.gauge({
    name: "ingest_last_tick_age_seconds",
    help: "Seconds since the last event of each symbol (-1 before the first)",
    labelNames: ["symbol"],
  });
  const depth = metrics.gauge({ name: "ingest_queue_depth", help: "Ticks waiting in memory" });
  const spillPending = metrics.gauge({
    name: "ingest_spill_pending",
    help: "Spilled ticks not yet loaded",
  });
  const dbUp = metrics.gauge({ name: "ingest_database_up", help: "1 while writes succeed" });
  const batchSeconds = metrics.histogram({
    name: "ingest_batch_seconds",
    help: "Time to write one batch",
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });

  const add = counterSync();
  const refresh = () => {
    const { counters } = sources.pipeline;
    for (const kind of ["trade", "bbo", "book"] as const) {
      add(received, `r:${kind}`, counters.received[kind], { provider: name, kind });
    }
    add(published, "published", counters.published);
    add(inexact, "inexact", counters.inexactSizes);
    for (const [reason, n] of Object.entries(counters.dropped)) {
      add(dropped, `d:${reason}`, n ?? 0, { reason });
    }
    const stats = sources.provider.stats();
    reconnections.set({ provider: name }, stats.reconnections);
    resyncs.set({ provider: name }, stats.bookResyncs);
    const current = sources.provider.connectionStatus();
    for (const s of CONNECTION_STATUSES) {
      status.set({ provider: name, status: s }, s === current ? 1 : 0);
    }
    const now = Date.now();
    messageAge.set({ provider: name }, age(stats.lastMessageMs, now));
    for (const symbol of sources.symbols) {
      tickAge.set({ symbol }, age(sources.pipeline.lastEventMs.get(symbol), now));
    }
    const persist = sources.persist;
    if (persist !== undefined) {
      add(persisted, "persisted", persist.stats.persisted);
      add(duplicates, "duplicates", persist.stats.duplicates);
      add(spilled, "spilled", persist.stats.spilled);
      add(dropped, "d:invalid_tick", persist.stats.rejected, { reason: "invalid_tick" });
      depth.set(persist.depth);
      spillPending.set(persist.spillPending);
      dbUp.set(persist.databaseUp ? 1 : 0);
    }
  };
  return { refresh, batchSeconds };
}

/** The /health checks: the venue connection, symbol freshness, persistence. */
export function ingestChecks(sources: IngestSources): Record<string, HealthCheck> {
  const checks: Record<string, HealthCheck> = {
    [`provider_${sources.provider.info.name}`]: {
      run: (): CheckResult => {
        const status = sources.provider.connectionStatus();
        const stats = sources.provider.stats();
        const detail = `${status}, ${stats.reconnections} reconnections, last message ${
          ageText(stats.lastMessageMs)
        }`;
        return { status: status === "connected" ? "ok" : "degraded", detail };
      },
    },
    symbols: {
      run: (): CheckResult => {
        const now = Date.now();
        const parts = sources.symbols.map((symbol) =>
          `${symbol} ${ageText(sources.pipeline.lastEventMs.get(symbol), now)}`
        );
        const stale = sources.symbols.filter((symbol) => {
          const last = sources.pipeline.lastEventMs.get(symbol);
          return last !== undefined && now - last > STALE_SYMBOL_SECS * 1000;
        });
        return {
          status: stale.length === 0 ? "ok" : "degraded",
          detail: `last tick: ${parts.join(", ")}`,
        };
      },
    },
  };
  const persist = sources.persist;
  if (persist !== undefined) {
    checks.persistence = {
      run: (): CheckResult => {
        const lagging = persist.depth >= persist.capacity * LAGGING_FILL ||
          persist.spillPending > 0;
        const detail =
          `queue ${persist.depth}/${persist.capacity}, spilled pending ${persist.spillPending}, database ${
            persist.databaseUp ? "up" : `down (${persist.lastError ?? "?"})`
          }`;
        return { status: persist.databaseUp && !lagging ? "ok" : "degraded", detail };
      },
    };
  }
  return checks;
}

function age(lastMs: number | undefined, now: number): number {
  return lastMs === undefined ? -1 : Math.max(0, (now - lastMs) / 1000);
}

function ageText(lastMs: number | undefined, now = Date.now()): string {
  return lastMs === undefined ? "never" : `${age(lastMs, now).toFixed(1)}s ago`;
}
