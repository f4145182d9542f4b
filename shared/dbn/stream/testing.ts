/**
 * Test helpers for DBN streams: the upstream fixtures in `shared/fixtures/dbn/` (read in place,
 * never copied), their README index, and whole-buffer reference decoding to compare against.
 * @module
 */
import assert from "node:assert/strict";
import type { DbnVersion } from "../constants.ts";
import { decodeMetadata } from "../metadata_codec.ts";
import { decodeRecord } from "../record_codec.ts";
import type { DbnRecord } from "../records.ts";
import type { Metadata } from "../metadata.ts";
import { Schema, SType } from "../enums.ts";
import { dbzToDbnMetadata } from "./_dbz.ts";
import { decompressZstd } from "./zstd.ts";

/** The fixture folder (outside the repository, next to it). */
export const DBN_FIXTURES = new URL("../../../../shared/fixtures/dbn/", import.meta.url);

/** One row of the fixture README's file list. */
export interface FixtureInfo {
  name: string;
  path: string;
  compression: "none" | "zstd" | "dbz";
  fragment: boolean;
  records: number;
  /** The README's "first record" column as key -> value (empty when there are no records). */
  first: Record<string, string>;
}

/** Parses the README's file list. */
export function fixtureIndex(): FixtureInfo[] {
  const readme = Deno.readTextFileSync(new URL("README.md", DBN_FIXTURES));
  const rows: FixtureInfo[] = [];
  for (const line of readme.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const name = /^`([^`]+)`$/.exec(cells[1] ?? "")?.[1];
    if (name === undefined || cells.length < 9) continue;
    rows.push({
      name,
      path: new URL(name, DBN_FIXTURES).pathname,
      compression: cells[3]!.startsWith("zstd (DBZ)")
        ? "dbz"
        : cells[3] === "none"
        ? "none"
        : "zstd",
      fragment: cells[4]!.includes("fragment"),
      records: Number(cells[7]),
      first: parseFirst(cells[8]!),
    });
  }
  return rows;
}

function parseFirst(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const flat = text.replace(/ L0 /, " ");
  for (const match of flat.matchAll(/(\S+)=(.*?)(?= \S+=|$)/g)) out[match[1]!] = match[2]!;
  return out;
}

const FIELD_OF: Readonly<Record<string, string>> = {
  iid: "instrumentId",
  pub: "publisherId",
  ts_event: "tsEvent",
  ts_recv: "tsRecv",
  seq: "sequence",
  order_id: "orderId",
  raw_symbol: "rawSymbol",
  instrument_class: "instrumentClass",
  ref_price: "refPrice",
  total_imbalance_qty: "totalImbalanceQty",
  stat_type: "statType",
  is_trading: "isTrading",
  O: "open",
  H: "high",
  L: "low",
  C: "close",
  V: "volume",
};

/** Asserts that a decoded record shows every value of a README "first record" entry. */
export function assertMatchesReadme(
  record: DbnRecord,
  first: Record<string, string>,
  label: string,
) {
  const fields = record as unknown as Record<string, unknown>;
  const level = (fields.levels as Record<string, unknown>[] | undefined)?.[0];
  for (const [key, expected] of Object.entries(first)) {
    if (key === "bid" || key === "ask") {
      const actual = `${level?.[`${key}Px`]}x${level?.[`${key}Sz`]}`;
      assert.equal(actual, expected, `${label}: ${key}`);
      continue;
    }
    const field = FIELD_OF[key] ?? key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const want = expected === "(0)" ? "" : expected;
    assert.equal(String(fields[field]), want, `${label}: ${key} (${field})`);
  }
}

/** Reads a fixture file into memory. */
export function fixtureBytes(name: string): Uint8Array {
  return Deno.readFileSync(new URL(name, DBN_FIXTURES));
}

/** Collects an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Joins byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Decompresses all of a zstd input in memory (every frame). */
export async function unzstd(bytes: Uint8Array): Promise<Uint8Array> {
  return concatBytes(
    await collect(decompressZstd((async function* () {
      yield bytes;
    })())),
  );
}

/** A fixture decoded the simple way: whole file in memory, records one after the other. */
export interface ReferenceDecode {
  metadata: Metadata | undefined;
  version: DbnVersion;
  /** The decompressed records, back to back. */
  recordBytes: Uint8Array;
  records: DbnRecord[];
}

/** Decodes a whole fixture in memory with the codec alone (the oracle for the stream reader). */
export async function referenceDecode(info: FixtureInfo): Promise<ReferenceDecode> {
  const raw = fixtureBytes(info.name);
  let metadata: Metadata | undefined;
  let version: DbnVersion;
  let recordBytes: Uint8Array;
  if (info.compression === "dbz") {
    const size = new DataView(raw.buffer).getUint32(4, true);
    metadata = decodeMetadata(dbzToDbnMetadata(raw.subarray(8, 8 + size), info.name)).metadata;
    version = 1;
    recordBytes = await unzstd(raw.subarray(8 + size));
  } else {
    const plain = info.compression === "zstd" ? await unzstd(raw) : raw;
    if (info.fragment) {
      version = Number(/\.v([123])\./.exec(info.name)?.[1] ?? 2) as DbnVersion;
      recordBytes = plain;
    } else {
      const decoded = decodeMetadata(plain);
      metadata = decoded.metadata;
      version = metadata.version;
      recordBytes = plain.subarray(decoded.byteLength);
    }
  }
  const records: DbnRecord[] = [];
  const context = { version, tsOut: metadata?.tsOut ?? false };
  for (let at = 0; at < recordBytes.length; at += recordBytes[at]! * 4) {
    records.push(decodeRecord(recordBytes, at, context));
  }
  return { metadata, version, recordBytes, records };
}

/**
 * `Deno.test` with the resource and op sanitizers switched on (this Deno's default is off), so a
 * file handle or a pending read left behind fails the test.
 */
export function sanitizedTest(name: string, fn: () => void | Promise<void>): void {
  Deno.test({ name, fn, sanitizeResources: true, sanitizeOps: true, sanitizeExit: true });
}

/** Options of {@linkcode tradesMetadata}. */
export interface TradesMetadataOptions {
  dataset?: string;
  /** Query start, ns (default 0). */
  start?: bigint;
  /** Mapping interval as yyyymmdd dates, end exclusive (default 20200101 to 20300101). */
  startDate?: number;
  endDate?: number;
}

/** Metadata of a v3 trades file mapping each raw symbol to its instrument id. */
export function tradesMetadata(
  symbols: Readonly<Record<string, number>>,
  options: TradesMetadataOptions = {},
): Metadata {
  const { startDate = 20200101, endDate = 20300101 } = options;
  return {
    version: 3,
    dataset: options.dataset ?? "TEST.TRADES",
    schema: Schema.Trades,
    start: options.start ?? 0n,
    end: null,
    limit: null,
    stypeIn: SType.RawSymbol,
    stypeOut: SType.InstrumentId,
    tsOut: false,
    symbolCstrLen: 71,
    symbols: Object.keys(symbols),
    partial: [],
    notFound: [],
    mappings: Object.entries(symbols).map(([rawSymbol, id]) => ({
      rawSymbol,
      intervals: [{ startDate, endDate, symbol: String(id) }],
    })),
  };
}
