/**
 * A local fake of the Databento historical HTTP API (DBN.md B1) for tests: a real HTTP server on
 * 127.0.0.1 that checks Basic auth, validates parameters with the API's error shapes, sets
 * `request-id` on every answer, and streams get_range as zstd DBN v3 with backpressure from DBN
 * files and lazily generated synthetic trades. Failures and cut streams can be injected.
 * @module
 */
import http from "node:http";
import { type FakeSource, loadFileSource } from "./_fake_data.ts";
import { SyntheticTrades, type SyntheticTradesOptions } from "./_fake_synthetic.ts";
import { type Catalog, FakeHttpError } from "./_fake_query.ts";
import { handleMethod } from "./_fake_methods.ts";
import { rangeBody } from "./_fake_range.ts";

export { syntheticTrade, type SyntheticTradesOptions } from "./_fake_synthetic.ts";

/** The fake's default API key: 32 characters, "db-" + 29. */
export const FAKE_API_KEY = "db-FakeDatabentoTestKey000000000";

/** Default USD per GB of billable data, per schema (any other schema: "1.00"). */
export const FAKE_PRICE_PER_GB: Readonly<Record<string, string>> = {
  "mbo": "8.00",
  "mbp-10": "10.00",
  "mbp-1": "5.00",
  "tbbo": "3.00",
  "trades": "2.50",
  "bbo-1s": "1.50",
  "bbo-1m": "1.50",
  "ohlcv-1s": "1.00",
  "ohlcv-1m": "1.00",
  "ohlcv-1h": "1.00",
  "ohlcv-1d": "1.00",
  "definition": "0.50",
  "statistics": "0.50",
  "status": "0.50",
};

/** Options of {@linkcode FakeDatabento.start}. */
export interface FakeDatabentoOptions {
  /** The key Basic auth must carry (default {@linkcode FAKE_API_KEY}). */
  apiKey?: string;
  /** USD per GB per schema, over {@linkcode FAKE_PRICE_PER_GB}. */
  pricePerGbUsd?: Record<string, string>;
  /** zstd level of get_range bodies (default 3). */
  zstdLevel?: number;
  /** Sent on every answer as the `X-Warning` header (a JSON array), like deprecation notices. */
  warnings?: string[];
}

/** One request the fake received. */
export interface FakeDatabentoRequest {
  method: string;
  /** The API method without "/v0/", e.g. "timeseries.get_range". */
  path: string;
  /** Form fields (POST) or query parameters (GET). */
  params: Record<string, string>;
  /** Basic auth carried the right key. */
  authorized: boolean;
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
}

interface Failure {
  status: number;
  times: number;
  detail: string | object;
  retryAfter?: string;
}

/** The fake Databento historical server. */
export class FakeDatabento {
  /** "http://127.0.0.1:<port>" (what `hist_url` would be). */
  readonly url: string;
  /** Every request seen, in order. */
  readonly requests: FakeDatabentoRequest[] = [];
  readonly apiKey: string;
  #server: http.Server;
  #catalog: Catalog = new Map();
  #prices: Record<string, string>;
  #zstdLevel: number;
  #warnings: string[];
  #failures = new Map<string, Failure[]>();
  #cutAfter: number | undefined;
  #cutsLeft = 0;
  #nextId = 1;
  #open = new Set<http.ServerResponse>();

  private constructor(server: http.Server, url: string, options: FakeDatabentoOptions) {
    this.#server = server;
    this.url = url;
    this.apiKey = options.apiKey ?? FAKE_API_KEY;
    this.#prices = { ...FAKE_PRICE_PER_GB, ...options.pricePerGbUsd };
    this.#zstdLevel = options.zstdLevel ?? 3;
    this.#warnings = options.warnings ?? [];
  }

  /** Starts the fake on 127.0.0.1 at a free port. */
  static async start(options: FakeDatabentoOptions = {}): Promise<FakeDatabento> {
    const ref: { fake?: FakeDatabento } = {};
    const server = http.createServer((req, res) => {
      ref.fake!.#handle(req, res).catch((e) => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ detail: `Fake server error: ${(e as Error).message}` }));
        } else {
          res.destroy();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    ref.fake = new FakeDatabento(server, `http://127.0.0.1:${port}`, options);
    return ref.fake;
  }

  /** Serves the records of a DBN file (its dataset, schema, mappings); v1/v2 are upgraded to v3. */
  async addFile(path: string | URL): Promise<void> {
    this.#add(await loadFileSource(path));
  }

  /** Synthetic trades for one symbol, generated lazily (see {@linkcode SyntheticTradesOptions}). */
  addSyntheticTrades(options: SyntheticTradesOptions): void {
    this.#add(new SyntheticTrades(options));
  }

  /** Fails the next `times` requests to `path` (e.g. "timeseries.get_range") with `status`. */
  failNext(
    path: string,
    status: number,
    times = 1,
    detail?: string | object,
    options: { retryAfter?: string } = {},
  ): void {
    const key = path.replace(/^\/?(v0\/)?/, "");
    const list = this.#failures.get(key) ?? [];
    list.push({ status, times, detail: detail ?? `Fake failure ${status}`, ...options });
    this.#failures.set(key, list);
  }

  /**
   * Cuts the next get_range response (the next `times` of them) after this many body bytes (the
   * socket is destroyed).
   */
  cutNextRangeAfter(bytes: number, times = 1): void {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`Bad byte count ${bytes}`);
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`Bad times ${times}`);
    this.#cutAfter = bytes;
    this.#cutsLeft = times;
  }

  /** Requests to one API method, e.g. "timeseries.get_range". */
  requestsTo(path: string): FakeDatabentoRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Stops listening and drops open connections. */
  async close(): Promise<void> {
    for (const res of this.#open) res.destroy();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #add(source: FakeSource): void {
    const schemas = this.#catalog.get(source.dataset) ?? new Map<string, FakeSource[]>();
    schemas.set(source.schema, [...(schemas.get(source.schema) ?? []), source]);
    this.#catalog.set(source.dataset, schemas);
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = `fake-${this.#nextId++}`;
    res.setHeader("request-id", requestId);
    if (this.#warnings.length > 0) res.setHeader("x-warning", JSON.stringify(this.#warnings));
    const url = new URL(req.url ?? "/", this.url);
    const chunks: Uint8Array[] = [];
    for await (const chunk of req) chunks.push(chunk as Uint8Array);
    const bodyText = new TextDecoder().decode(concat(chunks));
    const params = Object.fromEntries(
      req.method === "POST" ? new URLSearchParams(bodyText) : url.searchParams,
    );
    const path = url.pathname.replace(/^\/v0\//, "");
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      headers[name] = Array.isArray(value) ? value.join(", ") : value ?? "";
    }
    const authorized = this.#authorized(headers.authorization);
    this.requests.push({ method: req.method ?? "", path, params, authorized, headers });

    const failure = this.#takeFailure(path);
    if (failure !== undefined) {
      const extra: Record<string, string> = failure.retryAfter === undefined
        ? {}
        : { "retry-after": failure.retryAfter };
      return json(res, failure.status, { detail: failure.detail }, extra);
    }
    if (!authorized) {
      return json(res, 401, { detail: "Authentication failed: missing or invalid API key." });
    }
    if (!url.pathname.startsWith("/v0/")) return json(res, 404, { detail: "Not Found" });
    try {
      const answer = handleMethod(this.#catalog, path, req.method ?? "", params, this.#prices);
      if (answer.kind === "json") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(answer.body);
        return;
      }
      await this.#stream(res, answer.query, params.compression !== "none");
    } catch (e) {
      if (!(e instanceof FakeHttpError)) throw e;
      return json(res, e.status, { detail: e.detail });
    }
  }

  async #stream(
    res: http.ServerResponse,
    query: Parameters<typeof rangeBody>[0],
    compress: boolean,
  ): Promise<void> {
    let cutAfter = this.#cutAfter;
    if (--this.#cutsLeft <= 0) this.#cutAfter = undefined;
    res.writeHead(200, { "content-type": "application/octet-stream" });
    this.#open.add(res);
    let closed = false;
    let wake: (() => void) | undefined;
    const onClose = () => {
      closed = true;
      wake?.();
    };
    res.on("close", onClose);
    const body = rangeBody(query, { compress, level: this.#zstdLevel });
    try {
      for await (let chunk of body) {
        if (closed) break;
        if (cutAfter !== undefined && chunk.length >= cutAfter) {
          chunk = chunk.subarray(0, cutAfter);
          res.write(chunk, () => res.destroy());
          return;
        }
        if (cutAfter !== undefined) cutAfter -= chunk.length;
        if (!res.write(chunk) && !closed) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            res.once("drain", resolve);
          });
          res.off("drain", wake!);
          wake = undefined;
        }
      }
      if (!closed) {
        if (cutAfter !== undefined) res.destroy();
        else res.end();
      }
    } finally {
      res.off("close", onClose);
      this.#open.delete(res);
      await body.return(undefined);
    }
  }

  #authorized(header: string | undefined): boolean {
    const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
    if (match === null) return false;
    let decoded: string;
    try {
      decoded = atob(match[1]!);
    } catch {
      return false;
    }
    const colon = decoded.indexOf(":");
    return colon >= 0 && decoded.slice(0, colon) === this.apiKey;
  }

  #takeFailure(path: string): Failure | undefined {
    const list = this.#failures.get(path);
    const failure = list?.[0];
    if (failure === undefined) return undefined;
    failure.times -= 1;
    if (failure.times <= 0) list!.shift();
    return failure;
  }
}

function json(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
