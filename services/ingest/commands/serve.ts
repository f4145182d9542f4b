/**
 * `deno task serve`: stream a provider's symbols into IPC channels and the database (seed 001,
 * "Data Manager CLI"). Flags as the seed's, plus `--feeds`, `--replay/--speed`, `--rate/--seed`
 * and `--port`. Runs until SIGINT/SIGTERM, `--duration`, or the end of a replay.
 * @module
 */
import {
  durationFlag,
  intFlag,
  listFlag,
  numberFlag,
  parseFlags,
  UsageError,
  waitForStop,
  writeStdout,
} from "@shared/cli/mod.ts";
import { createLogger } from "@shared/obs/mod.ts";
import { validateExchange, validateSymbol } from "@shared/domain/mod.ts";
import { VenueError } from "@shared/venue/mod.ts";
import { type Feed, FEEDS } from "../providers/events.ts";
import { isLiveProvider, LIVE_PROVIDERS } from "../providers/factory.ts";
import { ProviderRouter } from "../routing.ts";
import { startIngestService } from "../serve/service.ts";
import { checked, CONFIG_HELP, CONFIG_OPTIONS, configFrom, expectPositionals } from "./_context.ts";

/** Help of `serve`. */
export const SERVE_USAGE = `Usage: deno task serve [options]

Streams live (or replayed, or synthetic) market data into IPC channels and the database.

  --live                 stream from the provider (the default; kept from the seed's CLI)
  --provider P           ${LIVE_PROVIDERS.join(", ")} (default: [routing] realtime route)
  --symbols A,B          canonical symbols (default: the config's symbols)
  --feeds F,G            ${FEEDS.join(", ")} (default: trades)
  --ipc                  publish to shared-memory channels, register, serve the control socket
  --ipc-symbols A,B      symbols whose channels open at start (default: all; others on SUBSCRIBE)
  --persist              write trades to the database (batched; spilled to disk while it is down)
  --instance-id ID       names the channels, control socket and registry entry
  --demo                 use the venue's demo/testnet URLs
  --duration D           stop after D (e.g. 90s, 5m, 2h; a bare number is seconds)
  --exchange E           replay, synthetic: the exchange stored with the ticks
  --replay PATH          replay: a .dbn/.dbn.zst file or a folder of them (default feeds: all)
  --speed N              replay speed: 1 real time, N times faster, 0 full speed (default 1)
  --loop                 replay: start over at the end
  --rate N               synthetic: events per second, 0 = full speed (default 100)
  --seed N               synthetic: random seed (default 42)
  --max-events N         synthetic: stop after N events
  --port N               HTTP port for /health and /metrics (default [http] ingest_port)

Venue URLs come from [venues.<venue>] and <VENUE>_WS_URL / <VENUE>_REST_URL.

${CONFIG_HELP}`;

const SERVE_OPTIONS = {
  ...CONFIG_OPTIONS,
  live: { type: "boolean" },
  provider: { type: "string" },
  symbols: { type: "string" },
  feeds: { type: "string" },
  ipc: { type: "boolean" },
  "ipc-symbols": { type: "string" },
  persist: { type: "boolean" },
  "instance-id": { type: "string" },
  demo: { type: "boolean" },
  duration: { type: "string" },
  replay: { type: "string" },
  exchange: { type: "string" },
  speed: { type: "string" },
  loop: { type: "boolean" },
  rate: { type: "string" },
  seed: { type: "string" },
  "max-events": { type: "string" },
  port: { type: "string" },
} as const;

/** Runs `serve <args>`; returns the exit code. */
export async function serveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    options: SERVE_OPTIONS,
    allowPositionals: true,
  });
  if (values.help) {
    writeStdout(SERVE_USAGE);
    return 0;
  }
  expectPositionals(positionals, 0, "deno task serve [options]");
  const config = configFrom(values);
  const symbols = values.symbols === undefined
    ? [...config.symbols]
    : listFlag("symbols", values.symbols);
  for (const symbol of symbols) checked(() => validateSymbol(symbol));
  const ipcSymbols = values["ipc-symbols"] === undefined
    ? undefined
    : listFlag("ipc-symbols", values["ipc-symbols"]);
  if (ipcSymbols !== undefined && !values.ipc) {
    throw new UsageError('Option "--ipc-symbols" needs --ipc');
  }
  const missing = ipcSymbols?.filter((symbol) => !symbols.includes(symbol)) ?? [];
  if (missing.length > 0) {
    throw new UsageError(`IPC symbols not among --symbols: ${missing.join(", ")}`);
  }
  const feeds = values.feeds === undefined
    ? ["trades" as Feed]
    : listFlag("feeds", values.feeds).map(
      (feed) => {
        if (!(FEEDS as readonly string[]).includes(feed)) {
          throw new UsageError(
            `Unknown feed ${JSON.stringify(feed)} (expected ${FEEDS.join(", ")})`,
          );
        }
        return feed as Feed;
      },
    );
  const provider = resolveProvider(values.provider, symbols, config.routing);
  if (provider === "replay" && values.feeds === undefined) feeds.splice(0, 1, ...FEEDS);
  if (values.exchange !== undefined && provider !== "replay" && provider !== "synthetic") {
    throw new UsageError(`Option "--exchange" applies to replay and synthetic only`);
  }
  if (provider === "replay" && values.replay === undefined) {
    throw new UsageError("Provider replay needs --replay PATH (a .dbn/.dbn.zst file or a folder)");
  }
  const durationMs = values.duration === undefined
    ? undefined
    : durationFlag("duration", values.duration);
  const logger = createLogger({
    level: config.log.level,
    format: config.log.format,
    service: "ingest",
  });

  let service;
  try {
    service = await startIngestService({
      config,
      provider,
      symbols,
      feeds,
      ipc: values.ipc ?? false,
      ipcSymbols,
      persist: values.persist ?? false,
      instanceId: values["instance-id"],
      port: values.port === undefined ? undefined : intFlag("port", values.port, 0, 65535),
      logger,
      setup: {
        demo: values.demo ?? false,
        exchange: values.exchange === undefined
          ? undefined
          : checked(() => validateExchange(values.exchange!)),
        replay: values.replay === undefined ? undefined : {
          path: values.replay,
          speed: values.speed === undefined ? 1 : numberFlag("speed", values.speed),
          loop: values.loop ?? false,
        },
        synthetic: {
          rate: values.rate === undefined ? 100 : numberFlag("rate", values.rate),
          seed: values.seed === undefined ? 42 : intFlag("seed", values.seed, 0, 2 ** 32 - 1),
          maxEvents: values["max-events"] === undefined
            ? undefined
            : intFlag("max-events", values["max-events"], 1, Number.MAX_SAFE_INTEGER),
        },
      },
    });
  } catch (error) {
    if (
      error instanceof VenueError && (error.code === "unknown_symbol" || error.code === "rejected")
    ) {
      throw new UsageError(error.message, { cause: error });
    }
    throw error;
  }

  const reason = await waitForStop({ durationMs, finished: service.finished });
  logger.info("Stopping", { reason });
  await service.stop();
  const { counters } = service.pipeline;
  const persist = service.persist?.stats;
  writeStdout(
    `serve: ${reason}; received ${counters.received.trade} trades, ${counters.received.bbo} quotes, ${counters.received.book} books; ` +
      `published ${counters.published}; persisted ${persist?.persisted ?? 0} (duplicates ${
        persist?.duplicates ?? 0
      }, spilled ${persist?.spilled ?? 0}); dropped ${service.pipeline.droppedTotal}\n`,
  );
  return 0;
}

function resolveProvider(
  flag: string | undefined,
  symbols: string[],
  routing: ConstructorParameters<typeof ProviderRouter>[0],
) {
  const router = new ProviderRouter(routing);
  const names = new Set(
    symbols.map((symbol) => router.resolve({ symbol, mode: "realtime" }, flag).provider),
  );
  if (names.size > 1) {
    throw new UsageError(
      `The symbols route to several providers (${
        [...names].join(", ")
      }); pass --provider or run one serve per provider`,
    );
  }
  const [name] = names;
  if (name === undefined || !isLiveProvider(name)) {
    throw new UsageError(
      `Provider ${JSON.stringify(name)} cannot stream live (expected one of ${
        LIVE_PROVIDERS.join(", ")
      })`,
    );
  }
  return name;
}
