/**
 * JSON helpers of the venue parsers: the plain-object check and the `malformed_json` drop of a
 * frame whose shape is wrong, naming the identifying keys it does have.
 * @module
 */

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The `malformed_json` drop of a frame: the `keys` it has, or its JSON type when no object. */
export function malformedDrop(
  value: unknown,
  keys: readonly string[],
): { type: "drop"; reason: "malformed_json"; detail: Record<string, unknown> } {
  const detail: Record<string, unknown> = {};
  if (isRecord(value)) {
    for (const key of keys) {
      if (key in value) detail[key] = value[key];
    }
  } else {
    detail.json = typeof value;
  }
  return { type: "drop", reason: "malformed_json", detail };
}
