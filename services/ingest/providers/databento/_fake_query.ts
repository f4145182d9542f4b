/**
 * Request validation of the fake Databento server: parameters of the range methods read into a
 * query (dataset, schema, time range, resolved instruments, the metadata's mappings), with the
 * API's 422 answers for bad values.
 * @module
 */
import type { SymbolMapping } from "@shared/dbn/mod.ts";
import { nextYmd, parseDatetime, ymdOfIso, ymdOfNs } from "./params.ts";
import type { FakeSource, RecordFilter, SymbolInterval } from "./_fake_data.ts";

/** An error answer: status and the JSON `detail` (a string, or Databento's object form). */
export class FakeHttpError extends Error {
  constructor(readonly status: number, readonly detail: string | Record<string, unknown>) {
    super(typeof detail === "string" ? detail : String(detail.message));
  }
}

/** The fake's sources: dataset -> schema -> sources. */
export type Catalog = Map<string, Map<string, FakeSource[]>>;

/** A validated range request. */
export interface RangeQuery {
  dataset: string;
  schema: string;
  startNs: bigint;
  /** Exclusive end as given or forward-filled from `start`. */
  endNs: bigint;
  symbols: string[];
  stypeIn: string;
  stypeOut: string;
  limit: number | undefined;
  filter: RecordFilter;
  notFound: string[];
  mappings: SymbolMapping[];
  sources: FakeSource[];
}

const DOCS = "https://databento.com/docs/api-reference-historical/basics/errors";
const STYPES_IN = ["raw_symbol", "instrument_id"];

/** A 422 with Databento's object-shaped detail naming the parameter. */
export function invalidParam(param: string, message: string, value?: string): FakeHttpError {
  return new FakeHttpError(422, {
    case: "param_invalid",
    message,
    docs: DOCS,
    payload: { param, value: value ?? null },
  });
}

/** Reads and checks the parameters of get_range and the metadata estimates. */
export function parseRangeQuery(catalog: Catalog, params: Record<string, string>): RangeQuery {
  const dataset = requireDataset(catalog, params);
  const schema = params.schema ?? "trades";
  const sources = catalog.get(dataset)!.get(schema);
  if (sources === undefined) {
    throw invalidParam(
      "schema",
      `Invalid schema '${schema}' for dataset '${dataset}': available are ${
        [...catalog.get(dataset)!.keys()].sort().join(", ")
      }`,
      schema,
    );
  }
  const start = requireDatetime(params, "start");
  const endNs = params.end === undefined
    ? start.ns + start.resolutionNs
    : requireDatetime(params, "end").ns;
  if (start.ns >= endNs) {
    throw invalidParam(
      "start",
      `Invalid time range: start (${start.ns}) must be before end (${endNs})`,
    );
  }
  const stypeIn = params.stype_in ?? "raw_symbol";
  if (!STYPES_IN.includes(stypeIn)) {
    throw invalidParam(
      "stype_in",
      `Invalid stype_in '${stypeIn}': the fake serves raw_symbol and instrument_id`,
      stypeIn,
    );
  }
  const stypeOut = params.stype_out ?? "instrument_id";
  if (stypeOut !== "instrument_id") {
    throw invalidParam(
      "stype_out",
      `Invalid stype_out '${stypeOut}': only instrument_id is served`,
      stypeOut,
    );
  }
  let limit: number | undefined;
  if (params.limit !== undefined) {
    limit = /^\d+$/.test(params.limit) ? Number(params.limit) : NaN;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw invalidParam(
        "limit",
        `Invalid limit '${params.limit}': expected a positive integer`,
        params.limit,
      );
    }
  }
  const symbolText = params.symbols ?? "ALL_SYMBOLS";
  const symbols = symbolText.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (symbols.length === 0) {
    throw invalidParam("symbols", "Invalid symbols: empty list", symbolText);
  }
  if (symbols.length > 2000) {
    throw invalidParam("symbols", `Too many symbols: ${symbols.length} (at most 2000)`);
  }
  const range = { startDate: ymdOfNs(start.ns), endDate: nextYmd(ymdOfNs(endNs - 1n)) };
  const resolved = resolveSymbols(catalog, dataset, schema, symbols, stypeIn, range);
  return {
    dataset,
    schema,
    startNs: start.ns,
    endNs,
    symbols,
    stypeIn,
    stypeOut,
    limit,
    filter: { startNs: start.ns, endNs, instrumentIds: resolved.ids },
    notFound: resolved.notFound,
    mappings: resolved.mappings,
    sources,
  };
}

/** The dataset parameter, which must name a dataset with sources (422 otherwise). */
export function requireDataset(catalog: Catalog, params: Record<string, string>): string {
  const dataset = params.dataset;
  if (dataset === undefined || dataset === "") {
    throw invalidParam("dataset", "Missing required parameter 'dataset'");
  }
  if (!catalog.has(dataset)) {
    throw invalidParam("dataset", `Invalid dataset '${dataset}': not a known dataset`, dataset);
  }
  return dataset;
}

/** A YYYY-MM-DD parameter as yyyymmdd (422 when malformed). */
export function requireDate(params: Record<string, string>, name: string): number {
  const text = params[name];
  const parsed = text === undefined ? undefined : parseDatetime(text);
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(text) || parsed === undefined) {
    throw invalidParam(name, `Invalid date for '${name}': expected YYYY-MM-DD`, text);
  }
  return ymdOfIso(text);
}

/** Raw symbol -> intervals over every source of a dataset (any schema), sorted and deduplicated. */
export function datasetSymbols(catalog: Catalog, dataset: string): Map<string, SymbolInterval[]> {
  const out = new Map<string, SymbolInterval[]>();
  for (const sources of catalog.get(dataset)?.values() ?? []) {
    for (const source of sources) {
      for (const [symbol, intervals] of source.symbols) {
        const list = out.get(symbol) ?? [];
        for (const interval of intervals) {
          const same = (x: SymbolInterval) =>
            x.startDate === interval.startDate && x.endDate === interval.endDate &&
            x.instrumentId === interval.instrumentId;
          if (!list.some(same)) list.push(interval);
        }
        out.set(symbol, list.sort((a, b) => a.startDate - b.startDate));
      }
    }
  }
  return out;
}

/** Intervals cut to [startDate, endDate) (yyyymmdd); those outside are dropped. */
export function clipIntervals(
  intervals: readonly SymbolInterval[],
  range: { startDate: number; endDate: number },
): SymbolInterval[] {
  return intervals
    .map((i) => ({
      startDate: Math.max(i.startDate, range.startDate),
      endDate: Math.min(i.endDate, range.endDate),
      instrumentId: i.instrumentId,
    }))
    .filter((i) => i.startDate < i.endDate);
}

function resolveSymbols(
  catalog: Catalog,
  dataset: string,
  schema: string,
  symbols: string[],
  stypeIn: string,
  range: { startDate: number; endDate: number },
): { ids: Set<number> | undefined; notFound: string[]; mappings: SymbolMapping[] } {
  const all = symbols.length === 1 && symbols[0] === "ALL_SYMBOLS";
  const mapOf = (rawSymbol: string, intervals: readonly SymbolInterval[]): SymbolMapping => ({
    rawSymbol,
    intervals: intervals.map((i) => ({ ...i, symbol: String(i.instrumentId) })),
  });
  if (stypeIn === "instrument_id") {
    const known = new Set<number>();
    for (const source of catalog.get(dataset)!.values()) {
      for (const s of source) for (const id of s.instrumentIds) known.add(id);
    }
    if (all) return { ids: undefined, notFound: [], mappings: [] };
    const found = symbols.filter((s) => /^\d+$/.test(s) && known.has(Number(s)));
    if (found.length === 0) throw noneResolved(symbols);
    const interval = (id: string) => [{ ...range, instrumentId: Number(id) }];
    return {
      ids: new Set(found.map(Number)),
      notFound: symbols.filter((s) => !found.includes(s)),
      mappings: found.map((id) => mapOf(id, interval(id))),
    };
  }
  const table = datasetSymbols(catalog, dataset);
  if (all) {
    const own = new Set(catalog.get(dataset)!.get(schema)!.flatMap((s) => [...s.symbols.keys()]));
    const mappings = [...own].sort().map((symbol) =>
      mapOf(symbol, clipIntervals(table.get(symbol)!, range))
    );
    return { ids: undefined, notFound: [], mappings };
  }
  const ids = new Set<number>();
  const notFound: string[] = [];
  const mappings: SymbolMapping[] = [];
  for (const symbol of symbols) {
    const intervals = clipIntervals(table.get(symbol) ?? [], range);
    if (intervals.length === 0) {
      notFound.push(symbol);
      continue;
    }
    for (const interval of intervals) ids.add(interval.instrumentId);
    mappings.push(mapOf(symbol, intervals));
  }
  if (ids.size === 0) throw noneResolved(symbols);
  return { ids, notFound, mappings };
}

function noneResolved(symbols: string[]): FakeHttpError {
  return new FakeHttpError(422, {
    case: "symbology_invalid_request",
    message: `None of the symbols could be resolved: ${symbols.join(", ")}`,
    docs: DOCS,
    payload: { param: "symbols" },
  });
}

function requireDatetime(params: Record<string, string>, name: string) {
  const text = params[name];
  if (text === undefined || text === "") {
    throw invalidParam(name, `Missing required parameter '${name}'`);
  }
  const parsed = parseDatetime(text);
  if (parsed === undefined) {
    throw invalidParam(
      name,
      `Invalid datetime for '${name}': '${text}' is neither UNIX nanoseconds nor ISO-8601`,
      text,
    );
  }
  return parsed;
}
