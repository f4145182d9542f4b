// The L2 JSON record: the readable shape of the seed, exact round trips over random ticks, and a
// one-line SyntaxError for every kind of malformed record.
import assert from "node:assert/strict";
import fc from "fast-check";
import { decodeTickJson, encodeTickJson } from "./tick_json.ts";
import type { CachedTick } from "./types.ts";

const EXAMPLE: CachedTick = {
  symbol: "BTCUSD",
  exchange: "KRAKEN",
  tsEvent: 1_700_000_000_000_000_000n,
  tsRecv: 1_700_000_000_000_000_500n,
  price: 42_150_250_000_000n,
  size: 3,
  side: "B",
};
const EXAMPLE_JSON = '{"symbol":"BTCUSD","exchange":"KRAKEN","ts_event":"1700000000000000000",' +
  '"ts_recv":"1700000000000000500","price":"42150.25","size":3,"side":"B"}';

Deno.test("encodeTickJson() writes the readable record with an exact decimal price", () => {
  assert.equal(encodeTickJson(EXAMPLE), EXAMPLE_JSON);
  assert.equal(
    encodeTickJson({ ...EXAMPLE, price: -1n, side: "N" }).includes('"price":"-0.000000001"'),
    true,
  );
});

Deno.test("decodeTickJson() reads the record back field for field", () => {
  assert.deepEqual(decodeTickJson(EXAMPLE_JSON), EXAMPLE);
});

Deno.test("decodeTickJson(encodeTickJson(tick)) is the tick for random prices, sizes and times", () => {
  const tick = fc.record({
    symbol: fc.constantFrom("BTCUSD", "ETHUSD", "ES.FUT", "BRK.B", "X"),
    exchange: fc.constantFrom("KRAKEN", "BINANCE", "KRAKEN_FUTURES"),
    tsEvent: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
    tsRecv: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
    price: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    size: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    side: fc.constantFrom("A" as const, "B" as const, "N" as const),
  });
  fc.assert(
    fc.property(tick, (t) => {
      assert.deepEqual(decodeTickJson(encodeTickJson(t)), { ...t });
    }),
    { numRuns: 2000 },
  );
});

Deno.test("decodeTickJson() rejects malformed records with a one-line SyntaxError", () => {
  const base = JSON.parse(EXAMPLE_JSON) as Record<string, unknown>;
  const variant = (patch: Record<string, unknown>): string => JSON.stringify({ ...base, ...patch });
  const without = (field: string): string => {
    const copy = { ...base };
    delete copy[field];
    return JSON.stringify(copy);
  };
  const cases: [string, RegExp][] = [
    ["", /not JSON/],
    ["{", /not JSON/],
    ["[1,2]", /not a JSON object/],
    ["null", /not a JSON object/],
    ['"BTCUSD"', /not a JSON object/],
    [without("symbol"), /"symbol" is not a string/],
    [variant({ symbol: "btc usd" }), /"symbol" "btc usd" is not a valid symbol/],
    [variant({ exchange: 7 }), /"exchange" is not a string/],
    [variant({ exchange: "" }), /"exchange" "" is not a valid exchange/],
    [variant({ ts_event: 1700000000000000000 }), /"ts_event" is not a string of decimal digits/],
    [variant({ ts_event: "-1" }), /"ts_event" is not a string of decimal digits/],
    [variant({ ts_event: "017" }), /"ts_event" is not a string of decimal digits/],
    [variant({ ts_recv: "9223372036854775808" }), /"ts_recv" 9223372036854775808 is out of/],
    [without("ts_recv"), /"ts_recv" is not a string of decimal digits/],
    [variant({ price: 42150.25 }), /"price" is not a string/],
    [variant({ price: "42,150.25" }), /"price" "42,150.25" is not an exact price/],
    [variant({ price: "0.0000000001" }), /"price" "0.0000000001" is not an exact price/],
    [variant({ price: "" }), /"price" "" is not an exact price/],
    [variant({ price: "99999999999" }), /"price" "99999999999" is not an exact price/],
    [variant({ size: -1 }), /"size" is not an integer/],
    [variant({ size: 1.5 }), /"size" is not an integer/],
    [variant({ size: "3" }), /"size" is not an integer/],
    [variant({ size: 2 ** 32 }), /"size" is not an integer/],
    [variant({ side: "S" }), /"side" is not "A", "B" or "N"/],
    [without("side"), /"side" is not "A", "B" or "N"/],
  ];
  for (const [text, reason] of cases) {
    assert.throws(
      () => decodeTickJson(text),
      (e: unknown) => {
        assert.ok(e instanceof SyntaxError, `${text}: ${e}`);
        assert.match(e.message, /^Cannot decode tick record /);
        assert.match(e.message, reason, text);
        assert.ok(!e.message.includes("\n"), `one line: ${e.message}`);
        return true;
      },
    );
  }
});

Deno.test("decodeTickJson() quotes at most 80 characters of a long malformed record", () => {
  const long = `{"symbol":"${"X".repeat(500)}`;
  assert.throws(() => decodeTickJson(long), (e: unknown) => {
    assert.ok(e instanceof SyntaxError);
    assert.ok(e.message.length < 200, e.message);
    assert.match(e.message, /\.\.\."/);
    return true;
  });
});
