// End to end: a fake Kraken (documented v2 frames) -> `deno task serve --persist --ipc` in its own
// process -> rows in the database and records in the shared-memory channels, with equal counts,
// through a malformed frame, an unknown symbol and a disconnect mid-stream. Runs on PGlite
// everywhere and on Postgres when DATABASE_URL is set.
import assert from "node:assert/strict";
import { join } from "node:path";
import { ChannelReader, RecordBatch } from "@shared/ipc/mod.ts";
import { removeNamespace, uniqueNamespace } from "@shared/ipc/testing.ts";
import { openPgliteStore, type Store } from "@shared/storage/mod.ts";
import { openFreshPostgres, TEST_DATABASE_URL } from "@shared/storage/testing.ts";
import { startFakeKraken, tradeFrame } from "@services/ingest/providers/kraken/fake_server.ts";
import { freePort } from "./_process.ts";
import { ROOT } from "./_run_script.ts";

const TRADES_PER_SYMBOL = 150;
const FRAME = 10;

interface Backend {
  name: string;
  ignore: boolean;
  /** The env of serve, and a store to count rows in once serve has stopped. */
  open(dataDir: string): Promise<{ env: Record<string, string>; store: () => Promise<Store> }>;
}

const BACKENDS: Backend[] = [
  {
    name: "pglite",
    ignore: false,
    open: (dataDir) =>
      Promise.resolve({
        env: { DATABASE_URL: "" }, // an empty value is ignored: the embedded store
        store: () => openPgliteStore(join(dataDir, "pglite")),
      }),
  },
  {
    name: "postgres",
    ignore: TEST_DATABASE_URL === undefined,
    open: async () => {
      const store = await openFreshPostgres();
      return { env: { DATABASE_URL: store.url! }, store: () => Promise.resolve(store) };
    },
  },
];

function readAll(reader: ChannelReader, batch: RecordBatch, into: bigint[]): void {
  while (reader.poll(batch) > 0) {
    for (let i = 0; i < batch.count; i++) {
      into.push(batch.view.getBigInt64(batch.offset(i) + 16, true));
    }
  }
}

for (const backend of BACKENDS) {
  Deno.test({
    name:
      `serve --persist --ipc: fake Kraken trades land in the database and the channels, counts equal (${backend.name})`,
    ignore: backend.ignore,
    sanitizeResources: false,
    async fn() {
      const fake = await startFakeKraken();
      const dataDir = await Deno.makeTempDir({ prefix: "serve_e2e_" });
      const namespace = uniqueNamespace("serve_e2e");
      const db = await backend.open(dataDir);
      const port = freePort();
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--quiet",
          "--allow-all",
          "services/ingest/main.ts",
          "serve",
          "--live",
          "--provider",
          "kraken",
          "--symbols",
          "BTCUSD,ETHUSD",
          "--persist",
          "--ipc",
          "--instance-id",
          "e2e",
          "--port",
          String(port),
          "--mode",
          "test",
        ],
        cwd: ROOT,
        env: {
          ...db.env,
          NO_COLOR: "1",
          LOG_LEVEL: "warn",
          KRAKEN_WS_URL: fake.wsUrl,
          KRAKEN_REST_URL: fake.restUrl,
          TRADING__DATABASE__DATA_DIR: dataDir,
          TRADING__DATABASE__BATCH_SIZE: "64",
          TRADING__IPC__NAMESPACE: namespace,
          TRADING__IPC__CAPACITY: "4096",
        },
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const readers: ChannelReader[] = [];
      try {
        await fake.waitFor(() => fake.subscriptions("trade").size === 2, 60_000);
        for (const symbol of ["BTCUSD", "ETHUSD"]) {
          readers.push(ChannelReader.open({
            namespace,
            key: { symbol, exchange: "KRAKEN", instanceId: "e2e" },
            from: "oldest",
          }));
        }
        const sent: string[] = [];
        const send = (from: number, to: number) => {
          for (let n = from; n < to; n += FRAME) {
            const trades = [];
            for (let k = n; k < Math.min(to, n + FRAME); k++) {
              const symbol = k % 2 === 0 ? "BTC/USD" : "ETH/USD";
              const price = `${k % 2 === 0 ? 50000 : 3000}.${String(k).padStart(4, "0")}0`;
              trades.push(
                {
                  symbol,
                  price,
                  qty: "0.10000000",
                  tradeId: k + 1,
                  side: k % 3 ? "buy" : "sell",
                } as const,
              );
              sent.push(price);
            }
            fake.broadcast(tradeFrame("update", trades));
          }
        };
        const total = TRADES_PER_SYMBOL * 2;
        send(0, total / 2);
        fake.broadcast("{not json");
        fake.broadcast(tradeFrame("update", [{ symbol: "XRP/USD", price: "0.5", qty: "1" }]));
        const opened = fake.connectionsOpened();
        await fake.waitFor(() => fake.connections() === 1);
        fake.dropAll();
        await fake.waitFor(
          () => fake.connectionsOpened() > opened && fake.subscriptions("trade").size === 2,
          30_000,
        );
        send(total / 2, total);

        const prices: bigint[] = [];
        const batch = new RecordBatch(readers[0]!.slotBytes, 256);
        const deadline = Date.now() + 60_000;
        while (prices.length < total && Date.now() < deadline) {
          for (const reader of readers) readAll(reader, batch, prices);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        assert.equal(prices.length, total, "records in the channels");

        await new Promise((resolve) => setTimeout(resolve, 1200)); // metrics refresh every second
        const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
        assert.equal(health.checks.provider_kraken.status, "ok");
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        assert.match(metrics, /ingest_dropped_total\{reason="malformed_json"\} 1/);
        assert.match(metrics, /ingest_reconnections\{provider="kraken"\} [1-9]/);

        child.kill("SIGTERM");
        const { code, stdout, stderr } = await child.output();
        const out = new TextDecoder().decode(stdout);
        assert.equal(code, 0, new TextDecoder().decode(stderr));
        assert.match(out, new RegExp(`received ${total} trades`));
        assert.match(out, new RegExp(`published ${total};`));
        assert.match(out, new RegExp(`persisted ${total} `));

        const store = await db.store();
        try {
          const { rows } = await store.query(
            "SELECT count(*)::int8 AS n, count(DISTINCT trade_id)::int8 AS ids, min(quantity::text) AS q FROM tick_data",
          );
          assert.equal(Number(rows[0]!.n), total, "rows in the database");
          assert.equal(Number(rows[0]!.ids), total);
          assert.equal(rows[0]!.q, "0.10000000");
          const stored = await store.query("SELECT price FROM tick_data ORDER BY price");
          const expected = sent.map((p) => BigInt(p.replace(".", "")) * 10n ** 4n).sort((a, b) =>
            a < b ? -1 : a > b ? 1 : 0
          );
          assert.deepEqual(stored.rows.map((r) => BigInt(r.price as string)), expected);
          assert.deepEqual([...prices].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), expected);
        } finally {
          await store.close();
        }
      } catch (error) {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
        const { stderr } = await child.output().catch(() => ({ stderr: new Uint8Array() }));
        const log = new TextDecoder().decode(stderr).split("\n").slice(-20).join("\n");
        throw new Error(`${(error as Error).message}\nserve stderr (last lines):\n${log}`, {
          cause: error,
        });
      } finally {
        for (const reader of readers) reader.close();
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
        await child.status;
        await fake.close();
        removeNamespace(namespace);
        await Deno.remove(dataDir, { recursive: true });
      }
    },
  });
}

Deno.test("symbol discover lists the fake Kraken's pairs; serve refuses unlisted symbols with the closest ones", async () => {
  const fake = await startFakeKraken();
  const dataDir = await Deno.makeTempDir({ prefix: "serve_e2e_" });
  const env = {
    NO_COLOR: "1",
    DATABASE_URL: "",
    KRAKEN_WS_URL: fake.wsUrl,
    KRAKEN_REST_URL: fake.restUrl,
    TRADING__DATABASE__DATA_DIR: dataDir,
  };
  const run = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--allow-all", "services/ingest/main.ts", ...args, "--mode", "test"],
      cwd: ROOT,
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    return {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    };
  };
  try {
    const discover = await run("symbol", "discover", "--provider", "kraken", "--json");
    assert.equal(discover.code, 0, discover.stderr);
    const listed = JSON.parse(discover.stdout) as { symbol: string; venueSymbol: string }[];
    const btc = listed.find((s) => s.symbol === "BTCUSD");
    assert.ok(btc !== undefined, discover.stdout);
    assert.ok(listed.some((s) => s.symbol === "DOGEUSD"), "XDG is mapped to DOGE");

    const serve = await run(
      "serve",
      "--provider",
      "kraken",
      "--symbols",
      "BTCUSD,ETHUSX",
      "--port",
      "0",
    );
    assert.equal(serve.code, 2, serve.stderr);
    const lines = serve.stderr.trim().split("\n").filter((line) => line.startsWith("error:"));
    assert.equal(lines.length, 1, serve.stderr);
    assert.match(lines[0]!, /^error: Unknown symbols for kraken: ETHUSX \(closest: ETHUSD/);
    assert.equal(fake.connectionsOpened(), 0, "nothing streamed for a refused symbol list");
  } finally {
    await fake.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
