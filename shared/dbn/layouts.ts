/**
 * Every record layout, and lookups by (rtype, version) for decoders, writers and printers.
 * @module
 */
import type { DbnVersion } from "./constants.ts";
import { type RecordLayout } from "./layout.ts";
import { MARKET_LAYOUTS } from "./_layouts_market.ts";
import { DEFINITION_LAYOUTS } from "./_layouts_definition.ts";
import { GATEWAY_LAYOUTS } from "./_layouts_gateway.ts";

/** Every record layout of DBN v1, v2 and v3. */
export const RECORD_LAYOUTS: readonly RecordLayout[] = [
  ...MARKET_LAYOUTS,
  ...DEFINITION_LAYOUTS,
  ...GATEWAY_LAYOUTS,
];

const BY_VERSION_AND_RTYPE = new Map<number, RecordLayout>();
for (const layout of RECORD_LAYOUTS) {
  for (const version of layout.versions) {
    for (const rtype of layout.rtypes) BY_VERSION_AND_RTYPE.set(version * 256 + rtype, layout);
  }
}

/** Returns the layout of an rtype in a DBN version, or undefined for an unknown rtype. */
export function recordLayout(rtype: number, version: DbnVersion): RecordLayout | undefined {
  return BY_VERSION_AND_RTYPE.get(version * 256 + rtype);
}

/** Returns the size in bytes of an rtype's record in a DBN version, without `ts_out`. */
export function recordSize(rtype: number, version: DbnVersion): number {
  const layout = recordLayout(rtype, version);
  if (layout === undefined) {
    throw new RangeError(`Unknown rtype 0x${rtype.toString(16).padStart(2, "0")}`);
  }
  return layout.size;
}
