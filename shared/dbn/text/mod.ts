/**
 * Databento-compatible text output of DBN data: JSON lines, CSV/TSV and metadata JSON exactly as
 * the `dbn` CLI prints them, with pretty prices/timestamps and symbol mapping.
 * @module
 */
export { asciiEscape, csvField, jsonString } from "./escape.ts";
export {
  type FieldKind,
  FIXED_PRICE_FIELDS,
  HEADER_FIELDS,
  tableForRecord,
  TEXT_TABLES,
  type TextField,
  type TextRecord,
  type TextTable,
  textTable,
  UNIX_NANOS_FIELDS,
} from "./field_table.ts";
export { JsonWriter } from "./json_writer.ts";
export {
  formatMetadataJson,
  type MappingDate,
  mappingDate,
  type MetadataJsonOptions,
  type TextMetadata,
} from "./metadata_json.ts";
export {
  type CsvHeaderOptions,
  type RecordCsvOptions,
  type RecordJsonOptions,
  type RecordTextOptions,
} from "./options.ts";
export { formatPx, formatTs } from "./pretty.ts";
export { csvHeader, formatRecordCsv } from "./record_csv.ts";
export { formatRecordJson } from "./record_json.ts";
export { SymbolMap, type SymbolMapMetadata } from "./symbol_map.ts";
export {
  RecordPrinter,
  type TextStream,
  transcode,
  type TranscodeOptions,
  type TranscodeRecord,
} from "./transcode.ts";
