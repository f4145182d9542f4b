/**
 * One DBN record as a JSON line, byte for byte as Databento's `dbn` CLI prints it.
 * @module
 */
import { HEADER_FIELDS, tableForRecord, type TextField, type TextRecord } from "./field_table.ts";
import { asciiEscape } from "./escape.ts";
import { JsonWriter } from "./json_writer.ts";
import { type RecordJsonOptions, wantsSymbol } from "./options.ts";
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

/** Formats a decoded record as one JSON object (no trailing newline). */
export function formatRecordJson<R extends TextRecord>(
  record: R,
  options: RecordJsonOptions = {},
): string {
  const table = tableForRecord(record, options.version);
  const pretty = prettyOf(options);
  const out = new JsonWriter(options.indent ?? false).beginObject();
  writeFields(out, record, table.fields, pretty);
  const tsOut = (record as { tsOut?: unknown }).tsOut;
  if (tsOut !== undefined) out.field("ts_out", tsText(tsOut, pretty.ts, "ts_out"));
  if (wantsSymbol(options)) out.field("symbol", options.symbol ?? null);
  return out.endObject().toString();
}

function writeFields(
  out: JsonWriter,
  source: object,
  fields: readonly TextField[],
  pretty: Pretty,
): void {
  for (const field of fields) {
    const { name } = field;
    if (field.kind === "hd") {
      out.key(name).beginObject();
      writeFields(out, source, HEADER_FIELDS, pretty);
      out.endObject();
      continue;
    }
    const value = valueOf(source, field.key, name);
    switch (field.kind) {
      case "ts":
        out.field(name, tsText(value, pretty.ts, name));
        break;
      case "px":
        out.field(name, pxText(value, pretty.px, name));
        break;
      case "int64":
        out.field(name, intText(value, name));
        break;
      case "int":
        out.key(name).raw(intText(value, name));
        break;
      case "cchar": {
        // Databento writes the escape_default form unescaped by JSON rules, and null for NUL.
        const byte = charByte(value, name);
        out.key(name).raw(byte === 0 ? "null" : `"${asciiEscape(byte)}"`);
        break;
      }
      case "char":
        out.key(name).string(String.fromCharCode(charByte(value, name)));
        break;
      case "cstr":
        out.key(name).string(strText(value, name));
        break;
      case "levels": {
        out.key(name).beginArray();
        for (const level of levelsOf(value, name)) {
          out.item().beginObject();
          writeFields(out, level, field.levelFields!, pretty);
          out.endObject();
        }
        out.endArray();
        break;
      }
    }
  }
}
