/**
 * Starts a get_range download and reads its metadata header. A download cut before the header is
 * complete gave the caller nothing yet, so it is requested again within the same retry budget as
 * a failure before the response started; after the header, a cut is the caller's to resume from
 * its checkpoint.
 * @module
 */
import { DataError } from "@shared/domain/mod.ts";
import { type DbnReader, openDbn } from "@shared/dbn/stream/mod.ts";
import { DatabentoError } from "./errors.ts";
import { attemptCall, type HttpConfig, type OpenedResponse, withRetries } from "./_http.ts";
import { type RangeBody, wrapRangeBody } from "./_range_body.ts";

/** What {@linkcode openRange} needs of getRange's options. */
export interface OpenRangeOptions {
  signal?: AbortSignal;
  upgrade?: boolean;
  batchBytes?: number;
}

/** The started download: the HTTP response, its wrapped body and the DBN reader past the header. */
export function openRange(
  http: HttpConfig,
  method: string,
  form: URLSearchParams,
  options: OpenRangeOptions,
): Promise<{ opened: OpenedResponse; body: RangeBody; reader: DbnReader }> {
  const spec = {
    method,
    http: "POST" as const,
    params: form,
    accept: "application/octet-stream",
    signal: options.signal,
  };
  return withRetries(http, spec, async () => {
    const { opened } = await attemptCall(http, spec, false);
    const body = wrapRangeBody(opened, { method, idleMs: http.timeoutMs, signal: options.signal });
    try {
      const reader = await openDbn(body.stream, {
        source: `Databento ${method}`,
        upgrade: options.upgrade ?? false,
        batchBytes: options.batchBytes,
      });
      return { opened, body, reader };
    } catch (e) {
      await body.stream.cancel().catch(() => {});
      if (options.signal?.aborted) throw options.signal.reason;
      if (isHeaderCut(e)) {
        // stream_interrupted is transient: withRetries asks again, within its one budget.
        throw new DatabentoError(
          "stream_interrupted",
          `Databento ${method} download cut inside the metadata header: ${(e as Error).message}`,
          { requestId: opened.requestId, cause: e },
        );
      }
      if (!(e instanceof DataError)) throw e;
      throw new DatabentoError(
        "bad_response",
        `Databento ${method} sent a body that is not a DBN stream: ${e.message}`,
        { requestId: opened.requestId, cause: e },
      );
    }
  });
}

/** A header read that failed because the body stopped early (network cut, stall, short body). */
function isHeaderCut(e: unknown): boolean {
  if (e instanceof DatabentoError) return e.code === "stream_interrupted" || e.code === "timeout";
  return e instanceof DataError && /^dbn\.truncated_/.test(e.code);
}
