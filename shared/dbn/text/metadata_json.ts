/**
 * DBN metadata as JSON, byte for byte as `dbn --metadata --json` prints it.
 * @module
 */
import { UNDEF_TIMESTAMP } from "../constants.ts";
import { isSchema, isSType, type Schema, schemaName, type SType, stypeName } from "../enums.ts";
import { isoDate } from "./_dates.ts";
import { tsText } from "./_scalars.ts";
import { JsonWriter } from "./json_writer.ts";

/** A date of a symbol mapping interval: yyyymmdd as a number or string, "YYYY-MM-DD", or a Date. */
export type MappingDate = number | string | Date;

/** The metadata fields the encoder prints (camelCase, as the codec decodes them). */
export interface TextMetadata {
  readonly version: number;
  readonly dataset: string;
  /** Schema number or name; null (or 0xFFFF) for mixed schemas. */
  readonly schema?: number | string | null;
  readonly start: bigint;
  /** null, 0 or UNDEF_TIMESTAMP mean "no end". */
  readonly end?: bigint | null;
  /** null or 0 mean "no limit". */
  readonly limit?: bigint | number | null;
  /** SType number or name; null (or 0xFF) when mixed. */
  readonly stypeIn?: number | string | null;
  readonly stypeOut: number | string;
  readonly tsOut: boolean;
  /** Defaults to 22 for version 1 and 71 otherwise. */
  readonly symbolCstrLen?: number;
  readonly symbols: readonly string[];
  readonly partial: readonly string[];
  readonly notFound: readonly string[];
  readonly mappings: readonly {
    readonly rawSymbol: string;
    readonly intervals: readonly {
      readonly startDate: MappingDate;
      readonly endDate: MappingDate;
      readonly symbol: string;
    }[];
  }[];
}

/** How to print metadata. */
export interface MetadataJsonOptions {
  /** ISO 8601 `start`/`end` and "YYYY-MM-DD" dates instead of integers (the CLI's `--pretty`). */
  pretty?: boolean;
  /** Overrides `pretty` for timestamps and dates. */
  prettyTs?: boolean;
  /** Indented multi-line layout (the CLI's `--pretty` also does this). */
  indent?: boolean;
}

/** Formats metadata as one JSON object (no trailing newline). */
export function formatMetadataJson(
  metadata: TextMetadata,
  options: MetadataJsonOptions = {},
): string {
  const pretty = options.prettyTs ?? options.pretty ?? false;
  const out = new JsonWriter(options.indent ?? false).beginObject();
  out.key("version").raw(String(metadata.version));
  out.field("dataset", metadata.dataset);
  out.field("schema", schemaText(metadata.schema));
  out.field("start", tsText(metadata.start, pretty, "start"));
  const end = metadata.end ?? 0n;
  out.field("end", end === 0n || end === UNDEF_TIMESTAMP ? null : tsText(end, pretty, "end"));
  const limit = BigInt(metadata.limit ?? 0);
  out.field("limit", limit === 0n ? null : limit.toString());
  out.field("stype_in", stypeText(metadata.stypeIn));
  out.field("stype_out", stypeText(metadata.stypeOut));
  out.key("ts_out").raw(metadata.tsOut ? "true" : "false");
  const symbolCstrLen = metadata.symbolCstrLen ?? (metadata.version === 1 ? 22 : 71);
  out.key("symbol_cstr_len").raw(String(symbolCstrLen));
  for (
    const [key, list] of [
      ["symbols", metadata.symbols],
      ["partial", metadata.partial],
      ["not_found", metadata.notFound],
    ] as const
  ) {
    out.key(key).beginArray();
    for (const symbol of list) out.item().string(symbol);
    out.endArray();
  }
  out.key("mappings").beginArray();
  for (const mapping of metadata.mappings) {
    out.item().beginObject().field("raw_symbol", mapping.rawSymbol);
    out.key("intervals").beginArray();
    for (const interval of mapping.intervals) {
      out.item().beginObject();
      for (
        const [key, date] of [["start_date", interval.startDate], ["end_date", interval.endDate]]
      ) {
        const yyyymmdd = mappingDate(date as MappingDate);
        out.key(key as string).raw(pretty ? `"${isoDate(yyyymmdd)}"` : String(yyyymmdd));
      }
      out.field("symbol", interval.symbol).endObject();
    }
    out.endArray().endObject();
  }
  return out.endArray().endObject().toString();
}

/** Converts a mapping interval date to the number yyyymmdd. */
export function mappingDate(date: MappingDate): number {
  if (date instanceof Date) {
    return date.getUTCFullYear() * 10_000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
  }
  const value = typeof date === "number" ? date : Number(date.replaceAll("-", ""));
  if (!Number.isInteger(value) || value < 10_000_101 || value > 99_991_231) {
    throw new RangeError(`Cannot read mapping date "${String(date)}"`);
  }
  return value;
}

function schemaText(schema: number | string | null | undefined): string | null {
  if (schema === null || schema === undefined || typeof schema === "string") return schema ?? null;
  return isSchema(schema) ? schemaName(schema as Schema) : null;
}

function stypeText(stype: number | string | null | undefined): string | null {
  if (stype === null || stype === undefined || typeof stype === "string") return stype ?? null;
  return isSType(stype) ? stypeName(stype as SType) : null;
}
