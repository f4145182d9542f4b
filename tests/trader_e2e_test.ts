// End to end with real processes against the real Postgres and a real Redis: `deno task serve`
// (synthetic market, --ipc --persist) -> shared memory -> `deno task live` paper trading a strategy
// that decides on every tick. Counts match at every stage; kill -9 of the ingest raises "IPC
// disconnected", its restart resumes the feed with a reported gap; Redis killed mid-run leaves
// trading going and raises the cache-failure alert. The Redis here is a private redis-server so
// stopping it disturbs nothing else; the test is ignored without DATABASE_URL and REDIS_URL.
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { inspectChannel } from "@shared/ipc/mod.ts";
import { removeNamespace, uniqueNamespace } from "@shared/ipc/testing.ts";
import { recentStrategyLog } from "@shared/storage/mod.ts";
import { openFreshPostgres, TEST_DATABASE_URL } from "@shared/storage/testing.ts";
import { ChildProcess, freePort, metricValue, waitFor } from "./_process.ts";

const REDIS_SERVER = "/usr/bin/redis-server";
const haveRedisServer = (() => {
  try {
    return Deno.statSync(REDIS_SERVER).isFile;
  } catch {
    return false;
  }
})();
const IGNORE = TEST_DATABASE_URL === undefined || Deno.env.get("REDIS_URL") === undefined ||
  !haveRedisServer;
const CHANNEL = "data_manager_e2e__BTCUSD_SYNTHETIC";

interface AlertBody {
  rule: string;
  key: string;
  severity: string;
  state: string;
  message: string;
}

function startRedis(port: number): Deno.ChildProcess {
  return new Deno.Command(REDIS_SERVER, {
    args: ["--port", String(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"],
    stdout: "null",
    stderr: "null",
  }).spawn();
}

Deno.test({
  name:
    "serve -> IPC -> live: counts match, kill -9 alerts and resumes with a gap, Redis down keeps trading",
  ignore: IGNORE,
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const store = await openFreshPostgres();
  const namespace = uniqueNamespace("e2e");
  const redisPort = freePort();
  const redisServer = startRedis(redisPort);
  const redis = new Redis({
    port: redisPort,
    host: "127.0.0.1",
    lazyConnect: true,
    maxRetriesPerRequest: 0,
  });
  redis.on("error", () => {});
  const alerts: AlertBody[] = [];
  const webhook = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      alerts.push(await req.json());
      return new Response("ok");
    },
  );
  const env = {
    DATABASE_URL: store.url!,
    TRADING__IPC__NAMESPACE: namespace,
    TRADING__IPC__HEARTBEAT_SECS: "1",
    TRADING__IPC__STALE_AFTER_SECS: "3",
    // 40 s of the synthetic feed: a trader starved of CPU by parallel tests must not be lapped.
    TRADING__IPC__CAPACITY: "16384",
  };
  const ingestArgs = [
    "serve",
    "--mode",
    "test",
    "--provider",
    "synthetic",
    "--symbols",
    "BTCUSD,ETHUSD",
    // BTCUSD opens on the trader's SUBSCRIBE, so every BTCUSD record published reaches it.
    "--ipc",
    "--ipc-symbols",
    "ETHUSD",
    "--persist",
    "--instance-id",
    "e2e",
    "--rate",
    "400",
  ];
  const traderPort = freePort();
  const traderEnv = {
    ...env,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    TRADING__ALERTING__ENABLED: "true",
    TRADING__ALERTING__INTERVAL_SECS: "1",
    TRADING__ALERTING__WEBHOOK_URL: `http://127.0.0.1:${webhook.addr.port}/alerts`,
    TRADING__PAPER_TRADING__LOG_FLUSH_MS: "200",
  };
  const metrics = () =>
    fetch(`http://127.0.0.1:${traderPort}/metrics`).then((r) => r.text(), () => "");
  const received = async () => metricValue(await metrics(), "trader_ticks_received_total") ?? 0;
  const fired = (rule: string) =>
    alerts.find((a) => a.rule === rule && a.state === "firing" && a.key !== "queue");
  const ingestPort = freePort();
  const ingestUp = () =>
    fetch(`http://127.0.0.1:${ingestPort}/health`).then(
      (r) => r.body?.cancel().then(() => r.ok),
      () => false,
    );
  let ingest = new ChildProcess("services/ingest/main.ts", [
    ...ingestArgs,
    "--port",
    String(ingestPort),
  ], env);
  let trader: ChildProcess | undefined;
  try {
    await waitFor(
      "redis-server to listen",
      () =>
        Deno.connect({ hostname: "127.0.0.1", port: redisPort }).then((c) => {
          c.close();
          return true;
        }, () => false),
    );
    await redis.connect();
    await waitFor("ingest to serve", ingestUp);
    trader = new ChildProcess("services/trader/main.ts", [
      "live",
      "--mode",
      "test",
      "--symbols",
      "BTCUSD",
      "--port",
      String(traderPort),
      "--strategy",
      "tests/fixtures/every_tick_strategy.ts",
    ], traderEnv);

    // Stage 1: everything published to BTCUSD is read, processed and cached.
    await waitFor("300 trades at the trader", async () => (await received()) >= 300);
    assert.equal(await redis.llen("test:ticks:BTCUSD"), 100); // [cache.redis] max_ticks_per_symbol
    const newest = JSON.parse((await redis.lrange("test:ticks:BTCUSD", 0, 0))[0]!);
    assert.equal(newest.symbol, "BTCUSD");
    assert.match(newest.price, /^\d+(\.\d+)?$/);

    // kill -9: the trader reads what is left, then raises IPC disconnected (CRITICAL).
    ingest.kill("SIGKILL");
    await ingest.exit();
    const published1 = inspectChannel(namespace, CHANNEL).writeSequence;
    const alert = await waitFor("ipc_disconnected", () => fired("ipc_disconnected"), 20_000);
    assert.equal(alert.severity, "CRITICAL");
    assert.equal(alert.key, "BTCUSD");
    await waitFor("the trader to read the rest", async () => (await received()) === published1);

    // Restart: the trader resumes and reports the gap.
    await new Promise((resolve) => setTimeout(resolve, 3500)); // the dead entry goes stale
    ingest = new ChildProcess("services/ingest/main.ts", [
      ...ingestArgs,
      "--max-events",
      "4000",
      "--port",
      String(freePort()),
    ], env);
    await waitFor(
      "the gap report",
      () => / GAP {3}BTCUSD resumed after [\d.]+ s down/.test(trader!.stdout),
      30_000,
    );
    await waitFor("trades after the restart", async () => (await received()) >= published1 + 100);

    // Redis dies: trading goes on, the cache-failure alert fires.
    redisServer.kill("SIGKILL");
    await redisServer.status;
    const atOutage = await received();
    const cacheAlert = await waitFor(
      "cache_failure_rate",
      () => fired("cache_failure_rate"),
      20_000,
    );
    assert.equal(cacheAlert.severity, "WARNING");
    await waitFor("trades while Redis is down", async () => (await received()) >= atOutage + 100);

    // The ingest stops by itself after --max-events, persisting everything it received.
    assert.equal(await ingest.exit(60_000), 0);
    const line = ingest.stdout.match(/received (\d+) trades.*persisted (\d+)/);
    assert.ok(line, ingest.stdout);
    assert.equal(line[2], line[1]);
    const published = inspectChannel(namespace, CHANNEL).writeSequence;
    await waitFor("the trader to read everything", async () => (await received()) === published);

    trader.kill("SIGINT");
    assert.equal(await trader.exit(), 0, trader.stderr);
    const summary = trader.stdout.match(
      /(\d+) trades delivered over IPC, (\d+) processed, 0 rejected, 0 lost to overrun, (\d+) reconnects/,
    );
    assert.ok(summary, trader.stdout);
    assert.deepEqual([Number(summary[1]), Number(summary[2])], [published, published]);
    assert.ok(Number(summary[3]) >= 1);
    const decisions = trader.stdout.match(
      /every_tick BTCUSD on SIM-001: (\d+) decisions, (\d+) fills/,
    );
    assert.equal(Number(decisions?.[1]), published);
    assert.ok(Number(decisions?.[2]) > 0);
    const rows = await recentStrategyLog(store, { strategyId: "every_tick", limit: 1_000_000 });
    assert.equal(rows.length, published);
  } catch (e) {
    const tail = (text: string | undefined) => (text ?? "").slice(-2000);
    const m = await metrics();
    const counts = `received ${metricValue(m, "trader_ticks_received_total")}, lost ${
      metricValue(m, "trader_ipc_records_lost", '{symbol="BTCUSD"}')
    }`;
    throw new Error(
      `${(e as Error).message}\n--- trader: ${counts}; channel write sequence ${
        inspectChannel(namespace, CHANNEL).writeSequence
      }\n--- alerts: ${JSON.stringify(alerts)}\n--- trader stderr:\n${
        tail(trader?.stderr)
      }\n--- trader stdout:\n${tail(trader?.stdout)}\n--- ingest stderr:\n${tail(ingest.stderr)}`,
      { cause: e },
    );
  } finally {
    trader?.kill("SIGKILL");
    ingest.kill("SIGKILL");
    await trader?.exit();
    await ingest.exit();
    redis.disconnect();
    try {
      redisServer.kill("SIGKILL");
    } catch { /* already stopped */ }
    await redisServer.status;
    await webhook.shutdown();
    removeNamespace(namespace);
    await store.close();
  }
});
