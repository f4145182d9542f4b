/**
 * A DBN stream as the text the `dbn` CLI writes: `--json` (default), `--csv` or `--tsv`, with
 * `--pretty` and `--map-symbols`. RecordPrinter turns records into lines one at a time (what a
 * streaming reader needs); transcode() does a whole decoded stream.
 * @module
 */
import type { DbnVersion } from "../constants.ts";
import {
  isSchema,
  parseSchema,
  type RType,
  rtypeRecordName,
  type Schema,
  schemaRType,
} from "../enums.ts";
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
  readonly rtype: number;
  readonly instrumentId: number;
  readonly tsEvent: bigint;
  readonly tsRecv?: bigint;
};

/** What the printer must know of the stream; `metadata` is absent for fragments. */
export interface TextStream {
  readonly version: DbnVersion;
  readonly tsOut: boolean;
  readonly metadata?: TextMetadata;
}

function schemaOf(metadata: TextMetadata | undefined): Schema | undefined {
  const schema = metadata?.schema;
  if (typeof schema === "string") return parseSchema(schema);
  return typeof schema === "number" && isSchema(schema) ? schema as Schema : undefined;
}

/** Prints one stream's records as lines; a CSV's header comes once, before the first row. */
export class RecordPrinter {
  readonly #stream: TextStream;
  readonly #encoding: "json" | "csv" | "tsv";
  readonly #pretty: boolean;
  readonly #symbols: SymbolMap | undefined;
  readonly #delimiter: string;
  #rtype: number | undefined;
  #headerPending: boolean;

  constructor(stream: TextStream, options: TranscodeOptions = {}) {
    this.#stream = stream;
    this.#encoding = options.encoding ?? "json";
    this.#pretty = options.pretty ?? false;
    this.#delimiter = this.#encoding === "tsv" ? "\t" : ",";
    if (options.mapSymbols) {
      if (stream.metadata === undefined) {
        throw new TypeError("Cannot map symbols without metadata: the stream is a fragment");
      }
      this.#symbols = SymbolMap.fromMetadata(stream.metadata);
    }
    const schema = schemaOf(stream.metadata);
    this.#rtype = schema === undefined ? undefined : schemaRType(schema);
    this.#headerPending = this.#encoding !== "json" && (options.writeHeader ?? true);
  }

  /** The CSV header row (with "\n") when it is due and the record type is known, else "". */
  header(): string {
    if (!this.#headerPending || this.#rtype === undefined) return "";
    this.#headerPending = false;
    return csvHeader(this.#rtype, {
      version: this.#stream.version,
      tsOut: this.#stream.tsOut,
      withSymbol: this.#symbols !== undefined,
      delimiter: this.#delimiter,
    }) + "\n";
  }

  /** The record's line (with "\n"), preceded by the CSV header when it is still due. */
  print(record: TranscodeRecord): string {
    this.#symbols?.onRecord(record);
    const text = {
      pretty: this.#pretty,
      version: this.#stream.version,
      ...(this.#symbols ? { symbol: this.#symbols.getForRecord(record) ?? null } : {}),
    };
    if (this.#encoding === "json") {
      return formatRecordJson(record, { ...text, indent: this.#pretty }) + "\n";
    }
    this.#rtype ??= record.rtype;
    // Same record type, not same rtype: legacy OHLCV (0x11) prints under an ohlcv-1h header.
    if (rtypeRecordName(record.rtype as RType) !== rtypeRecordName(this.#rtype as RType)) {
      throw new RangeError(
        `Cannot encode rtype ${record.rtype} in a CSV of rtype ${this.#rtype}: mixed schemas`,
      );
    }
    return this.header() + formatRecordCsv(record, { ...text, delimiter: this.#delimiter }) + "\n";
  }
}

/** Yields the CLI's output for a whole decoded stream, one line (with its "\n") per call. */
export function* transcode(
  metadata: TextMetadata,
  records: Iterable<TranscodeRecord>,
  options: TranscodeOptions = {},
): Generator<string> {
  const version = metadata.version as DbnVersion;
  const printer = new RecordPrinter({ version, tsOut: metadata.tsOut, metadata }, options);
  const header = printer.header();
  if (header !== "") yield header;
  for (const record of records) yield printer.print(record);
}
