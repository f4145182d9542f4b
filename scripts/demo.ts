/**
 * `deno task demo`: the whole platform in one command on a fresh machine. The ingest service
 * streams the synthetic market (or replays a .dbn file) into shared-memory channels and the
 * database (embedded PGlite unless DATABASE_URL is set); the trader reads those channels, keeps
 * the tick cache (memory, plus Redis when REDIS_URL is set) and paper trades. Both run in this
 * process so they can share the embedded database, and talk through real /dev/shm channels, the
 * registry and the control socket. Live lines print as it goes; Ctrl+C or --duration ends it
 * with a summary.
 *
 * Exit codes: 0 ok, 2 bad flags, 1 failure.
 * @module
 */
import {
  durationFlag,
  intFlag,
  listFlag,
  numberFlag,
  parseFlags,
  runMain,
  UsageError,
  waitForStop,
  writeStdout,
} from "@shared/cli/mod.ts";
import { CONFIG_HELP, CONFIG_OPTIONS, configFrom } from "@shared/cli/config_flags.ts";
import type { AppConfig } from "@shared/config/mod.ts";
import { validateSymbol } from "@shared/domain/mod.ts";
import { namespaceDir } from "@shared/ipc/mod.ts";
import { createLogger } from "@shared/obs/mod.ts";
import { openStore, pgliteDir } from "@shared/storage/mod.ts";
import { discoverFileSymbols } from "@services/ingest/providers/replay/discovery.ts";
import { listReplayFiles } from "@services/ingest/providers/replay/files.ts";
import { startIngestService } from "@services/ingest/serve/service.ts";
import { formatSummary } from "@services/trader/commands/live_summary.ts";
import type { StrategySpec } from "@services/trader/paper/specs.ts";
import { startTraderService } from "@services/trader/service.ts";

const USAGE = `Usage: deno task demo [options]

Runs ingest (synthetic market or --replay) with persistence and IPC, plus the trader with paper
trading, in one process on the embedded defaults. Ctrl+C (or --duration) stops it with a summary.

  --replay FILE       replay a .dbn/.dbn.zst file (or a folder) instead of the synthetic market
  --speed N           replay speed: 1 real time, N times faster, 0 full speed (default 1)
  --symbols A,B       synthetic symbols (default BTCUSD,ETHUSD)
  --rate N            synthetic trades per second over all symbols (default 200)
  --seed N            synthetic random seed (default 42)
  --strategy S,T      strategies (default: sma on 20-tick bars and momentum on 50-tick bars)
  --duration D        stop after D (e.g. 30s, 5m)
  --quiet             no live lines, only the summary

${CONFIG_HELP}`;

const OPTIONS = {
  ...CONFIG_OPTIONS,
  replay: { type: "string" },
  speed: { type: "string" },
  symbols: { type: "string" },
  rate: { type: "string" },
  seed: { type: "string" },
  strategy: { type: "string" },
  duration: { type: "string" },
  quiet: { type: "boolean" },
} as const;

/** Strategies that trade within seconds of synthetic data (1m bars would take many minutes). */
const DEMO_STRATEGIES: Omit<StrategySpec, "symbols">[] = [
  { strategy: "sma", params: { short: "5", long: "20", timeframe: "20t", quantity: "0.1" } },
  { strategy: "momentum", params: { timeframe: "50t", quantity: "0.1" } },
];

async function main(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { options: OPTIONS });
  if (values.help) {
    writeStdout(USAGE);
    return 0;
  }
  const base = configFrom(values);
  const config: AppConfig = {
    ...base,
    // A namespace of our own, so a demo never mixes with a running serve or an earlier demo.
    ipc: { ...base.ipc, namespace: `${base.ipc.namespace}-demo-${Deno.pid}` },
    paper_trading: { ...base.paper_trading, status_interval_secs: 10 },
  };
  const replay = values.replay;
  const symbols = replay !== undefined
    ? await replaySymbols(replay)
    : listFlag("symbols", values.symbols ?? "BTCUSD,ETHUSD").map((s) => {
      try {
        return validateSymbol(s);
      } catch (e) {
        throw new UsageError(`Option "--symbols": ${(e as Error).message}`);
      }
    });
  const strategies: StrategySpec[] = values.strategy === undefined
    ? DEMO_STRATEGIES.map((s) => ({ ...s, symbols }))
    : listFlag("strategy", values.strategy).map((strategy) => ({ strategy, symbols, params: {} }));
  const durationMs = values.duration === undefined
    ? undefined
    : durationFlag("duration", values.duration);
  const quiet = values.quiet === true;
  const out = (line: string) => writeStdout(`${line}\n`);
  const logger = createLogger({ level: "warn", format: "pretty", service: "demo" });

  const store = await openStore(config.database, { migrate: true, applicationName: "demo" });
  const where = config.database.url === undefined
    ? `embedded PGlite in ${pgliteDir(config.database)}`
    : "Postgres (DATABASE_URL)";
  try {
    const ingest = await startIngestService({
      config,
      provider: replay === undefined ? "synthetic" : "replay",
      symbols,
      feeds: ["trades"],
      ipc: true,
      persist: true,
      instanceId: "demo",
      store,
      logger: logger.child({ service: "ingest" }),
      setup: {
        demo: false,
        replay: replay === undefined ? undefined : {
          path: replay,
          speed: values.speed === undefined ? 1 : numberFlag("speed", values.speed),
          loop: false,
        },
        synthetic: {
          rate: values.rate === undefined ? 200 : intFlag("rate", values.rate, 1, 1_000_000),
          seed: values.seed === undefined ? 42 : intFlag("seed", values.seed, 0, 2 ** 32 - 1),
        },
      },
    });
    let trader;
    try {
      trader = await startTraderService({
        config,
        symbols: symbols.map((symbol) => ({ symbol })),
        strategies,
        store,
        // The channels were made for this run: read them from their first record.
        fromOldest: true,
        out: quiet ? undefined : out,
        logger: logger.child({ service: "trader" }),
      });
    } catch (error) {
      await ingest.stop();
      throw error;
    }
    out(
      `demo: ${
        replay === undefined ? `synthetic ${symbols.join(", ")}` : `replay ${replay}`
      } -> ingest (${where}, IPC namespace ${config.ipc.namespace}) -> trader (${
        trader.paper?.slots.map((s) => `${s.strategyId} ${s.symbol}`).join(", ")
      }); cache ${
        trader.cache.stats().l2Status === "disabled" ? "L1 memory" : "L1 memory + L2 Redis"
      }`,
    );
    out(`demo: health ${health(ingest.http.url)} (ingest), ${health(trader.http.url)} (trader)`);
    const progress = setInterval(() => {
      if (quiet) return;
      const p = ingest.persist?.stats;
      out(
        `demo: ingested ${ingest.pipeline.counters.received.trade}, persisted ${
          p?.persisted ?? 0
        }, delivered ${trader.pipeline.counters.received}`,
      );
    }, 5000);
    const reason = await waitForStop({
      durationMs,
      finished: ingest.finished,
      finishedReason: "end of replay",
    });
    clearInterval(progress);
    // Ingest first (it flushes what it holds), then the trader once it has read everything.
    await ingest.stop();
    await settle(() => trader.pipeline.counters.received, 500);
    await trader.stop();
    const persisted = ingest.persist?.stats;
    out(
      `demo: ingested ${ingest.pipeline.counters.received.trade} trades, persisted ${
        persisted?.persisted ?? 0
      } (duplicates ${
        persisted?.duplicates ?? 0
      }), published ${ingest.pipeline.counters.published} to IPC`,
    );
    writeStdout(formatSummary(reason, trader.summary(), trader.http.url));
    out(`  ingest health: ${health(ingest.http.url)}`);
    return 0;
  } finally {
    await store.close();
    await Deno.remove(namespaceDir(config.ipc.namespace), { recursive: true }).catch(() => {});
  }
}

/** The canonical symbols of the replay files (one-line error when there are none). */
async function replaySymbols(path: string): Promise<string[]> {
  let files: string[];
  try {
    files = await listReplayFiles(path);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const symbols = new Set<string>();
  for (const file of files) {
    for (const symbol of await discoverFileSymbols(file)) symbols.add(symbol);
  }
  if (symbols.size === 0) throw new UsageError(`No symbols in ${path}`);
  return [...symbols];
}

function health(url: string): string {
  return new URL("/health", url).href;
}

/** Waits until `count()` stops changing for `quietMs`. */
async function settle(count: () => number, quietMs: number): Promise<void> {
  let last = -1;
  while (count() !== last) {
    last = count();
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

await runMain(main);
