// Field values to text, shared by the JSON and CSV encoders. A null result means "no value":
// JSON writes null, CSV an empty field.
import { UNDEF_PRICE, UNDEF_TIMESTAMP } from "../constants.ts";
import { formatPx, formatTs } from "./pretty.ts";

/** Which pretty renderings are on. */
export interface Pretty {
  readonly px: boolean;
  readonly ts: boolean;
}

/** The pretty flags of an options bag: `pretty` turns both on, `prettyPx` / `prettyTs` one each. */
export function prettyOf(
  options: { pretty?: boolean; prettyPx?: boolean; prettyTs?: boolean },
): Pretty {
  return {
    px: options.prettyPx ?? options.pretty ?? false,
    ts: options.prettyTs ?? options.pretty ?? false,
  };
}

/** Reads a field of a decoded record; a missing field is a TypeError. */
export function valueOf(source: object, key: string, name: string): unknown {
  const value = (source as Readonly<Record<string, unknown>>)[key];
  if (value === undefined) {
    throw new TypeError(`Cannot format field "${name}": "${key}" is missing`);
  }
  return value;
}

function toBigInt(value: unknown, name: string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  throw new TypeError(`Cannot format field "${name}": ${String(value)} is not an integer`);
}

/** An integer field in decimal. */
export function intText(value: unknown, name: string): string {
  return toBigInt(value, name).toString();
}

/** A `unix_nanos` field: decimal, or ISO 8601 when pretty (null for 0 and UNDEF_TIMESTAMP). */
export function tsText(value: unknown, pretty: boolean, name: string): string | null {
  const ns = toBigInt(value, name);
  if (!pretty) return ns.toString();
  return ns === 0n || ns === UNDEF_TIMESTAMP ? null : formatTs(ns);
}

/** A `fixed_price` field: raw decimal, or nine decimals when pretty (null for UNDEF_PRICE). */
export function pxText(value: unknown, pretty: boolean, name: string): string | null {
  const px = toBigInt(value, name);
  if (!pretty) return px.toString();
  return px === UNDEF_PRICE ? null : formatPx(px);
}

/** The byte of a one-character field ("" or a NUL character is 0). */
export function charByte(value: unknown, name: string): number {
  if (typeof value === "number") return value;
  if (typeof value === "string") return value.length === 0 ? 0 : value.charCodeAt(0);
  throw new TypeError(`Cannot format field "${name}": ${String(value)} is not a character`);
}

/** A string field. */
export function strText(value: unknown, name: string): string {
  if (typeof value === "string") return value;
  throw new TypeError(`Cannot format field "${name}": ${String(value)} is not a string`);
}

/** The `levels` array of a record. */
export function levelsOf(value: unknown, name: string): readonly object[] {
  if (Array.isArray(value)) return value as object[];
  throw new TypeError(`Cannot format field "${name}": not an array of levels`);
}
