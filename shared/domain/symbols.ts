/** Canonical symbols and exchange names: checked before they reach SQL, a file name or a channel. */
import { DataError } from "./errors.ts";

/** Longest canonical symbol (fits a DBN v1 22-byte symbol field with its NUL). */
export const MAX_SYMBOL_LENGTH = 21;
/** Longest exchange name. */
export const MAX_EXCHANGE_LENGTH = 16;

const SYMBOL = /^[A-Z0-9][A-Z0-9._-]*$/;
const EXCHANGE = /^[A-Z][A-Z0-9_]*$/;

/**
 * Checks a canonical symbol (`BTCUSD`, `ESH5`, `ES.FUT`, `BRK.B`): upper-case letters, digits,
 * `.`, `_` and `-`, starting with a letter or digit, at most 21 characters. Returns it unchanged;
 * throws a one-line {@linkcode DataError} (`invalid_symbol`) otherwise.
 */
export function validateSymbol(symbol: string): string {
  if (symbol.length === 0 || symbol.length > MAX_SYMBOL_LENGTH || !SYMBOL.test(symbol)) {
    throw new DataError(
      "invalid_symbol",
      `invalid symbol ${
        JSON.stringify(symbol)
      }: expected 1-${MAX_SYMBOL_LENGTH} characters of A-Z, 0-9, '.', '_', '-' starting with A-Z or 0-9 (canonical form, e.g. BTCUSD)`,
    );
  }
  return symbol;
}

/** Checks an exchange name (`BINANCE`, `KRAKEN_FUTURES`, `CME`): A-Z, 0-9, `_`, at most 16. */
export function validateExchange(exchange: string): string {
  if (exchange.length === 0 || exchange.length > MAX_EXCHANGE_LENGTH || !EXCHANGE.test(exchange)) {
    throw new DataError(
      "invalid_exchange",
      `invalid exchange ${
        JSON.stringify(exchange)
      }: expected 1-${MAX_EXCHANGE_LENGTH} characters of A-Z, 0-9, '_' starting with A-Z`,
    );
  }
  return exchange;
}
