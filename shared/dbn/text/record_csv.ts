/**
 * DBN records as CSV (or TSV) rows, byte for byte as Databento's `dbn` CLI prints them: the
 * header fields in place of `hd`, `levels` flattened as `bid_px_00,ask_px_00,...`, nulls empty.
 * @module
 */
import type { RecordName } from "../enums.ts";
import { pad } from "./_dates.ts";
import {
  charByte,
  intText,
  levelsOf,
  type Pretty,
  prettyOf,
  pxText,
  strText,
  tsText,
  valueOf,
} from "./_scalars.ts";
import { csvField } from "./escape.ts";
import {
  HEADER_FIELDS,
  tableForRecord,
  type TextField,
  type TextRecord,
  textTable,
} from "./field_table.ts";
import { type CsvHeaderOptions, type RecordCsvOptions, wantsSymbol } from "./options.ts";

/** Returns the header row (no trailing newline) of a record struct, by name or rtype. */
export function csvHeader(record: RecordName | number, options: CsvHeaderOptions = {}): string {
  const table = textTable(record, options.version);
  const names: string[] = [];
  for (const field of table.fields) {
    if (field.kind === "hd") names.push(...HEADER_FIELDS.map((f) => f.name));
    else if (field.kind === "levels") {
      for (let i = 0; i < table.levelCount; i++) {
        names.push(...field.levelFields!.map((f) => `${f.name}_${pad(i, 2)}`));
      }
    } else names.push(field.name);
  }
  if (options.tsOut === true) names.push("ts_out");
  if (options.withSymbol === true) names.push("symbol");
  return names.join(options.delimiter ?? ",");
}

/** Formats a decoded record as one CSV row (no trailing newline). */
export function formatRecordCsv<R extends TextRecord>(
  record: R,
  options: RecordCsvOptions = {},
): string {
  const table = tableForRecord(record, options.version);
  const pretty = prettyOf(options);
  const cells: string[] = [];
  collect(cells, record, table.fields, pretty);
  const tsOut = (record as { tsOut?: unknown }).tsOut;
  if (tsOut !== undefined) cells.push(tsText(tsOut, pretty.ts, "ts_out") ?? "");
  if (wantsSymbol(options)) cells.push(options.symbol ?? "");
  const delimiter = options.delimiter ?? ",";
  return cells.map((cell) => csvField(cell, delimiter)).join(delimiter);
}

function collect(
  cells: string[],
  source: object,
  fields: readonly TextField[],
  pretty: Pretty,
): void {
  for (const field of fields) {
    const { name } = field;
    if (field.kind === "hd") {
      collect(cells, source, HEADER_FIELDS, pretty);
      continue;
    }
    const value = valueOf(source, field.key, name);
    switch (field.kind) {
      case "ts":
        cells.push(tsText(value, pretty.ts, name) ?? "");
        break;
      case "px":
        cells.push(pxText(value, pretty.px, name) ?? "");
        break;
      case "int64":
      case "int":
        cells.push(intText(value, name));
        break;
      case "cchar": {
        const byte = charByte(value, name);
        cells.push(byte === 0 ? "" : String.fromCharCode(byte));
        break;
      }
      case "char":
        cells.push(String.fromCharCode(charByte(value, name)));
        break;
      case "cstr":
        cells.push(strText(value, name));
        break;
      case "levels": {
        for (const level of levelsOf(value, name)) {
          collect(cells, level, field.levelFields!, pretty);
        }
        break;
      }
    }
  }
}
