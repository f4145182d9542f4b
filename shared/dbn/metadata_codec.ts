/**
 * Decodes and encodes the DBN metadata header, v1, v2 and v3 (DBN.md section 2), byte-exactly.
 * @module
 */
import { DataError } from "@shared/domain/mod.ts";
import {
  type DbnVersion,
  METADATA_DATASET_CSTR_LEN,
  METADATA_FIXED_LEN,
  METADATA_PRELUDE_LEN,
  NULL_END,
  NULL_RECORD_COUNT,
  NULL_SCHEMA,
  NULL_STYPE,
  SYMBOL_CSTR_LEN_V1,
} from "./constants.ts";
import { isSchema, isSType } from "./enums.ts";
import { isYmdDate, type Metadata, type SymbolMapping } from "./metadata.ts";
import { readCstr, viewOf, writeCstr } from "./_field_codec.ts";

/** Options of {@linkcode decodeMetadata}. */
export interface DecodeMetadataOptions {
  /** Where the metadata starts in `bytes` (default 0). */
  offset?: number;
  /** Names the input in error messages. */
  source?: string;
}

/** A decoded header and its size: the first record starts at `offset + byteLength`. */
export interface DecodedMetadata {
  metadata: Metadata;
  /** 8 + the stored `length`, v3 padding included. */
  byteLength: number;
}

// Offsets from the start of the prelude; the variable part starts at VARIABLE_START.
const VARIABLE_START = METADATA_PRELUDE_LEN + METADATA_FIXED_LEN + 4;

/** Decodes a metadata header; malformed input throws a DataError naming the byte offset. */
export function decodeMetadata(
  bytes: Uint8Array,
  options: DecodeMetadataOptions = {},
): DecodedMetadata {
  const base = options.offset ?? 0;
  const fail = (code: string, message: string, at: number): never => {
    throw new DataError(code, message, { source: options.source, offset: at });
  };
  if (bytes.length - base < METADATA_PRELUDE_LEN) {
    fail(
      "dbn.truncated_metadata",
      `Input of ${bytes.length - base} bytes is too short for DBN metadata`,
      base,
    );
  }
  if (bytes[base] !== 0x44 || bytes[base + 1] !== 0x42 || bytes[base + 2] !== 0x4E) {
    const found = Array.from(
      bytes.subarray(base, base + 3),
      (b) => b.toString(16).padStart(2, "0"),
    );
    fail("dbn.bad_magic", `Expected the "DBN" magic, found bytes ${found.join(" ")}`, base);
  }
  const rawVersion = bytes[base + 3]!;
  if (rawVersion === 0) {
    fail(
      "dbn.unsupported_version",
      "DBN version 0 is legacy DBZ, which this decoder does not read",
      base + 3,
    );
  }
  if (rawVersion > 3) {
    fail(
      "dbn.unsupported_version",
      `DBN version ${rawVersion} is newer than the supported 3`,
      base + 3,
    );
  }
  const version = rawVersion as DbnVersion;
  const view = viewOf(bytes);
  const length = view.getUint32(base + 4, true);
  if (length < METADATA_FIXED_LEN) {
    fail(
      "dbn.bad_metadata_length",
      `Metadata length ${length} is below the minimum ${METADATA_FIXED_LEN}`,
      base + 4,
    );
  }
  const end = base + METADATA_PRELUDE_LEN + length;
  if (end > bytes.length) {
    fail(
      "dbn.truncated_metadata",
      `Metadata length ${length} runs past the end of the input (${
        bytes.length - base - 8
      } bytes follow the prelude)`,
      base + 4,
    );
  }
  const at = (relative: number) => base + relative;
  const rawSchema = view.getUint16(at(24), true);
  if (rawSchema !== NULL_SCHEMA && !isSchema(rawSchema)) {
    fail("dbn.bad_schema", `Unknown schema ${rawSchema}`, at(24));
  }
  const rawEnd = view.getBigUint64(at(34), true);
  const rawLimit = view.getBigUint64(at(42), true);
  const fixed = version === 1 ? at(58) : at(50);
  const rawStypeIn = bytes[fixed]!;
  const rawStypeOut = bytes[fixed + 1]!;
  if (rawStypeIn !== NULL_STYPE && !isSType(rawStypeIn)) {
    fail("dbn.bad_stype", `Unknown stype_in ${rawStypeIn}`, fixed);
  }
  if (!isSType(rawStypeOut)) fail("dbn.bad_stype", `Unknown stype_out ${rawStypeOut}`, fixed + 1);
  const width = version === 1 ? SYMBOL_CSTR_LEN_V1 : view.getUint16(at(53), true);
  if (width === 0) fail("dbn.bad_symbol_cstr_len", "Symbol width 0 is invalid", at(53));
  if (at(VARIABLE_START) > end) {
    fail(
      "dbn.truncated_metadata",
      `Metadata length ${length} ends before the schema definition length`,
      base + 4,
    );
  }
  const schemaDefinitionLength = view.getUint32(at(108), true);
  if (schemaDefinitionLength !== 0) {
    fail(
      "dbn.schema_definition",
      `Schema definition length ${schemaDefinitionLength} is not supported (expected 0)`,
      at(108),
    );
  }

  let pos = at(VARIABLE_START);
  const readCount = (what: string, itemSize: number): number => {
    if (pos + 4 > end) {
      fail("dbn.truncated_metadata", `Metadata ends before the ${what} count`, pos);
    }
    const count = view.getUint32(pos, true);
    if (count * itemSize > end - pos - 4) {
      fail(
        "dbn.bad_metadata_count",
        `${what} count ${count} needs at least ${count * itemSize} bytes, only ${
          end - pos - 4
        } left in the metadata`,
        pos,
      );
    }
    pos += 4;
    return count;
  };
  const readSymbol = (): string => {
    const symbol = readCstr(bytes, pos, width);
    pos += width;
    return symbol;
  };
  const readSymbols = (what: string): string[] => {
    const count = readCount(what, width);
    return Array.from({ length: count }, readSymbol);
  };
  const symbols = readSymbols("Symbols");
  const partial = readSymbols("Partial");
  const notFound = readSymbols("Not-found");
  const mappings: SymbolMapping[] = [];
  const mappingCount = readCount("Mappings", width + 4);
  for (let i = 0; i < mappingCount; i++) {
    const rawSymbol = readSymbol();
    const intervalCount = readCount(`Intervals of "${rawSymbol}"`, 8 + width);
    const intervals = [];
    for (let j = 0; j < intervalCount; j++) {
      const startDate = view.getUint32(pos, true);
      const endDate = view.getUint32(pos + 4, true);
      if (!isYmdDate(startDate)) {
        fail(
          "dbn.bad_date",
          `Invalid start date ${startDate} in the mapping of "${rawSymbol}"`,
          pos,
        );
      }
      if (!isYmdDate(endDate)) {
        fail(
          "dbn.bad_date",
          `Invalid end date ${endDate} in the mapping of "${rawSymbol}"`,
          pos + 4,
        );
      }
      pos += 8;
      intervals.push({ startDate, endDate, symbol: readSymbol() });
    }
    mappings.push({ rawSymbol, intervals });
  }

  const metadata: Metadata = {
    version,
    dataset: readCstr(bytes, at(8), METADATA_DATASET_CSTR_LEN),
    schema: rawSchema === NULL_SCHEMA ? null : rawSchema as Metadata["schema"],
    start: view.getBigUint64(at(26), true),
    end: rawEnd === NULL_END ? null : rawEnd,
    limit: rawLimit === 0n ? null : rawLimit,
    stypeIn: rawStypeIn === NULL_STYPE ? null : rawStypeIn as Metadata["stypeOut"],
    stypeOut: rawStypeOut as Metadata["stypeOut"],
    tsOut: bytes[fixed + 2] !== 0,
    symbolCstrLen: width,
    symbols,
    partial,
    notFound,
    mappings,
  };
  if (version === 1) {
    const recordCount = view.getBigUint64(at(50), true);
    metadata.recordCount = recordCount === NULL_RECORD_COUNT ? null : recordCount;
  }
  return { metadata, byteLength: METADATA_PRELUDE_LEN + length };
}

/** Returns the number of bytes {@linkcode encodeMetadata} writes, prelude and v3 padding included. */
export function encodedMetadataSize(metadata: Metadata): number {
  return METADATA_PRELUDE_LEN + bodyLength(metadata, symbolWidth(metadata));
}

/**
 * Encodes metadata in the layout of `metadata.version`: reserved bytes zero, strings NUL-padded,
 * v3 padded to a multiple of 8. A string or number that does not fit throws a RangeError.
 */
export function encodeMetadata(metadata: Metadata): Uint8Array {
  const { version } = metadata;
  if (version !== 1 && version !== 2 && version !== 3) {
    throw new RangeError(`Cannot encode DBN version ${version}: expected 1, 2 or 3`);
  }
  const width = symbolWidth(metadata);
  const length = bodyLength(metadata, width);
  const bytes = new Uint8Array(METADATA_PRELUDE_LEN + length);
  const view = viewOf(bytes);
  bytes.set([0x44, 0x42, 0x4E, version]);
  view.setUint32(4, length, true);
  writeCstr(bytes, 8, METADATA_DATASET_CSTR_LEN, metadata.dataset, "the metadata dataset");
  view.setUint16(24, metadata.schema ?? NULL_SCHEMA, true);
  view.setBigUint64(26, checkU64(metadata.start, "start"), true);
  view.setBigUint64(34, checkU64(metadata.end ?? NULL_END, "end"), true);
  view.setBigUint64(42, checkU64(metadata.limit ?? 0n, "limit"), true);
  let fixed = 50;
  if (version === 1) {
    view.setBigUint64(50, checkU64(metadata.recordCount ?? NULL_RECORD_COUNT, "recordCount"), true);
    fixed = 58;
  }
  bytes[fixed] = metadata.stypeIn ?? NULL_STYPE;
  bytes[fixed + 1] = metadata.stypeOut;
  bytes[fixed + 2] = metadata.tsOut ? 1 : 0;
  if (version !== 1) view.setUint16(53, width, true);
  let pos = VARIABLE_START;
  const writeSymbol = (symbol: string, label: string) => {
    writeCstr(bytes, pos, width, symbol, label);
    pos += width;
  };
  const writeU32 = (value: number, label: string) => {
    if (!Number.isInteger(value) || value < 0 || value > 0xFFFF_FFFF) {
      throw new RangeError(`Value ${value} is out of range for ${label} (u32)`);
    }
    view.setUint32(pos, value, true);
    pos += 4;
  };
  for (
    const [list, label] of [
      [metadata.symbols, "symbols"],
      [metadata.partial, "partial"],
      [metadata.notFound, "notFound"],
    ] as const
  ) {
    writeU32(list.length, `the ${label} count`);
    for (const symbol of list) writeSymbol(symbol, `a metadata ${label} symbol`);
  }
  writeU32(metadata.mappings.length, "the mappings count");
  for (const mapping of metadata.mappings) {
    writeSymbol(mapping.rawSymbol, "a mapping raw symbol");
    writeU32(mapping.intervals.length, "an interval count");
    for (const interval of mapping.intervals) {
      for (const date of [interval.startDate, interval.endDate]) {
        if (!isYmdDate(date)) {
          throw new RangeError(`Invalid date ${date} in the mapping of "${mapping.rawSymbol}"`);
        }
        writeU32(date, "a mapping date");
      }
      writeSymbol(interval.symbol, "a mapping symbol");
    }
  }
  return bytes;
}

function symbolWidth(metadata: Metadata): number {
  if (metadata.version === 1) return SYMBOL_CSTR_LEN_V1;
  const width = metadata.symbolCstrLen;
  if (!Number.isInteger(width) || width < 1 || width > 0xFFFF) {
    throw new RangeError(`Symbol width ${width} is out of range (1 to 65535)`);
  }
  return width;
}

function bodyLength(metadata: Metadata, width: number): number {
  let needed = METADATA_FIXED_LEN + 4 * 5 +
    width * (metadata.symbols.length + metadata.partial.length + metadata.notFound.length);
  for (const mapping of metadata.mappings) {
    needed += width + 4 + mapping.intervals.length * (8 + width);
  }
  return metadata.version === 3 ? Math.ceil(needed / 8) * 8 : needed;
}

function checkU64(value: bigint, label: string): bigint {
  if (typeof value !== "bigint" || value < 0n || value > NULL_RECORD_COUNT) {
    throw new RangeError(`Value ${value} is out of range for metadata "${label}" (u64)`);
  }
  return value;
}
