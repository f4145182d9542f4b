import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  hashInstrumentId,
  instrumentIdCandidates,
  isAssignableInstrumentId,
  MAX_INSTRUMENT_ID,
} from "./instrument_id.ts";

Deno.test("hashInstrumentId() is the first 4 bytes, big-endian, of SHA-256(symbol NUL exchange)", () => {
  // Golden values (computed independently with Python's hashlib): changing the rule breaks ids.
  assert.equal(hashInstrumentId("BTCUSD", "BINANCE"), 3342485814);
  assert.equal(hashInstrumentId("BTCUSD", "BINANCE", 1), 1003005998);
  const digest = createHash("sha256").update("ETHUSD\x00KRAKEN\x007").digest();
  assert.equal(hashInstrumentId("ETHUSD", "KRAKEN", 7), digest.readUInt32BE(0));
});

Deno.test("hashInstrumentId() separates symbol and exchange, so the split cannot be shifted", () => {
  assert.notEqual(hashInstrumentId("AB", "CD"), hashInstrumentId("ABC", "D"));
});

Deno.test("hashInstrumentId() rejects a negative or fractional attempt", () => {
  assert.throws(() => hashInstrumentId("BTCUSD", "BINANCE", -1), RangeError);
  assert.throws(() => hashInstrumentId("BTCUSD", "BINANCE", 0.5), RangeError);
});

Deno.test("instrumentIdCandidates() skips the reserved values 0 and 4294967295", () => {
  const values = [0, MAX_INSTRUMENT_ID, 17, 0, 18];
  const hash = (_s: string, _e: string, attempt: number) => values[attempt]!;
  assert.deepEqual([...instrumentIdCandidates("X", "Y", { hash, maxAttempts: 5 })], [17, 18]);
  assert.equal(isAssignableInstrumentId(0), false);
  assert.equal(isAssignableInstrumentId(MAX_INSTRUMENT_ID), false);
  assert.equal(isAssignableInstrumentId(1), true);
});

Deno.test("instrumentIdCandidates() starts with the plain hash and is the same on every call", () => {
  const first = [...instrumentIdCandidates("BTCUSD", "BINANCE", { maxAttempts: 4 })];
  assert.equal(first[0], 3342485814);
  assert.equal(first.length, 4);
  assert.deepEqual([...instrumentIdCandidates("BTCUSD", "BINANCE", { maxAttempts: 4 })], first);
});
