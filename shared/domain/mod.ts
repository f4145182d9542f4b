/**
 * The pure domain: types and errors shared by every layer. No I/O, no Deno APIs, no npm.
 * @module
 */
export { DataError, type DataErrorOptions } from "./errors.ts";
