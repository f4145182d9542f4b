/**
 * Databento historical HTTP client (DBN.md B1): timeseries.get_range as a streamed, zstd DBN
 * download read through `openDbn`, the cost/size/count estimates, symbology.resolve and the
 * dataset/schema listings. Transient failures are retried until a response starts.
 * @module
 */
import { Decimal } from "decimal.js";
import type { DbnReader } from "@shared/dbn/stream/mod.ts";
import { createNullLogger, type Logger } from "@shared/obs/mod.ts";
import { DatabentoError } from "./errors.ts";
import { type CallSpec, callText, type HttpConfig } from "./_http.ts";
import { openRange } from "./_open_range.ts";
import { dateParam, rangeForm, type RangeParams, symbolsParam } from "./params.ts";

export type { RangeParams } from "./params.ts";

/** Options of {@linkcode DatabentoHistoricalClient}. */
export interface DatabentoClientOptions {
  /** HTTP Basic user name (password empty). Never logged. */
  apiKey: string;
  /** e.g. "https://hist.databento.com" (the client adds /v0/<method>). */
  baseUrl: string;
  /** Per request until the response headers (default 100 000); for get_range also the idle limit between body chunks. */
  timeoutMs?: number;
  /** Attempts after the first for transient failures (default 3). */
  retries?: number;
  /** Backoff base, exponential with jitter (default 500). */
  retryBaseMs?: number;
  /** Retries and `X-Warning` headers are logged at warn. */
  logger?: Logger;
  /** Default "trading-platform/0.1 Deno/<version>". */
  userAgent?: string;
}

/** The `[databento]` config section, as far as the client needs it. */
export interface DatabentoClientConfig {
  hist_url: string;
  api_key?: string;
  timeout_secs: number;
  retries: number;
}

/** Options of {@linkcode DatabentoHistoricalClient.getRange}. */
export interface GetRangeOptions {
  signal?: AbortSignal;
  /** Convert metadata and records to DBN v3 (default false: as the API sent them). */
  upgrade?: boolean;
  /** Batch size of `reader.batches()` in bytes (default 64 KiB). */
  batchBytes?: number;
}

/** A started get_range download. */
export interface RangeResponse {
  /**
   * The DBN stream, zstd-decompressed on the fly (constant memory at any size). A cut
   * connection makes iteration throw DatabentoError "stream_interrupted" after the whole records
   * before the cut; a body that ends cleanly but inside a zstd frame or record throws the reader's
   * DataError ("dbn.truncated_zstd" / "dbn.truncated_record").
   */
  reader: DbnReader;
  /** Compressed bytes received so far. */
  bytesReceived(): number;
  requestId: string | undefined;
  /** Stops the download (cancels the body). Idempotent. */
  cancel(): Promise<void>;
}

/** One resolved interval: `d0` inclusive, `d1` exclusive (YYYY-MM-DD), `s` the output symbol. */
export interface SymbologyInterval {
  d0: string;
  d1: string;
  s: string;
}

/** The symbology.resolve answer. */
export interface SymbologyResolution {
  result: Record<string, SymbologyInterval[]>;
  partial: string[];
  notFound: string[];
  message: string;
  status: number;
}

/** Parameters of {@linkcode DatabentoHistoricalClient.resolveSymbology}. */
export interface ResolveSymbologyParams {
  dataset: string;
  symbols: readonly string[];
  /** Default "raw_symbol". */
  stypeIn?: string;
  /** Default "instrument_id". */
  stypeOut?: string;
  /** YYYY-MM-DD, inclusive. */
  startDate: string;
  /** YYYY-MM-DD, exclusive. */
  endDate?: string;
}

/** Options every JSON method takes. */
export interface CallOptions {
  signal?: AbortSignal;
}

const JSON_NUMBER_REGEXP = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Client of the Databento historical API. */
export class DatabentoHistoricalClient {
  readonly #http: HttpConfig;

  /** Throws DatabentoError "no_api_key" when the key is empty. */
  constructor(options: DatabentoClientOptions) {
    if (typeof options.apiKey !== "string" || options.apiKey.trim() === "") throw noApiKey();
    const timeoutMs = options.timeoutMs ?? 100_000;
    const retries = options.retries ?? 3;
    const retryBaseMs = options.retryBaseMs ?? 500;
    for (const [name, value] of [["timeoutMs", timeoutMs], ["retryBaseMs", retryBaseMs]] as const) {
      if (!(value > 0)) throw new RangeError(`Option ${name} must be positive, got ${value}`);
    }
    if (!Number.isInteger(retries) || retries < 0) {
      throw new RangeError(`Option retries must be a non-negative integer, got ${retries}`);
    }
    this.#http = {
      apiKey: options.apiKey.trim(),
      baseUrl: new URL(options.baseUrl).href.replace(/\/+$/, ""),
      timeoutMs,
      retries,
      retryBaseMs,
      logger: options.logger ?? createNullLogger(),
      userAgent: options.userAgent ?? `trading-platform/0.1 Deno/${Deno.version.deno}`,
    };
  }

  /** From config `[databento]`; throws DatabentoError "no_api_key" naming DATABENTO_API_KEY when the key is missing. */
  static fromConfig(config: DatabentoClientConfig, logger?: Logger): DatabentoHistoricalClient {
    if (config.api_key === undefined || config.api_key.trim() === "") throw noApiKey();
    return new DatabentoHistoricalClient({
      apiKey: config.api_key,
      baseUrl: config.hist_url,
      timeoutMs: config.timeout_secs * 1000,
      retries: config.retries,
      logger,
    });
  }

  /** The base URL requests go to (no /v0). */
  get baseUrl(): string {
    return this.#http.baseUrl;
  }

  /**
   * POST timeseries.get_range (encoding dbn, compression zstd). Retries transient failures until a
   * 2xx response starts, and a download cut inside the metadata header; resolves once the header
   * is read, while the records stream.
   */
  async getRange(params: RangeParams, options: GetRangeOptions = {}): Promise<RangeResponse> {
    const method = "timeseries.get_range";
    const form = rangeForm(params, {
      stypeOut: true,
      extra: { encoding: "dbn", compression: "zstd" },
    });
    const { opened, body, reader } = await openRange(this.#http, method, form, options);
    let cancelled: Promise<void> | undefined;
    return {
      reader,
      bytesReceived: body.bytesReceived,
      requestId: opened.requestId,
      cancel: () => cancelled ??= reader.close().finally(() => opened.abort()),
    };
  }

  /** POST metadata.get_cost: the USD cost as an exact decimal string (never through a float). */
  async getCost(params: RangeParams, options: CallOptions = {}): Promise<string> {
    const method = "metadata.get_cost";
    const text = await this.#text(method, "POST", rangeForm(params, { stypeOut: true }), options);
    if (!JSON_NUMBER_REGEXP.test(text.trim())) throw badResponse(method, "a number", text);
    return new Decimal(text.trim()).toFixed();
  }

  /** POST metadata.get_record_count: records the same range request would return. */
  async getRecordCount(params: RangeParams, options: CallOptions = {}): Promise<number> {
    const method = "metadata.get_record_count";
    const text = await this.#text(method, "POST", rangeForm(params, { stypeOut: false }), options);
    return parseCount(method, text);
  }

  /** POST metadata.get_billable_size: uncompressed DBN bytes the request would be billed for. */
  async getBillableSize(params: RangeParams, options: CallOptions = {}): Promise<number> {
    const method = "metadata.get_billable_size";
    const text = await this.#text(method, "POST", rangeForm(params, { stypeOut: true }), options);
    return parseCount(method, text);
  }

  /** POST symbology.resolve: each input symbol's output symbols over [startDate, endDate). */
  async resolveSymbology(
    params: ResolveSymbologyParams,
    options: CallOptions = {},
  ): Promise<SymbologyResolution> {
    const method = "symbology.resolve";
    const form = new URLSearchParams({
      dataset: params.dataset,
      symbols: symbolsParam(params.symbols),
      stype_in: params.stypeIn ?? "raw_symbol",
      stype_out: params.stypeOut ?? "instrument_id",
      start_date: dateParam(params.startDate, "startDate"),
    });
    if (params.endDate !== undefined) form.set("end_date", dateParam(params.endDate, "endDate"));
    const text = await this.#text(method, "POST", form, options);
    return parseResolution(method, text);
  }

  /** GET metadata.list_datasets: dataset codes (optionally those with data in a date range). */
  async listDatasets(
    params: { startDate?: string; endDate?: string } = {},
    options: CallOptions = {},
  ): Promise<string[]> {
    const query = new URLSearchParams();
    if (params.startDate !== undefined) {
      query.set("start_date", dateParam(params.startDate, "startDate"));
    }
    if (params.endDate !== undefined) query.set("end_date", dateParam(params.endDate, "endDate"));
    const method = "metadata.list_datasets";
    return parseStrings(method, await this.#text(method, "GET", query, options));
  }

  /** GET metadata.list_schemas: the schemas a dataset offers. */
  async listSchemas(dataset: string, options: CallOptions = {}): Promise<string[]> {
    const method = "metadata.list_schemas";
    const query = new URLSearchParams({ dataset });
    return parseStrings(method, await this.#text(method, "GET", query, options));
  }

  async #text(
    method: string,
    http: CallSpec["http"],
    params: URLSearchParams,
    options: CallOptions,
  ): Promise<string> {
    const spec = { method, http, params, accept: "application/json", signal: options.signal };
    return (await callText(this.#http, spec)).text;
  }
}

function noApiKey(): DatabentoError {
  return new DatabentoError(
    "no_api_key",
    "No Databento API key: set DATABENTO_API_KEY (or api_key in [databento])",
  );
}

function badResponse(method: string, expected: string, text: string): DatabentoError {
  const shown = text.length > 120 ? `${text.slice(0, 117)}...` : text;
  return new DatabentoError(
    "bad_response",
    `Databento ${method} returned ${JSON.stringify(shown)}, expected ${expected}`,
  );
}

function parseCount(method: string, text: string): number {
  const trimmed = text.trim();
  const value = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isSafeInteger(value)) throw badResponse(method, "a non-negative integer", text);
  return value;
}

function parseJson(method: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badResponse(method, "JSON", text);
  }
}

function parseStrings(method: string, text: string): string[] {
  const value = parseJson(method, text);
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw badResponse(method, "an array of strings", text);
  }
  return value;
}

function parseResolution(method: string, text: string): SymbologyResolution {
  const body = parseJson(method, text) as Record<string, unknown> | null;
  const strings = (value: unknown) =>
    Array.isArray(value) && value.every((item) => typeof item === "string");
  const result = body?.result;
  if (
    typeof result !== "object" || result === null || Array.isArray(result) ||
    !Object.values(result).every((intervals) =>
      Array.isArray(intervals) &&
      intervals.every((i) =>
        typeof i?.d0 === "string" && typeof i?.d1 === "string" && typeof i?.s === "string"
      )
    ) || !strings(body?.partial ?? []) || !strings(body?.not_found ?? [])
  ) {
    throw badResponse(method, "a symbology result", text);
  }
  const clean: Record<string, SymbologyInterval[]> = {};
  for (const [symbol, intervals] of Object.entries(result as Record<string, SymbologyInterval[]>)) {
    clean[symbol] = intervals.map(({ d0, d1, s }) => ({ d0, d1, s }));
  }
  return {
    result: clean,
    partial: (body?.partial ?? []) as string[],
    notFound: (body?.not_found ?? []) as string[],
    message: typeof body?.message === "string" ? body.message : "",
    status: typeof body?.status === "number" ? body.status : 0,
  };
}
