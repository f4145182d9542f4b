/**
 * Starts a get_range download and reads its metadata header. A download cut before the header is
 * complete gave the caller nothing yet, so it is requested again (up to `retries` times, with the
 * client's backoff), like a failure before the response started; after the header, a cut is the
 * caller's to resume from its checkpoint.
 * @module
 */
import { DataError } from "@shared/domain/mod.ts";
import { type DbnReader, openDbn } from "@shared/dbn/stream/mod.ts";
import { backoffDelay, sleep } from "@shared/venue/retry.ts";
import { DatabentoError } from "./errors.ts";
import { type HttpConfig, openCall, type OpenedResponse } from "./_http.ts";
import { type RangeBody, wrapRangeBody } from "./_range_body.ts";

/** What {@linkcode openRange} needs of getRange's options. */
export interface OpenRangeOptions {
  signal?: AbortSignal;
  upgrade?: boolean;
  batchBytes?: number;
}

/** The started download: the HTTP response, its wrapped body and the DBN reader past the header. */
export async function openRange(
  http: HttpConfig,
  method: string,
  form: URLSearchParams,
  options: OpenRangeOptions,
): Promise<{ opened: OpenedResponse; body: RangeBody; reader: DbnReader }> {
  let opened: OpenedResponse;
  let body: RangeBody;
  let reader: DbnReader;
  for (let attempt = 0;; attempt++) {
    opened = await openCall(http, {
      method,
      http: "POST",
      params: form,
      accept: "application/octet-stream",
      signal: options.signal,
    });
    body = wrapRangeBody(opened, {
      method,
      idleMs: http.timeoutMs,
      signal: options.signal,
    });
    try {
      reader = await openDbn(body.stream, {
        source: `Databento ${method}`,
        upgrade: options.upgrade ?? false,
        batchBytes: options.batchBytes,
      });
      break;
    } catch (e) {
      await body.stream.cancel().catch(() => {});
      if (options.signal?.aborted) throw options.signal.reason;
      const cut = isHeaderCut(e);
      if (cut && attempt < http.retries) {
        const delayMs = backoffDelay(attempt, {
          initialMs: http.retryBaseMs,
          maxMs: 30_000,
        });
        http.logger.warn("Databento download cut inside the metadata header, retrying", {
          method,
          attempt: attempt + 1,
          retries: http.retries,
          delayMs,
          requestId: opened.requestId,
          error: (e as Error).message,
        });
        await sleep(delayMs, options.signal);
        continue;
      }
      if (!(e instanceof DataError)) throw e;
      throw new DatabentoError(
        cut ? "stream_interrupted" : "bad_response",
        cut
          ? `Databento ${method} ended inside the metadata header: ${e.message}`
          : `Databento ${method} sent a body that is not a DBN stream: ${e.message}`,
        { requestId: opened.requestId, cause: e },
      );
    }
  }
  return { opened, body, reader };
}

/** A header read that failed because the body stopped early (network cut, stall, short body). */
function isHeaderCut(e: unknown): boolean {
  if (e instanceof DatabentoError) return e.code === "stream_interrupted" || e.code === "timeout";
  return e instanceof DataError && /^dbn\.truncated_/.test(e.code);
}
