import assert from "node:assert/strict";
import { join } from "node:path";
import { DataError } from "@shared/domain/mod.ts";
import { csvSource } from "./mod.ts";
import { drain } from "./testing.ts";

const T0 = 1_704_067_200_000_000_000n;

async function withCsv(text: string, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "csv_source_" });
  try {
    const path = join(dir, "ticks.csv");
    await Deno.writeTextFile(path, text);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("csvSource() parses ns and RFC 3339 times, exact prices, and scales sizes by the most decimals", async () => {
  const text = [
    "ts_event,price,size,side",
    `${T0},60000.123456789,1.5,B`,
    "2024-01-01T00:00:01.5Z,60001,0.00012345,sell",
    "2024-01-01T00:00:02Z,0.000000001,2,",
    "",
  ].join("\r\n");
  await withCsv(text, async (path) => {
    const source = await csvSource(path, { symbol: "BTCUSD" });
    assert.equal(source.sizeScale, 8);
    assert.equal(source.totalTicks, 3);
    assert.deepEqual(await drain(source), [
      { ts: T0, price: 60000_123456789n, size: 150_000_000, side: "B" },
      { ts: T0 + 1_500_000_000n, price: 60001_000000000n, size: 12345, side: "A" },
      { ts: T0 + 2_000_000_000n, price: 1n, size: 200_000_000, side: "N" },
    ]);
  });
});

Deno.test("csvSource() without a side column keeps N, trailing zeros do not raise the scale, [from, to) applies", async () => {
  const text = "ts_event,price,size\n1,10,1.50\n2,11,2\n3,12,3\n";
  await withCsv(text, async (path) => {
    const all = await csvSource(path, { symbol: "X" });
    assert.equal(all.sizeScale, 1);
    assert.deepEqual((await drain(all)).map((t) => [t.ts, t.size, t.side]), [
      [1n, 15, "N"],
      [2n, 20, "N"],
      [3n, 30, "N"],
    ]);
    const window = await csvSource(path, { symbol: "X", from: 2n, to: 3n });
    assert.deepEqual((await drain(window)).map((t) => t.ts), [2n]);
    assert.equal(window.totalTicks, 1);
  });
});

Deno.test("csvSource() names the file and line of a bad line", async () => {
  const cases: [string, RegExp][] = [
    ["time,price,size\n", /line 1: expected the header "ts_event,price,size\[,side\]"/],
    ["ts_event,price,size\n1,10,1\n2,ten,1\n", /line 3: bad price "ten"/],
    ["ts_event,price,size\n1,1.0000000001,1\n", /line 2: bad price "1.0000000001"/],
    ["ts_event,price,size\n1,-5,1\n", /line 2: bad price "-5"/],
    ["ts_event,price,size\n1,10,-1\n", /line 2: bad size "-1": not a decimal/],
    ["ts_event,price,size\n1,10,1e3\n", /line 2: bad size "1e3"/],
    ["ts_event,price,size\nyesterday,10,1\n", /line 2: bad ts_event "yesterday"/],
    ["ts_event,price,size\n5,10,1\n4,10,1\n", /line 3: ts_event goes backwards/],
    ["ts_event,price,size,side\n1,10,1,X\n", /line 2: bad side "X"/],
    ["ts_event,price,size\n1,10,1,B\n", /line 2: expected 3 fields, got 4/],
    ["ts_event,price,size\n1,10,5000000000\n", /line 2: size 5000000000 at scale 0 does not fit/],
  ];
  for (const [text, pattern] of cases) {
    await withCsv(text, async (path) => {
      await assert.rejects(() => csvSource(path, { symbol: "X" }), (e: unknown) => {
        assert.ok(e instanceof DataError, String(e));
        assert.ok(e.message.startsWith(`${path}: line `), e.message);
        assert.match(e.message, pattern);
        assert.ok(!e.message.includes("\n"));
        return true;
      });
    });
  }
});

Deno.test("csvSource() hands out a long file in several chunks", async () => {
  const lines = ["ts_event,price,size"];
  for (let i = 0; i < 70_000; i++) lines.push(`${i},${100 + (i % 7)},1`);
  await withCsv(lines.join("\n"), async (path) => {
    const source = await csvSource(path, { symbol: "X" });
    const lengths: number[] = [];
    let sum = 0n;
    for await (const chunk of source.chunks()) {
      lengths.push(chunk.length);
      for (let i = 0; i < chunk.length; i++) sum += chunk.tsEvent[i]!;
    }
    assert.deepEqual(lengths, [65_536, 70_000 - 65_536]);
    assert.equal(sum, BigInt((70_000 * 69_999) / 2));
  });
});
