/** Messages between {@linkcode openPgliteStore}'s client and the worker that owns PGlite. */
import type { SqlParam } from "./store.ts";

/**
 * What the client asks; `tx` names an open transaction (its `begin` request's id). COPY data goes
 * as one string: Deno's node:worker_threads clones a string of 3.7 MB in ~40 ms but a Uint8Array of
 * the same size in ~600 ms, transferred or not (measured with Deno 2.9.6).
 */
export type PgliteRequest =
  | { id: number; op: "open"; dataDir: string | undefined }
  | { id: number; op: "query"; tx?: number; text: string; params: readonly SqlParam[] }
  | { id: number; op: "exec"; tx?: number; script: string }
  | { id: number; op: "copy"; tx?: number; statement: string; data: string }
  | { id: number; op: "begin" }
  | { id: number; op: "end"; tx: number; commit: boolean }
  | { id: number; op: "close" };

/** A driver error as it crossed the thread: its message and SQLSTATE (or driver code). */
export interface PgliteErrorInfo {
  message: string;
  code?: string;
}

/** The worker's answer to the request with the same id. */
export type PgliteResponse =
  | { id: number; ok: true; rows?: unknown[]; count?: number }
  | { id: number; ok: false; error: PgliteErrorInfo };
