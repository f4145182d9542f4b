/**
 * Options shared by the JSON and CSV record encoders.
 * @module
 */
import type { DbnVersion } from "../constants.ts";

/** How to print one record. */
export interface RecordTextOptions {
  /** Both `prettyPx` and `prettyTs` (Databento's `--pretty` for CSV). */
  pretty?: boolean;
  /** Prices as decimals with nine places; overrides `pretty`. */
  prettyPx?: boolean;
  /** Timestamps as ISO 8601 with nanoseconds; overrides `pretty`. */
  prettyTs?: boolean;
  /** The DBN version of the record's layout; read from the record's shape when absent. */
  version?: DbnVersion;
  /** Adds a trailing `symbol` field (`--map-symbols`); null prints as JSON null / empty CSV. */
  symbol?: string | null;
  /** Adds the `symbol` field even when `symbol` is undefined (then printed as null). */
  withSymbol?: boolean;
}

/** How to print one record as JSON. */
export interface RecordJsonOptions extends RecordTextOptions {
  /** Indented multi-line layout (what the CLI's `--pretty` also does to JSON). */
  indent?: boolean;
}

/** How to print one record as a CSV row. */
export interface RecordCsvOptions extends RecordTextOptions {
  /** Field separator: "," (default) or "\t" for TSV. */
  delimiter?: string;
}

/** How to print a CSV header row. */
export interface CsvHeaderOptions {
  /** The DBN version of the layout (default 3). */
  version?: DbnVersion;
  /** Adds the `ts_out` column of streams whose metadata says `ts_out`. */
  tsOut?: boolean;
  /** Adds the trailing `symbol` column (`--map-symbols`). */
  withSymbol?: boolean;
  /** Field separator: "," (default) or "\t" for TSV. */
  delimiter?: string;
}

/** True when the options ask for a `symbol` field. */
export function wantsSymbol(options: RecordTextOptions): boolean {
  return options.withSymbol === true || options.symbol !== undefined;
}
