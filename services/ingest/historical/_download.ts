/**
 * The download loop of a fetch: get_range from the run's checkpoint, read to the end; a cut
 * stream or transient failure is downloaded again from the new checkpoint, a few times.
 * @module
 */
import { DataError } from "@shared/domain/mod.ts";
import type { Logger } from "@shared/obs/mod.ts";
import { sleep } from "@shared/venue/retry.ts";
import {
  DatabentoError,
  type DatabentoHistoricalClient,
  type RangeResponse,
} from "../providers/databento/mod.ts";
import type { FetchRun } from "./_fetch_run.ts";
import { type FetchPlan, rangeParams } from "./fetch_plan.ts";

/** Errors after which the download is tried again from the checkpoint. */
function isTransient(e: unknown): boolean {
  if (e instanceof DataError) return true; // a body cut inside a zstd frame or a record
  return e instanceof DatabentoError && e.isTransient; // stream_interrupted included
}

/** Downloads until the stream ends, retrying transient failures from the last checkpoint. */
export async function download(
  client: DatabentoHistoricalClient,
  plan: FetchPlan,
  run: FetchRun,
  o: { retries: number; retryDelayMs: number; signal?: AbortSignal; logger: Logger },
): Promise<void> {
  let failures = 0;
  for (;;) {
    o.signal?.throwIfAborted();
    const before = run.durable;
    let response: RangeResponse | undefined;
    try {
      response = await client.getRange(rangeParams(plan, run.fromNs), { signal: o.signal });
      await run.consume(response);
      return;
    } catch (e) {
      // Errors before the response started were retried by the client already.
      const streamFailed = response !== undefined && isTransient(e) && !o.signal?.aborted;
      const safe = await run.checkpointAfterFailure();
      if (!streamFailed || !safe) throw e;
      if (run.durable !== before) failures = 0;
      if (++failures > o.retries) throw e;
      o.logger.warn("Download failed; retrying from the checkpoint", {
        attempt: failures,
        fromNs: String(run.fromNs),
        error: e instanceof Error ? e.message : String(e),
      });
      await sleep(o.retryDelayMs * failures, o.signal);
    } finally {
      await response?.cancel().catch(() => {});
    }
  }
}
