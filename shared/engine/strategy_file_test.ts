import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { StrategyParamError } from "./errors.ts";
import { loadStrategyFile, sha256File, StrategyFileError } from "./strategy_file.ts";
import type { BarData } from "./types.ts";

const EXAMPLE = fileURLToPath(
  new URL("../../services/backtest/examples/buy_the_dip.ts", import.meta.url),
);

const MEMBERS = `
  id: "plain", name: "Plain", params: [],
  initialize() {}, onBarData() { return { action: "HOLD" }; },
  barDataMode() { return "OnCloseBar"; },
  preferredBarType() { return { kind: "time", timeframe: "1m" }; },
  reset() {}, accountId() { return undefined; },
`;

async function withFile(
  name: string,
  text: string,
  fn: (path: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "strategy_file_" });
  try {
    const path = join(dir, name);
    await Deno.writeTextFile(path, text);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function sha256sum(path: string): Promise<string> {
  const out = await new Deno.Command("sha256sum", { args: [path], stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).split(" ")[0]!;
}

function closedBar(close: number, i: number): BarData {
  const openTime = BigInt(i) * 60_000_000_000n;
  return Object.freeze({
    ohlcBar: Object.freeze({
      openTime,
      closeTime: openTime + 60_000_000_000n,
      open: close,
      high: close,
      low: close,
      close,
      volume: 1,
    }),
    metadata: Object.freeze({
      symbol: "BTCUSD",
      barType: { kind: "time", timeframe: "1m" } as const,
      isFirstTick: false,
      isBarClosed: true,
      isSynthetic: false,
      tickCount: 1,
    }),
  });
}

Deno.test("sha256File() equals sha256sum, also for a file larger than one read", async () => {
  assert.equal(await sha256File(EXAMPLE), await sha256sum(EXAMPLE));
  const big = "x".repeat(200_000) + "\n";
  await withFile("big.txt", big, async (path) => {
    assert.equal(await sha256File(path), await sha256sum(path));
  });
});

Deno.test("loadStrategyFile() loads the example class with its hash and absolute path", async () => {
  const loaded = await loadStrategyFile(EXAMPLE);
  assert.equal(loaded.strategy.id, "buy_the_dip");
  assert.equal(loaded.sha256, await sha256sum(EXAMPLE));
  assert.equal(loaded.path, EXAMPLE);
  assert.equal(loaded.strategy.barDataMode(), "OnCloseBar");
});

Deno.test("the example buys a 1% dip and sells at the take-profit", async () => {
  const { strategy } = await loadStrategyFile(EXAMPLE);
  strategy.initialize({ dip: "0.01", take_profit: "0.02", lookback: "5" });
  const closes = [100, 101, 100.5, 100.2, 99.8, 101, 102, 102];
  const actions = closes.map((c, i) => strategy.onBarData(closedBar(c, i)).action);
  // 99.8 is 1.19% under 101: buy; 102 is 2.2% over 99.8: sell.
  assert.deepEqual(actions, ["HOLD", "HOLD", "HOLD", "HOLD", "BUY", "HOLD", "SELL", "HOLD"]);
  strategy.reset();
  assert.deepEqual(closes.map((c, i) => strategy.onBarData(closedBar(c, i)).action), actions);
  assert.throws(() => strategy.initialize({ dipp: "1" }), (e: unknown) => {
    assert.ok(e instanceof StrategyParamError);
    assert.equal(e.code, "unknown_param");
    assert.match(e.message, /expected one of lookback, dip, take_profit, stop_loss, quantity$/);
    return true;
  });
  assert.throws(
    () => strategy.initialize({ lookback: "1.5" }),
    (e: unknown) => e instanceof StrategyParamError && e.code === "bad_value",
  );
});

Deno.test("loadStrategyFile() accepts an object, a factory function and a class as default export", async () => {
  const forms = {
    "object.ts": `export default { ${MEMBERS} };`,
    "factory.ts": `export default function make() { return { ${MEMBERS} }; }`,
    "klass.ts": `export default class { id = "plain"; name = "Plain"; params = [];
      initialize() {} onBarData() { return { action: "HOLD" }; } barDataMode() { return "OnCloseBar"; }
      preferredBarType() { return { kind: "tick", ticks: 10 }; } reset() {} accountId() { return "X"; } }`,
  };
  for (const [name, text] of Object.entries(forms)) {
    await withFile(name, text, async (path) => {
      const { strategy } = await loadStrategyFile(path);
      assert.equal(strategy.id, "plain", name);
      assert.deepEqual(strategy.onBarData(closedBar(1, 0)), { action: "HOLD" });
    });
  }
});

Deno.test("loadStrategyFile() fails with one line naming what is wrong", async () => {
  const cases: [string, RegExp][] = [
    ["export const x = 1;", /: no default export/],
    ["export default 42;", /: the default export is not a Strategy \(got number\)/],
    [
      `export default { id: "x", name: "X", params: [], onBarData() {} };`,
      /: the strategy of bad\.ts lacks initialize\(\), barDataMode\(\), preferredBarType\(\), reset\(\), accountId\(\)$/,
    ],
    [`export default { ${MEMBERS.replace('id: "plain",', "")} };`, /lacks id$/],
    ["export default () => { throw new Error('no'); };", /threw while creating the strategy: no$/],
    ["export default {{ syntax", /^Cannot load strategy file ".*bad\.ts": /],
  ];
  for (const [text, pattern] of cases) {
    await withFile("bad.ts", text, async (path) => {
      await assert.rejects(() => loadStrategyFile(path), (e: unknown) => {
        assert.ok(e instanceof StrategyFileError, String(e));
        assert.match(e.message, pattern);
        assert.ok(!e.message.includes("\n"), e.message);
        return true;
      });
    });
  }
  await assert.rejects(
    () => loadStrategyFile("/nonexistent/strategy.ts"),
    (e: unknown) =>
      e instanceof StrategyFileError &&
      e.message === 'Strategy file "/nonexistent/strategy.ts" not found',
  );
});
