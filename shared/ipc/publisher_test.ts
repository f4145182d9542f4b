import assert from "node:assert/strict";
import { inspectChannel } from "./channel_info.ts";
import { ControlFailure } from "./control.ts";
import { IpcError } from "./ipc_error.ts";
import { namespaceDir } from "./names.ts";
import { IpcPublisher, type IpcPublisherOptions } from "./publisher.ts";
import { Registry } from "./registry.ts";
import { testWithNamespace } from "./testing.ts";

function options(namespace: string, extra: Partial<IpcPublisherOptions> = {}): IpcPublisherOptions {
  return {
    namespace,
    provider: "synthetic",
    exchange: "KRAKEN",
    symbols: ["BTCUSD", "ETHUSD", "SOLUSD"],
    ipcSymbols: ["BTCUSD"],
    capacity: 64,
    heartbeatSecs: 1,
    staleAfterSecs: 3,
    ...extra,
  };
}

testWithNamespace(
  "a publisher registers, opens its IPC symbols, and deregisters and closes them on close()",
  async (namespace) => {
    const publisher = await IpcPublisher.start(options(namespace, { instanceId: "kraken-prod" }));
    const registry = Registry.open(namespace);
    const [entry] = registry.findSymbol("SOLUSD");
    assert.equal(entry?.instanceId, "kraken-prod");
    assert.equal(entry?.channelPrefix, "data_manager_kraken-prod__");
    assert.ok(publisher.publish("BTCUSD", new Uint8Array(48)));
    assert.equal(
      publisher.publish("ETHUSD", new Uint8Array(48)),
      false,
      "no channel for ETHUSD yet",
    );
    const name = publisher.writer("BTCUSD")!.name;
    await publisher.close();
    assert.deepEqual(registry.list(), []);
    registry.close();
    const info = inspectChannel(namespace, name);
    assert.equal(info.state, "closed");
    assert.equal(info.writeSequence, 1);
  },
);

testWithNamespace(
  "SUBSCRIBE opens a streamed symbol's channel at run time; the last UNSUBSCRIBE closes it",
  async (namespace) => {
    const publisher = await IpcPublisher.start(options(namespace));
    try {
      const name = publisher.subscribe("ETHUSD");
      assert.equal(name, "data_manager_ETHUSD_KRAKEN");
      assert.equal(publisher.subscribe("ETHUSD"), name);
      assert.ok(publisher.publish("ETHUSD", new Uint8Array(48)));
      publisher.unsubscribe("ETHUSD");
      assert.equal(inspectChannel(namespace, name).state, "open", "one subscriber is left");
      publisher.unsubscribe("ETHUSD");
      assert.equal(inspectChannel(namespace, name).state, "closed");
      assert.equal(publisher.writer("ETHUSD"), undefined);
      // A pinned (--ipc-symbols) channel stays open without subscribers.
      publisher.subscribe("BTCUSD");
      publisher.unsubscribe("BTCUSD");
      assert.equal(inspectChannel(namespace, "data_manager_BTCUSD_KRAKEN").state, "open");
      assert.throws(
        () => publisher.subscribe("XRPUSD"),
        (e) => e instanceof ControlFailure && e.code === "NOT_SUBSCRIBED",
      );
      assert.throws(
        () => publisher.subscribe("btc/usd"),
        (e) => e instanceof ControlFailure && e.code === "UNKNOWN_SYMBOL",
      );
    } finally {
      await publisher.close();
    }
  },
);

testWithNamespace(
  "two instances never collide: distinct ids get distinct channels, a duplicate id is refused",
  async (namespace) => {
    const kraken = await IpcPublisher.start(options(namespace, { instanceId: "a" }));
    const binance = await IpcPublisher.start(
      options(namespace, { instanceId: "b", exchange: "BINANCE" }),
    );
    const again = await IpcPublisher.start(options(namespace, { instanceId: "c" }));
    try {
      const names = [kraken, binance, again].map((p) => p.writer("BTCUSD")!.name);
      assert.deepEqual(names, [
        "data_manager_a__BTCUSD_KRAKEN",
        "data_manager_b__BTCUSD_BINANCE",
        "data_manager_c__BTCUSD_KRAKEN",
      ]);
      await assert.rejects(
        IpcPublisher.start(options(namespace, { instanceId: "a" })),
        (e) => e instanceof IpcError && e.code === "busy",
      );
      assert.ok(
        kraken.publish("BTCUSD", new Uint8Array(48)),
        "the refused duplicate left the first one working",
      );
    } finally {
      await Promise.all([kraken.close(), binance.close(), again.close()]);
    }
  },
);

testWithNamespace("bad names are refused before anything is created", async (namespace) => {
  await assert.rejects(
    IpcPublisher.start(options(namespace, { instanceId: "../evil" })),
    /Invalid instance id/,
  );
  await assert.rejects(
    IpcPublisher.start(options(namespace, { symbols: ["BTC/USD"], ipcSymbols: [] })),
    /invalid symbol/,
  );
  await assert.rejects(
    IpcPublisher.start(options(namespace, { ipcSymbols: ["DOGEUSD"] })),
    /not among the streamed/,
  );
  assert.throws(() => Deno.statSync(namespaceDir(namespace)), Deno.errors.NotFound);
});
