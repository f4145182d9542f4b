/**
 * The API methods of the fake Databento server, as pure functions of the catalog and the
 * request parameters: JSON answers for the metadata family and symbology.resolve, a validated
 * query for get_range (streamed by the server).
 * @module
 */
import { Decimal } from "decimal.js";
import { isoOfYmd, nextYmd } from "./params.ts";
import {
  type Catalog,
  clipIntervals,
  datasetSymbols,
  FakeHttpError,
  invalidParam,
  parseRangeQuery,
  type RangeQuery,
  requireDataset,
  requireDate,
} from "./_fake_query.ts";
import { rangeCount } from "./_fake_range.ts";

/** A method's answer: a JSON body, or a range query to stream. */
export type MethodAnswer = { kind: "json"; body: string } | { kind: "range"; query: RangeQuery };

const METHODS: Readonly<Record<string, "GET" | "POST">> = {
  "timeseries.get_range": "POST",
  "metadata.get_cost": "POST",
  "metadata.get_record_count": "POST",
  "metadata.get_billable_size": "POST",
  "symbology.resolve": "POST",
  "metadata.list_datasets": "GET",
  "metadata.list_schemas": "GET",
};

/** Answers one authorized API call; throws FakeHttpError for the API's error answers. */
export function handleMethod(
  catalog: Catalog,
  path: string,
  httpMethod: string,
  params: Record<string, string>,
  prices: Readonly<Record<string, string>>,
): MethodAnswer {
  const expected = METHODS[path];
  if (expected === undefined) throw new FakeHttpError(404, "Not Found");
  if (httpMethod !== expected) throw new FakeHttpError(405, "Method Not Allowed");
  const json = (value: unknown): MethodAnswer => ({ kind: "json", body: JSON.stringify(value) });
  switch (path) {
    case "timeseries.get_range": {
      const encoding = params.encoding ?? "dbn";
      if (encoding !== "dbn") {
        throw invalidParam(
          "encoding",
          `Invalid encoding '${encoding}': the fake serves dbn`,
          encoding,
        );
      }
      const compression = params.compression ?? "zstd";
      if (compression !== "zstd" && compression !== "none") {
        throw invalidParam("compression", `Invalid compression '${compression}'`, compression);
      }
      return { kind: "range", query: parseRangeQuery(catalog, params) };
    }
    case "metadata.get_record_count":
      return json(rangeCount(parseRangeQuery(catalog, params)));
    case "metadata.get_billable_size":
      return json(billableSize(parseRangeQuery(catalog, params)));
    case "metadata.get_cost": {
      const query = parseRangeQuery(catalog, params);
      const price = prices[query.schema] ?? "1.00";
      const cost = new Decimal(billableSize(query)).div(1e9).mul(price).toFixed();
      // Raw JSON number text: exact, as a client that does not parse through a float sees it.
      return { kind: "json", body: cost };
    }
    case "symbology.resolve":
      return json(resolve(catalog, params));
    case "metadata.list_datasets":
      return json(listDatasets(catalog, params));
    default:
      return json([...catalog.get(requireDataset(catalog, params))!.keys()].sort());
  }
}

/** Bytes of the v3 records a query selects (what the fake bills). */
export function billableSize(query: RangeQuery): number {
  return rangeCount(query) * (query.sources[0]?.recordSize ?? 0);
}

function listDatasets(catalog: Catalog, params: Record<string, string>): string[] {
  const from = params.start_date === undefined ? undefined : requireDate(params, "start_date");
  const to = params.end_date === undefined ? undefined : requireDate(params, "end_date");
  const range = { startDate: from ?? 0, endDate: to ?? 99991231 };
  return [...catalog.keys()].filter((dataset) => {
    if (from === undefined && to === undefined) return true;
    for (const sources of catalog.get(dataset)!.values()) {
      for (const source of sources) {
        const intervals = [...source.symbols.values()].flat();
        if (clipIntervals(intervals, range).length > 0) return true;
      }
    }
    return false;
  }).sort();
}

function resolve(catalog: Catalog, params: Record<string, string>) {
  const dataset = requireDataset(catalog, params);
  const stypeIn = params.stype_in ?? "raw_symbol";
  const stypeOut = params.stype_out ?? "instrument_id";
  const pair = `${stypeIn}->${stypeOut}`;
  if (pair !== "raw_symbol->instrument_id" && pair !== "instrument_id->raw_symbol") {
    throw invalidParam("stype_in", `Unsupported symbology ${stypeIn} -> ${stypeOut} in the fake`);
  }
  const symbols = (params.symbols ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (symbols.length === 0) throw invalidParam("symbols", "Missing required parameter 'symbols'");
  const startDate = requireDate(params, "start_date");
  const endDate = params.end_date === undefined
    ? nextYmd(startDate)
    : requireDate(params, "end_date");
  if (startDate >= endDate) {
    throw invalidParam("start_date", "Invalid date range: start_date must be before end_date");
  }
  const table = datasetSymbols(catalog, dataset);
  type Span = { startDate: number; endDate: number; s: string };
  const byId = new Map<string, Span[]>();
  for (const [symbol, intervals] of table) {
    for (const i of intervals) {
      const list = byId.get(String(i.instrumentId)) ?? [];
      list.push({ startDate: i.startDate, endDate: i.endDate, s: symbol });
      byId.set(String(i.instrumentId), list);
    }
  }
  const result: Record<string, { d0: string; d1: string; s: string }[]> = {};
  const partial: string[] = [];
  const notFound: string[] = [];
  for (const symbol of symbols) {
    const spans: Span[] = stypeIn === "raw_symbol"
      ? (table.get(symbol) ?? []).map((i) => ({ ...i, s: String(i.instrumentId) }))
      : byId.get(symbol) ?? [];
    const found = spans
      .map((i) => ({
        startDate: Math.max(i.startDate, startDate),
        endDate: Math.min(i.endDate, endDate),
        s: i.s,
      }))
      .filter((i) => i.startDate < i.endDate)
      .sort((a, b) => a.startDate - b.startDate);
    if (found.length === 0) {
      notFound.push(symbol);
      continue;
    }
    result[symbol] = found.map((i) => ({
      d0: isoOfYmd(i.startDate),
      d1: isoOfYmd(i.endDate),
      s: i.s,
    }));
    const covered = found.reduce((days, i) => days + dayCount(i.startDate, i.endDate), 0);
    if (covered < dayCount(startDate, endDate)) partial.push(symbol);
  }
  const status = notFound.length === 0 && partial.length === 0
    ? 0
    : notFound.length === symbols.length
    ? 2
    : 1;
  return {
    result,
    symbols,
    stype_in: stypeIn,
    stype_out: stypeOut,
    start_date: isoOfYmd(startDate),
    end_date: isoOfYmd(endDate),
    partial,
    not_found: notFound,
    message: ["OK", "Partially resolved", "Not found"][status],
    status,
  };
}

function dayCount(startDate: number, endDate: number): number {
  const ms = (ymd: number) =>
    Date.UTC(Math.floor(ymd / 10000), Math.floor(ymd / 100) % 100 - 1, ymd % 100);
  return Math.round((ms(endDate) - ms(startDate)) / 86_400_000);
}
