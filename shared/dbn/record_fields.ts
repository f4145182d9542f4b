/**
 * A record's fields in Databento's JSON/CSV order with Databento's snake_case names, for printers.
 * @module
 */
import type { DbnVersion } from "./constants.ts";
import { recordLayout } from "./layouts.ts";
import type { FieldLayout } from "./layout.ts";
import type { DbnRecord } from "./records.ts";

/** One named value; `hd` holds the header, `levels` an array of snake_case level objects. */
export interface RecordField {
  name: string;
  value: unknown;
}

/**
 * Returns a record's fields as Databento prints them: `ts_recv` (when the record has it) and `hd`
 * = {ts_event, rtype, publisher_id, instrument_id} first, then the rest, then `ts_out` if present.
 * `version` picks the layout of the versioned record types (default 3).
 */
export function recordFields(record: DbnRecord, version: DbnVersion = 3): RecordField[] {
  const layout = recordLayout(record.rtype, version);
  if (layout === undefined) throw new RangeError(`Unknown rtype ${record.rtype}`);
  const source = record as unknown as Record<string, unknown>;
  const byName = new Map(layout.fields.map((field) => [field.name, field]));
  const out: RecordField[] = [];
  for (const name of layout.encodeOrder) {
    if (name === "hd") {
      const hd = {
        ts_event: record.tsEvent,
        rtype: record.rtype,
        publisher_id: record.publisherId,
        instrument_id: record.instrumentId,
      };
      out.push({ name, value: hd });
      continue;
    }
    const field = byName.get(name)!;
    out.push({ name, value: snakeValue(field, source[field.key]) });
  }
  if (record.tsOut !== undefined) out.push({ name: "ts_out", value: record.tsOut });
  return out;
}

function snakeValue(field: FieldLayout, value: unknown): unknown {
  if (field.levelFields === undefined || !Array.isArray(value)) return value;
  return value.map((level: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const sub of field.levelFields!) {
      if (sub.kind !== "reserved") out[sub.name] = level[sub.key];
    }
    return out;
  });
}
