import assert from "node:assert/strict";
import { DataError } from "./errors.ts";
import { validateExchange, validateSymbol } from "./symbols.ts";

Deno.test("canonical symbols pass unchanged", () => {
  for (const symbol of ["BTCUSD", "ESH5", "ES.FUT", "BRK.B", "PI_XBTUSD", "1000PEPEUSD", "A"]) {
    assert.equal(validateSymbol(symbol), symbol);
  }
});

Deno.test("symbols that could break SQL, paths or channel names are refused in one line", () => {
  const bad = [
    "",
    "btcusd",
    "BTC/USD",
    "../ETC",
    ".HIDDEN",
    "BTC USD",
    "X;DROP",
    "A".repeat(22),
    "\u00c9",
  ];
  for (const symbol of bad) {
    assert.throws(() => validateSymbol(symbol), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.equal(error.code, "invalid_symbol");
      assert.ok(!error.message.includes("\n"));
      return true;
    }, symbol);
  }
});

Deno.test("exchange names are upper-case words of at most 16 characters", () => {
  assert.equal(validateExchange("KRAKEN_FUTURES"), "KRAKEN_FUTURES");
  for (const exchange of ["", "kraken", "1EX", "A-B", "X".repeat(17)]) {
    assert.throws(() => validateExchange(exchange), /invalid exchange/);
  }
});
