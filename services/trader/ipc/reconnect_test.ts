import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ChannelWriter, IpcPublisher } from "@shared/ipc/mod.ts";
import { testWithNamespace } from "@shared/ipc/testing.ts";
import { IpcExchange } from "./ipc_exchange.ts";
import { Recorder, tradeRecord, waitFor } from "./_test_helpers.ts";

const WRITER_SCRIPT = fileURLToPath(new URL("./testdata/writer_process.ts", import.meta.url));
const CONFIG = fileURLToPath(new URL("../../../deno.json", import.meta.url));
const KEY = { symbol: "BTCUSD", exchange: "KRAKEN" };

/** Starts the writer subprocess and waits for its "ready" line. */
async function spawnWriter(namespace: string, tsBase: bigint): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-all",
      "--config",
      CONFIG,
      WRITER_SCRIPT,
      namespace,
      "kraken-a",
      KEY.symbol,
      KEY.exchange,
      String(tsBase),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("ready\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`Writer process exited before it was ready: ${text}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  await child.stdout.cancel();
  return child;
}

testWithNamespace(
  "a killed writer is seen gone by its pid long before the heartbeat is stale; a restart reconnects with a gap report",
  async (namespace) => {
    const child = await spawnWriter(namespace, 1_000_000_000n);
    let killed = false;
    const recorder = new Recorder();
    // staleAfterSecs 600: only the pid check can notice the kill within this test's deadlines
    const exchange = await IpcExchange.start(
      recorder.options(namespace, [{ symbol: "BTCUSD" }], { staleAfterSecs: 600 }),
    );
    let writer: ChannelWriter | undefined;
    try {
      await waitFor(() => recorder.trades.length >= 5, "trades from the writer process");
      child.kill("SIGKILL");
      killed = true;
      await child.status;
      await waitFor(
        () => exchange.status()[0]?.state === "disconnected",
        "the feed to be marked disconnected",
      );
      const down = exchange.status()[0]!;
      assert.match(down.reason ?? "", new RegExp(`^writer pid ${child.pid} is gone$`));
      assert.equal(recorder.statuses.at(-1)?.state, "disconnected");
      const lastBefore = recorder.trades.at(-1)!.tsEvent;

      // The restarted writer publishes before the exchange notices it: that record must arrive
      writer = ChannelWriter.create({
        namespace,
        key: { ...KEY, instanceId: "kraken-a" },
        capacity: 1024,
      });
      const resumed = lastBefore + 5_000_000_000n;
      writer.publish(tradeRecord(resumed, 51_000_000_000_000n));
      await waitFor(() => recorder.gaps.length === 1, "the gap report");
      await waitFor(() => recorder.trades.at(-1)?.tsEvent === resumed, "the first new trade");

      const up = exchange.status()[0]!;
      assert.equal(up.state, "connected");
      assert.equal(up.reconnects, 1);
      assert.equal(up.writerPid, Deno.pid);
      assert.equal(up.generation, 2);
      assert.equal(up.reason, undefined);
      const gap = recorder.gaps[0]!;
      assert.equal(gap.symbol, "BTCUSD");
      assert.equal(gap.lastTsEvent, lastBefore);
      assert.equal(gap.resumedTsEvent, resumed);
      assert.equal(gap.gapNs, 5_000_000_000n);
      assert.match(gap.reason, /is gone$/);
      assert.ok(gap.downMs >= 0);
      const gapAt = recorder.events.findIndex((e) => e.kind === "gap");
      const next = recorder.events.slice(gapAt + 1).find((e) => e.kind === "trade");
      assert.equal(next?.kind === "trade" && next.trade.tsEvent, resumed, "the gap precedes it");
      assert.deepEqual(
        recorder.statuses.map((s) => s.state),
        ["connected", "disconnected", "connected"],
      );
    } finally {
      if (!killed) {
        child.kill("SIGKILL");
        await child.status;
      }
      await exchange.stop();
      writer?.close();
    }
  },
);

testWithNamespace(
  "a writer that closes gracefully, then restarts on the same channel, loses no record in between",
  async (namespace) => {
    const first = ChannelWriter.create({ namespace, key: KEY, capacity: 64 });
    const recorder = new Recorder();
    const exchange = await IpcExchange.start(recorder.options(namespace, [{ symbol: "BTCUSD" }]));
    let second: ChannelWriter | undefined;
    try {
      first.publish(tradeRecord(1n, 1_000_000_000n));
      first.publish(tradeRecord(2n, 1_000_000_000n));
      first.close();
      await waitFor(() => exchange.status()[0]?.state === "disconnected", "the disconnect");
      assert.match(exchange.status()[0]!.reason!, /closed the channel$/);
      second = ChannelWriter.create({ namespace, key: KEY, capacity: 64 });
      for (let ts = 3n; ts <= 5n; ts++) second.publish(tradeRecord(ts, 1_000_000_000n));
      await waitFor(() => recorder.trades.length === 5, "all five trades");
      assert.deepEqual(recorder.trades.map((t) => t.tsEvent), [1n, 2n, 3n, 4n, 5n]);
      assert.equal(recorder.gaps[0]?.gapNs, 1n);
      assert.equal(exchange.status()[0]?.reconnects, 1);
    } finally {
      await exchange.stop();
      second?.close();
    }
  },
);

testWithNamespace(
  "a replaced channel file is reopened and read from its oldest record",
  async (namespace) => {
    const first = ChannelWriter.create({ namespace, key: KEY, capacity: 64 });
    const recorder = new Recorder();
    const exchange = await IpcExchange.start(recorder.options(namespace, [{ symbol: "BTCUSD" }]));
    let second: ChannelWriter | undefined;
    try {
      first.publish(tradeRecord(1n, 1_000_000_000n));
      await waitFor(() => recorder.trades.length === 1, "the first trade");
      first.close();
      // Another capacity: the new writer cannot take the file over, so it replaces it
      second = ChannelWriter.create({ namespace, key: KEY, capacity: 128 });
      second.publish(tradeRecord(10n, 2_000_000_000n));
      second.publish(tradeRecord(11n, 2_000_000_000n));
      await waitFor(() => recorder.trades.length === 3, "the new file's trades");
      assert.deepEqual(recorder.trades.map((t) => t.tsEvent), [1n, 10n, 11n]);
      const status = exchange.status()[0]!;
      assert.equal(status.state, "connected");
      assert.equal(status.capacity, 128);
      assert.equal(status.reconnects, 1);
    } finally {
      await exchange.stop();
      second?.close();
    }
  },
);

testWithNamespace(
  "when its instance stops, a symbol moves to another live instance without repeating records",
  async (namespace) => {
    const start = (instanceId: string) =>
      IpcPublisher.start({
        namespace,
        instanceId,
        provider: "synthetic",
        exchange: "KRAKEN",
        symbols: ["BTCUSD"],
        capacity: 64,
        heartbeatSecs: 1,
        staleAfterSecs: 60,
      });
    const instances = new Map([["kraken-a", await start("kraken-a")], [
      "kraken-b",
      await start("kraken-b"),
    ]]);
    const recorder = new Recorder();
    const exchange = await IpcExchange.start(recorder.options(namespace, [{ symbol: "BTCUSD" }]));
    try {
      const attached = exchange.status()[0]!.instanceId!;
      const other = attached === "kraken-a" ? "kraken-b" : "kraken-a";
      for (let ts = 1n; ts <= 5n; ts++) {
        for (const instance of instances.values()) {
          instance.publish("BTCUSD", tradeRecord(ts, 1_000_000_000n));
        }
      }
      await waitFor(() => recorder.trades.length === 5, "five trades");
      await instances.get(attached)!.close();
      await waitFor(() => exchange.status()[0]?.instanceId === other, "the move to the other");
      instances.get(other)!.publish("BTCUSD", tradeRecord(6n, 1_000_000_000n));
      await waitFor(() => recorder.trades.length >= 6, "the sixth trade");
      assert.deepEqual(recorder.trades.map((t) => t.tsEvent), [1n, 2n, 3n, 4n, 5n, 6n]);
      assert.equal(recorder.gaps[0]?.lastTsEvent, 5n);
      assert.equal(exchange.status()[0]?.reconnects, 1);
      assert.equal(exchange.status()[0]?.state, "connected");
    } finally {
      await exchange.stop();
      for (const instance of instances.values()) await instance.close();
    }
  },
);
