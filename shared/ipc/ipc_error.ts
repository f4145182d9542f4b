/** Errors of the shared-memory layer: one family with a `code`, messages that name the file. */

/** What went wrong, for callers that branch on it. */
export type IpcErrorCode =
  | "invalid_name" // an instance id, symbol or namespace outside [A-Za-z0-9_-] or too long
  | "not_found" // no such channel, registry or socket
  | "exists" // a segment that had to be new already exists
  | "layout" // a file of another layout version, record size or capacity, or not ours at all
  | "truncated" // a file shorter than its header says
  | "busy" // a channel that already has a live writer, a full registry, a held lock
  | "closed" // a handle used after close()
  | "unsupported" // no libc with mmap on this platform
  | "os"; // any other failed system call (the errno name is in the message)

/** A failed shared-memory operation. */
export class IpcError extends Error {
  readonly code: IpcErrorCode;

  constructor(code: IpcErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "IpcError";
    this.code = code;
  }
}
