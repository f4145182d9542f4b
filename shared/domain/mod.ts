/**
 * The pure domain: types and errors shared by every layer. No I/O, no Deno APIs, no npm.
 * @module
 */
export { DataError, type DataErrorOptions } from "./errors.ts";
export {
  MAX_EXCHANGE_LENGTH,
  MAX_SYMBOL_LENGTH,
  validateExchange,
  validateSymbol,
} from "./symbols.ts";
export { mulberry32 } from "./prng.ts";
