/**
 * End to end: `services/backtest/main.ts` run as a child process, as `deno task backtest` runs
 * it, with RUN_MODE=test, a temp data directory and the embedded database (DATABASE_URL="").
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BacktestReport } from "@shared/engine/mod.ts";
import { DBN_FIXTURE_DIR, writeTradesDbn } from "@shared/engine/sources/testing.ts";
import { batchInsert, InstrumentRegistry, openPgliteStore } from "@shared/storage/mod.ts";
import { migrate } from "@shared/storage/migrations.ts";
import { ROOT } from "./_run_script.ts";

const MAIN = join(ROOT, "services/backtest/main.ts");
const EXAMPLE = join(ROOT, "services/backtest/examples/buy_the_dip.ts");
const T0 = 1_704_067_200_000_000_000n; // 2024-01-01T00:00:00Z
const SEC = 1_000_000_000n;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the backtest CLI in `dir` (also its data directory), with `stdin` piped when given. */
async function backtest(dir: string, args: string[], stdin?: string): Promise<Run> {
  const env: Record<string, string> = {
    NO_COLOR: "1",
    RUN_MODE: "test",
    DATABASE_URL: "",
    TRADING__DATABASE__DATA_DIR: join(dir, "data"),
  };
  for (const name of ["HOME", "PATH", "DENO_DIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--config", join(ROOT, "deno.json"), "--allow-all", MAIN, ...args],
    cwd: dir,
    env,
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const output = await child.output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

function inTempDir(name: string, fn: (dir: string) => Promise<void>) {
  return {
    name,
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "backtest_cli_" });
      try {
        await fn(dir);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  };
}

function assertOk(run: Run): void {
  assert.equal(run.code, 0, run.stderr);
}

/** Exit 2, nothing on stdout, exactly one stderr line matching `pattern`. */
function assertOneLine(run: Run, pattern: RegExp): void {
  assert.equal(run.code, 2, `${run.stdout}\n${run.stderr}`);
  assert.equal(run.stdout, "");
  const lines = run.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, pattern);
}

async function readReport(path: string): Promise<BacktestReport> {
  return JSON.parse(await Deno.readTextFile(path));
}

Deno.test(
  inTempDir("backtest --data synthetic --json twice writes byte-identical reports", async (dir) => {
    const args = ["--strategy", "sma", "--data", "synthetic", "--ticks", "20000", "--seed", "7"];
    const first = await backtest(dir, [...args, "--json", "a.json"]);
    const second = await backtest(dir, [...args, "--json", "b.json", "--quiet"]);
    assertOk(first);
    assertOk(second);
    const a = await Deno.readFile(join(dir, "a.json"));
    assert.deepEqual(await Deno.readFile(join(dir, "b.json")), a);
    const text = new TextDecoder().decode(a);
    assert.ok(text.endsWith("}\n"));
    const report: BacktestReport = JSON.parse(text);
    assert.equal(report.data.ticks, 20_000);
    assert.equal(report.data.source, "synthetic BTCUSD seed 7");
    assert.equal(report.data.from, T0.toString());
    assert.equal(report.data.to, (T0 + 20_000n * SEC).toString());
    assert.equal(report.partial, false);
    assert.ok(!/elapsed|ticks\/s|seconds/i.test(text), "timing stays out of the JSON");
    // The table on stdout, timing on stderr; --quiet prints neither.
    assert.match(first.stdout, /^Strategy +sma \(SMA crossover\)$/m);
    assert.match(first.stdout, /^Ticks +20,000$/m);
    assert.match(first.stdout, /^Total return +-?\d+\.\d{2}%$/m);
    assert.match(first.stderr, /^20,000 ticks in \d+\.\d{2} s \([\d,]+ ticks\/s\)$/m);
    assert.equal(second.stdout, "");
    assert.equal(second.stderr, "");
  }),
);

Deno.test(
  inTempDir(
    "backtest --report writes one self-contained HTML page with the data and the library",
    async (dir) => {
      const run = await backtest(dir, [
        "--strategy",
        EXAMPLE,
        "--data",
        "synthetic",
        "--ticks",
        "30000",
        "--params",
        "dip=0.002,take_profit=0.002",
        "--json",
        "r.json",
        "--report",
        "r.html",
      ]);
      assertOk(run);
      const html = await Deno.readTextFile(join(dir, "r.html"));
      const report = await readReport(join(dir, "r.json"));
      assert.ok(report.trades.length > 0, "the example strategy trades on this data");
      assert.equal(report.strategy.sha256?.length, 64);
      const library = await Deno.readTextFile(
        join(ROOT, "services/backtest/report/vendor/lightweight-charts.standalone.production.js"),
      );
      assert.ok(html.includes(library), "the library is inlined whole");
      const match = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html);
      assert.ok(match !== null);
      const data = JSON.parse(match[1]!);
      assert.equal(data.chart.candles.length, report.candles.length);
      assert.equal(data.chart.markers.length, report.trades.length);
      assert.equal(data.chart.equity.length, report.equity.length);
      assert.ok(html.includes(report.strategy.sha256!));
      assert.ok(!/<(script|img|iframe)[^>]*\ssrc=|<link\b|@import|fetch\(/i.test(html), "no fetch");
      assert.ok(!html.includes('partial">'), "no partial banner");
    },
  ),
);

Deno.test(inTempDir("backtest: every bad input is one line on stderr and exit 2", async (dir) => {
  await Deno.writeTextFile(join(dir, "ticks.csv"), `ts_event,price,size\n${T0},100,1\n`);
  const synthetic = ["--data", "synthetic", "--ticks", "100"];
  const cases: [string[], RegExp][] = [
    [
      ["--strategy", "nope"],
      /^error: Unknown strategy "nope": expected one of sma, rsi, momentum, breakout, mean_reversion, or a strategy file \(\.ts\)$/,
    ],
    [
      ["--strategy", "sma", "--params", "foo=1", ...synthetic],
      /^error: Unknown parameter "foo" for strategy sma: expected one of .*short.*long/,
    ],
    [
      ["--strategy", "sma", "--params", "short=abc", ...synthetic],
      /^error: Bad value "abc" for parameter "short"/,
    ],
    [
      ["--strategy", "sma", "--params", "short", ...synthetic],
      /^error: Option "--params" expects name=value pairs/,
    ],
    [
      ["--strategy", "sma", "--from", "2024-13-01", ...synthetic],
      /^error: Option "--from" expects a date \(YYYY-MM-DD, RFC 3339 or ns since the epoch\), got "2024-13-01"$/,
    ],
    [
      ["--strategy", "sma", "--from", "2024-02-01", "--to", "2024-01-01", ...synthetic],
      /^error: Empty date range: from 2024-02-01T00:00:00Z is not before to 2024-01-01T00:00:00Z$/,
    ],
    [["--strategy", "sma", "--bogus"], /^error: Unknown option "--bogus"$/],
    [
      ["--strategy", "sma", "--account", "NOPE", ...synthetic],
      /^error: Unknown account "NOPE": expected one of SIM-001, SIM-AGGRESSIVE, SIM-CONSERVATIVE$/,
    ],
    [["--strategy", "sma", "--data", "missing.dbn"], /^error: Data file "missing.dbn" not found$/],
    [
      ["--strategy", "sma", "--data", "ticks.parquet"],
      /^error: Unknown data source "ticks.parquet"/,
    ],
    [["--strategy", "missing.ts", ...synthetic], /^error: Strategy file "missing.ts" not found$/],
    [
      ["--strategy", "sma", "--timeframe", "7m", ...synthetic],
      /^error: Option "--timeframe" expects one of 1m, .*<N>t/,
    ],
    [
      ["--strategy", "sma", "--seed", "1"],
      /^error: Option "--seed" applies to --data synthetic only$/,
    ],
    [
      ["--strategy", "sma", "--symbol", "btc usd", ...synthetic],
      /^error: Invalid symbol "btc usd"/,
    ],
    [["--data", "synthetic"], /^error: Missing option "--strategy"/],
    [
      ["--strategy", "sma", "--data", "ticks.csv", "--from", "2030-01-01"],
      /^No ticks for BTCUSD in \[2030-01-01T00:00:00Z, end of data\) from file ticks\.csv$/,
    ],
  ];
  const runs = await Promise.all(cases.map(([args]) => backtest(dir, args)));
  runs.forEach((run, i) => assertOneLine(run, cases[i]![1]));
}));

const THROWER = `let bars = 0;
export default {
  id: "thrower", name: "Thrower", params: [],
  initialize() { bars = 0; },
  onBarData(bar: { metadata: { isBarClosed: boolean } }) {
    if (!bar.metadata.isBarClosed) return { action: "HOLD" };
    bars++;
    if (bars === 1) return { action: "BUY", quantity: "0.1" };
    if (bars === 5) throw new Error("boom at bar five");
    return { action: "HOLD" };
  },
  barDataMode: () => "OnCloseBar",
  preferredBarType: () => ({ kind: "time", timeframe: "1m" }),
  reset() {}, accountId: () => undefined,
};
`;

Deno.test(
  inTempDir(
    "backtest: a user strategy that throws exits 1 and still writes partial results",
    async (dir) => {
      const file = join(dir, "thrower.ts");
      await Deno.writeTextFile(file, THROWER);
      const run = await backtest(dir, [
        "--strategy",
        "./thrower.ts",
        "--data",
        "synthetic",
        "--ticks",
        "3000",
        "--json",
        "p.json",
        "--report",
        "p.html",
      ]);
      assert.equal(run.code, 1, run.stderr);
      const line = THROWER.split("\n").findIndex((l) => l.includes("throw new Error"));
      const column = THROWER.split("\n")[line]!.indexOf("new Error") + 1;
      const error = `Strategy thrower threw at ${file}:${line + 1}:${column}: boom at bar five`;
      assert.ok(run.stderr.split("\n").includes(`error: ${error}`), run.stderr);
      assert.match(run.stdout, /^Result +PARTIAL: Strategy thrower threw at /m);
      const report = await readReport(join(dir, "p.json"));
      assert.equal(report.partial, true);
      assert.equal(report.error, error);
      assert.equal(report.strategy.file, file);
      assert.equal(report.trades.length, 1);
      const html = await Deno.readTextFile(join(dir, "p.html"));
      assert.match(
        html,
        /<div class="partial">Partial result: the run stopped early\. Strategy thrower/,
      );
    },
  ),
);

Deno.test(
  inTempDir(
    "backtest interactive: answers on stdin pick the data, range, strategy and parameters",
    async (dir) => {
      // data, symbol, seed, ticks, from (default), to, strategy 1 (sma), short, long, quantity,
      // timeframe (default).
      const answers = [
        "synthetic",
        "",
        "7",
        "20000",
        "",
        "2024-01-01T04:00:00Z",
        "1",
        "5",
        "20",
        "",
        "",
      ];
      const run = await backtest(dir, [], answers.join("\n") + "\n");
      assertOk(run);
      assert.match(
        run.stdout,
        /Data: db, synthetic, or a \.dbn, \.dbn\.zst or \.csv file \[db\]: /,
      );
      assert.match(run.stdout, /\n {2}1\. sma +/);
      assert.match(run.stdout, /^Parameters +long=20, quantity=1, short=5, timeframe=1m$/m);
      // 4 hours at one trade per second, not the 20000 asked for.
      assert.match(run.stdout, /^Ticks +14,400$/m);
      assert.match(run.stdout, /^Range +\[2024-01-01T00:00:00Z, 2024-01-01T04:00:00Z\)$/m);
    },
  ),
);

Deno.test(
  inTempDir(
    "backtest interactive: a bad answer is asked again, end of input cancels",
    async (dir) => {
      const retry = await backtest(dir, [], "nowhere.txt\n");
      assert.equal(retry.code, 2);
      assert.equal(retry.stderr, "Cancelled\n");
      assert.match(retry.stdout, /Expected db, synthetic, or a \.dbn, \.dbn\.zst or \.csv file\n/);
      assert.equal(retry.stdout.match(/Data: /g)?.length, 2, "asked twice");
      const empty = await backtest(dir, [], "");
      assert.equal(empty.code, 2);
      assert.equal(empty.stderr, "Cancelled\n");
    },
  ),
);

Deno.test(
  inTempDir("backtest runs .csv and .dbn files, and the upstream DBN fixture", async (dir) => {
    const lines = ["ts_event,price,size,side"];
    const trades = [];
    let price = 60_000_00n;
    for (let i = 0; i < 6000; i++) {
      price += BigInt(((i * 7919) % 21) - 10);
      lines.push(
        `${T0 + BigInt(i) * SEC},${price / 100n}.${
          (price % 100n).toString().padStart(2, "0")
        },0.01,B`,
      );
      trades.push({
        ts: T0 + BigInt(i) * SEC,
        price: price * 10_000_000n,
        size: 1,
        instrumentId: 5,
      });
    }
    await Deno.writeTextFile(join(dir, "ticks.csv"), lines.join("\n") + "\n");
    await writeTradesDbn(join(dir, "ticks.dbn.zst"), trades, { BTCUSD: 5 });
    const args = ["--strategy", "sma", "--params", "short=3,long=8", "--json"];
    const csv = await backtest(dir, ["--data", "ticks.csv", ...args, "csv.json"]);
    const dbn = await backtest(dir, ["--data", "ticks.dbn.zst", ...args, "dbn.json"]);
    assertOk(csv);
    assertOk(dbn);
    const fromCsv = await readReport(join(dir, "csv.json"));
    const fromDbn = await readReport(join(dir, "dbn.json"));
    assert.equal(fromCsv.data.ticks, 6000);
    assert.equal(fromDbn.data.ticks, 6000);
    assert.equal(fromCsv.data.source, "file ticks.csv");
    // Same prices and times: the same bars and trades (sizes differ only in volume).
    assert.deepEqual(fromDbn.trades, fromCsv.trades);
    assert.deepEqual(fromDbn.metrics, fromCsv.metrics);
    assert.ok(fromCsv.trades.length > 0);

    const fixture = fileURLToPath(new URL("test_data.trades.v3.dbn.zst", DBN_FIXTURE_DIR));
    const es = await backtest(dir, ["--data", fixture, "--symbol", "ESH1", ...args, "es.json"]);
    assertOk(es);
    assert.equal((await readReport(join(dir, "es.json"))).data.ticks, 2);
    const wrong = await backtest(dir, ["--data", fixture, "--strategy", "sma"]);
    assertOneLine(wrong, /^error: Symbol "BTCUSD" is not in .*: it holds ESH1$/);
  }),
);

Deno.test(
  inTempDir(
    "backtest --data db reads the embedded database, and says when it holds no ticks",
    async (dir) => {
      const store = await openPgliteStore(join(dir, "data", "pglite"));
      try {
        await migrate(store);
        const instrument = await new InstrumentRegistry(store).getOrCreate("BTCUSD", "KRAKEN", {
          sizeScale: 8,
        });
        const ticks = Array.from({ length: 3000 }, (_, i) => ({
          tsEvent: T0 + BigInt(i) * SEC,
          tsRecv: T0 + BigInt(i) * SEC,
          instrumentId: instrument.instrumentId,
          symbol: "BTCUSD",
          exchange: "KRAKEN",
          price: 60_000_000_000_000n + BigInt(((i * 7919) % 2001) - 1000) * 10_000_000n,
          size: 1_000_000,
          quantity: "0.01",
          side: "B" as const,
          tradeId: `t${i}`,
          flags: 0,
          sequence: i,
        }));
        await batchInsert(store, ticks);
      } finally {
        await store.close();
      }
      const run = await backtest(dir, [
        "--strategy",
        "sma",
        "--exchange",
        "KRAKEN",
        "--params",
        "short=3,long=8",
        "--json",
        "db.json",
      ]);
      assertOk(run);
      const report = await readReport(join(dir, "db.json"));
      assert.equal(report.data.ticks, 3000);
      assert.equal(report.data.source, "db BTCUSD@KRAKEN");
      assert.equal(report.data.from, T0.toString());
      const none = await backtest(dir, ["--strategy", "sma", "--symbol", "ETHUSD"]);
      assertOneLine(
        none,
        /^No ticks for ETHUSD in \[start of data, end of data\) from db ETHUSD \(a demo run needs no data: --data synthetic\)$/,
      );
    },
  ),
);
