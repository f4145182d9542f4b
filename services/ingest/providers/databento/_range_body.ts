/**
 * Wraps a get_range response body: counts the compressed bytes, applies the idle timeout while a
 * read waits on the network (not while the consumer is busy), and turns a broken connection into
 * a DatabentoError so that a cut download never reads as a short, clean one.
 * @module
 */
import { DatabentoError } from "./errors.ts";
import { errorText, type OpenedResponse } from "./_http.ts";

/** The wrapped body and its byte counter. */
export interface RangeBody {
  stream: ReadableStream<Uint8Array>;
  bytesReceived(): number;
}

/** Options of {@linkcode wrapRangeBody}. */
export interface RangeBodyOptions {
  method: string;
  /** No byte for this long while a read waits: the download fails with code "timeout". */
  idleMs: number;
  /** The caller's signal: when it aborted, its reason is what reads throw. */
  signal?: AbortSignal;
}

/**
 * Returns a pull-driven stream over `opened`'s body (nothing is read ahead of the consumer).
 * Read failures become DatabentoError "stream_interrupted" (or "timeout" after `idleMs`).
 */
export function wrapRangeBody(opened: OpenedResponse, options: RangeBodyOptions): RangeBody {
  const body = opened.response.body;
  let bytes = 0;
  let finished = false;
  let idleTimedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const finish = () => {
    stopTimer();
    if (!finished) {
      finished = true;
      opened.release();
    }
  };
  const reader = body?.getReader();
  const failure = (e: unknown): unknown => {
    if (options.signal?.aborted) return options.signal.reason;
    if (idleTimedOut) {
      return new DatabentoError(
        "timeout",
        `Databento ${options.method} stalled: no data for ${options.idleMs} ms after ${bytes} bytes`,
        { requestId: opened.requestId, cause: e },
      );
    }
    const id = opened.requestId === undefined ? "" : ` (request-id ${opened.requestId})`;
    return new DatabentoError(
      "stream_interrupted",
      `Databento ${options.method} download interrupted after ${bytes} bytes: ${errorText(e)}${id}`,
      { requestId: opened.requestId, cause: e },
    );
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (reader === undefined) {
        finish();
        controller.close();
        return;
      }
      timer = setTimeout(() => {
        idleTimedOut = true;
        opened.abort();
      }, options.idleMs);
      try {
        const next = await reader.read();
        stopTimer();
        if (next.done) {
          finish();
          controller.close();
          return;
        }
        bytes += next.value.byteLength;
        controller.enqueue(next.value);
      } catch (e) {
        finish();
        controller.error(failure(e));
      }
    },
    async cancel(reason) {
      finish();
      await reader?.cancel(reason).catch(() => {});
      opened.abort();
    },
  }, { highWaterMark: 0 });
  return { stream, bytesReceived: () => bytes };
}
