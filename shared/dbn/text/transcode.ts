/**
 * A whole decoded DBN stream as the text the `dbn` CLI writes: `--json` (default), `--csv` or
 * `--tsv`, with `--pretty` and `--map-symbols`. Yields one string per output line, newline
 * included (a pretty JSON record spans several lines but is yielded as one string).
 * @module
 */
import type { DbnVersion } from "../constants.ts";
import { isSchema, parseSchema, type Schema, schemaRType } from "../enums.ts";
import type { TextRecord } from "./field_table.ts";
import type { TextMetadata } from "./metadata_json.ts";
import { csvHeader, formatRecordCsv } from "./record_csv.ts";
import { formatRecordJson } from "./record_json.ts";
import { SymbolMap } from "./symbol_map.ts";

/** The CLI switches that shape the text. */
export interface TranscodeOptions {
  /** Output encoding; "json" is the CLI's default. */
  encoding?: "json" | "csv" | "tsv";
  /** `--pretty`: pretty prices and timestamps, and indented JSON. */
  pretty?: boolean;
  /** `--map-symbols`: a trailing `symbol` field resolved from the metadata's mappings. */
  mapSymbols?: boolean;
  /** Write the CSV header row (the CLI's default; `--omit-header` turns it off). */
  writeHeader?: boolean;
}

/** A record as the transcoder needs it: printable, and with what symbol lookup reads. */
export type TranscodeRecord = TextRecord & {
  readonly instrumentId: number;
  readonly tsEvent: bigint;
  readonly tsRecv?: bigint;
};

/** Yields the CLI's output for a stream, one line (with its "\n") per call. */
export function* transcode(
  metadata: TextMetadata,
  records: Iterable<TranscodeRecord>,
  options: TranscodeOptions = {},
): Generator<string> {
  const encoding = options.encoding ?? "json";
  const pretty = options.pretty ?? false;
  const version = metadata.version as DbnVersion;
  const symbols = options.mapSymbols ? SymbolMap.fromMetadata(metadata) : undefined;
  const symbolOf = (record: TranscodeRecord) =>
    symbols === undefined ? {} : { symbol: symbols.getForRecord(record) ?? null };
  if (encoding === "json") {
    for (const record of records) {
      yield formatRecordJson(record, { pretty, indent: pretty, version, ...symbolOf(record) }) +
        "\n";
    }
    return;
  }
  const delimiter = encoding === "tsv" ? "\t" : ",";
  const schema = typeof metadata.schema === "string"
    ? parseSchema(metadata.schema)
    : typeof metadata.schema === "number" && isSchema(metadata.schema)
    ? metadata.schema as Schema
    : undefined;
  if (schema === undefined) throw new RangeError("Cannot encode a CSV with mixed schemas");
  const rtype = schemaRType(schema);
  if (options.writeHeader ?? true) {
    const withSymbol = symbols !== undefined;
    yield csvHeader(rtype, { version, tsOut: metadata.tsOut, withSymbol, delimiter }) + "\n";
  }
  for (const record of records) {
    if (record.rtype !== rtype) {
      throw new RangeError(
        `Cannot encode rtype ${record.rtype} in a CSV of rtype ${rtype}: mixed schemas`,
      );
    }
    yield formatRecordCsv(record, { pretty, version, delimiter, ...symbolOf(record) }) + "\n";
  }
}
