/**
 * The running data manager (`deno task serve`): one live provider, its symbols registered in the
 * InstrumentRegistry, events through the pipeline into IPC channels and the persistence queue,
 * `/health` and `/metrics`, and a graceful stop that flushes every queued tick and deregisters.
 * @module
 */
import { join } from "node:path";
import type { AppConfig } from "@shared/config/mod.ts";
import { createServiceApp, serveApp, type ServedApp } from "@shared/http/mod.ts";
import { type ChannelSchema, IpcPublisher } from "@shared/ipc/mod.ts";
import { createMetrics, type Logger } from "@shared/obs/mod.ts";
import {
  archiveRoot,
  InstrumentRegistry,
  migrate,
  openPgliteStore,
  openStore,
  pgliteDir,
  type Store,
} from "@shared/storage/mod.ts";
import { unknownSymbolsLine, VenueError } from "@shared/venue/mod.ts";
import type { Feed } from "../providers/events.ts";
import {
  createLiveProvider,
  type LiveProviderName,
  type ProviderSetup,
} from "../providers/factory.ts";
import type { LiveStreamProvider } from "../providers/types.ts";
import { ingestChecks, ingestMetrics } from "./metrics.ts";
import { PersistQueue } from "./persist_queue.ts";
import { Pipeline } from "./pipeline.ts";

/** How to run the service. */
export interface IngestServiceOptions {
  config: AppConfig;
  provider: LiveProviderName;
  symbols: string[];
  feeds: Feed[];
  /** Open IPC channels (for `ipcSymbols`, default all), register, serve the control socket. */
  ipc: boolean;
  ipcSymbols?: string[];
  persist: boolean;
  instanceId?: string;
  /** The database to use (default: opened from `[database]`); the caller closes it. */
  store?: Store;
  /** HTTP port (default `[http] ingest_port`; 0 = ephemeral). */
  port?: number;
  /** Check the symbols against the venue's listing first (default true). */
  checkSymbols?: boolean;
  setup: Omit<ProviderSetup, "sink" | "logger">;
  logger: Logger;
}

/** A started service. */
export interface IngestService {
  readonly provider: LiveStreamProvider;
  readonly pipeline: Pipeline;
  readonly persist: PersistQueue | undefined;
  readonly publisher: IpcPublisher | undefined;
  readonly http: ServedApp;
  /** Resolves when a finite provider (replay, synthetic with a limit) has emitted everything. */
  readonly finished: Promise<void> | undefined;
  /** Stops the provider, writes every queued tick (or spills it), deregisters, closes. */
  stop(): Promise<void>;
}

const DISCOVERY_TIMEOUT_MS = 10_000;

/** Starts the service; throws a one-line error for bad symbols or a database that is down. */
export async function startIngestService(options: IngestServiceOptions): Promise<IngestService> {
  const { config, logger } = options;
  const cleanup: (() => Promise<void> | void)[] = [];
  const undo = async () => {
    for (const step of cleanup.reverse()) await step();
  };
  try {
    // The pipeline needs the registered instruments, which need the provider's normalizer.
    const late: { pipeline?: Pipeline; observeBatch?: (seconds: number) => void } = {};
    const provider = createLiveProvider(options.provider, config, {
      ...options.setup,
      sink: {
        onEvent: (event) => late.pipeline?.onEvent(event),
        onDrop: (reason, detail) => late.pipeline?.onDrop(reason, detail),
      },
      logger: logger.child({ provider: options.provider }),
    });
    cleanup.push(() => provider.disconnect());
    if (options.checkSymbols ?? true) await checkListed(provider, options.symbols, logger);

    let store = options.store;
    if (store === undefined) {
      const opened = await openRegistryStore(options, logger);
      cleanup.push(() => opened.close());
      store = opened;
    }
    const instruments = await provider.normalizer.registerSymbols(
      options.symbols,
      new InstrumentRegistry(store),
    );
    const exchange = provider.normalizer.exchangeName();

    const schema: ChannelSchema = options.feeds.includes("book")
      ? "mixed-book"
      : options.feeds.includes("bbo")
      ? "mixed"
      : "trades";
    const publisher = options.ipc
      ? await IpcPublisher.start({
        namespace: config.ipc.namespace,
        instanceId: options.instanceId,
        provider: options.provider,
        exchange,
        symbols: options.symbols,
        ipcSymbols: options.ipcSymbols,
        schema,
        capacity: config.ipc.capacity,
        heartbeatSecs: config.ipc.heartbeat_secs,
        staleAfterSecs: config.ipc.stale_after_secs,
      })
      : undefined;
    if (publisher !== undefined) cleanup.push(() => publisher.close());

    const metrics = createMetrics({ collectDefault: true });
    const persist = options.persist
      ? new PersistQueue({
        store,
        batchSize: config.database.batch_size,
        spillDir: join(config.database.data_dir, "spill"),
        archiveRoot: archiveRoot(config.database.data_dir),
        logger: logger.child({ component: "persist" }),
        onBatch: (_result, ms) => late.observeBatch?.(ms / 1000),
      })
      : undefined;
    if (persist !== undefined) cleanup.push(() => persist.close());

    const pipeline = new Pipeline({
      instruments,
      persist,
      publisher,
      slotBytes: schema === "trades" ? 48 : schema === "mixed" ? 80 : 368,
      logger,
    });
    late.pipeline = pipeline;
    const sources = { provider, pipeline, persist, symbols: options.symbols };
    const { refresh, batchSeconds } = ingestMetrics(metrics, sources);
    late.observeBatch = (seconds) => batchSeconds.observe(seconds);
    const refresher = setInterval(refresh, 1000);
    cleanup.push(() => clearInterval(refresher));

    const app = createServiceApp({
      service: "ingest",
      version: "0.1.0",
      metrics,
      checks: ingestChecks(sources),
      logger,
    });
    const http = await serveApp(app, {
      hostname: config.http.host,
      port: options.port ?? config.http.ingest_port,
      logger,
    });
    cleanup.push(() => http.shutdown());

    await provider.subscribe(options.symbols, options.feeds);
    provider.connect().then(
      () => logger.info("Connected", { provider: options.provider }),
      (error) => logger.error("Provider stopped", { error: (error as Error).message }),
    );
    logger.info("Serving", {
      provider: options.provider,
      exchange,
      symbols: options.symbols.join(","),
      feeds: options.feeds.join(","),
      ipc: options.ipc,
      persist: options.persist,
      http: http.url,
    });
    const finished = (provider as { done?: Promise<void> }).done;
    let stopping: Promise<void> | undefined;
    return {
      provider,
      pipeline,
      persist,
      publisher,
      http,
      finished,
      stop: () => {
        stopping ??= (async () => {
          await provider.disconnect();
          refresh();
          await undo();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await undo();
    throw error;
  }
}

/** The store for instrument ids: the configured one; without --persist, an in-memory fallback. */
async function openRegistryStore(options: IngestServiceOptions, logger: Logger): Promise<Store> {
  try {
    return await openStore(options.config.database, { migrate: true, applicationName: "ingest" });
  } catch (error) {
    if (options.persist) throw error;
    logger.warn("Database unavailable; instrument ids from an in-memory registry", {
      error: (error as Error).message,
      dir: pgliteDir(options.config.database),
    });
    const store = await openPgliteStore(undefined);
    await migrate(store);
    return store;
  }
}

/** Fails with one line naming unknown symbols and the venue's closest matches. */
async function checkListed(
  provider: LiveStreamProvider,
  symbols: readonly string[],
  logger: Logger,
): Promise<void> {
  if (provider.info.name === "synthetic") return;
  let listed: string[];
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const discovered = await Promise.race([
      provider.discoverSymbols(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new VenueError("connection", "symbol discovery timed out")),
          DISCOVERY_TIMEOUT_MS,
        );
      }),
    ]);
    listed = discovered.map((symbol) => symbol.symbol);
  } catch (error) {
    logger.warn("Cannot check symbols against the venue's listing", {
      error: (error as Error).message,
    });
    return;
  } finally {
    clearTimeout(timer);
  }
  const line = unknownSymbolsLine(provider.info.name, symbols, listed);
  if (line !== undefined) throw new VenueError("unknown_symbol", line);
}
