/**
 * Options and progress counters of the replay provider.
 * @module
 */
import type { LiveProviderOptions } from "../types.ts";

/** Options of {@linkcode ReplayProvider}. */
export interface ReplayProviderOptions extends LiveProviderOptions {
  /** A .dbn / .dbn.zst file, or a folder: every .dbn / .dbn.zst file in it, in name order. */
  path: string;
  /** 1 = real time by ts_event gaps, N = N times faster, 0 or Infinity = full speed (default 1). */
  speed?: number;
  /** Exchange stored with the ticks (default `REPLAY`). */
  exchange?: string;
  /** Start again from the first file after the last one (default false). */
  loop?: boolean;
}

/** What a replay has done so far (cumulative over passes and connects). */
export interface ReplayProgress {
  /** Files opened. */
  files: number;
  /** Files that could not be opened or broke off (corrupt, truncated). */
  failedFiles: number;
  /** Records read. */
  records: number;
  /** Events handed to the sink. */
  emitted: number;
  /** Records of types that are not replayed (definitions, statistics, MBO, OHLCV, ...). */
  skipped: number;
  /** Records of symbols or feeds nobody subscribed. */
  filtered: number;
  /** Drops reported to the sink (unknown symbol, no price, corrupt file). */
  dropped: number;
  /** Passes over the whole input completed. */
  passes: number;
  /** True once the whole input has been emitted (never while looping). */
  finished: boolean;
}
