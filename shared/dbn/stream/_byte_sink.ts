/**
 * Where a DbnWriter's bytes go: a file path ("-" is stdout), a WritableStream, or anything with
 * Deno's `write(p): Promise<number>`. Every write hands over a buffer the writer no longer touches.
 * @module
 */

/** Something with Deno's writer shape, e.g. a `Deno.FsFile` or `Deno.stdout`. */
export interface WriterLike {
  write(bytes: Uint8Array): Promise<number>;
}

/** Anything a DbnWriter writes to. */
export type DbnTarget = string | WritableStream<Uint8Array> | WriterLike;

/** An opened target. `close` releases what the sink opened itself (files, stream writers). */
export interface ByteSink {
  readonly label: string;
  readonly path: string | undefined;
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** Releases the target after a failure, without flushing. */
  abort(reason: unknown): Promise<void>;
}

/** Opens `target`; a path is created or truncated. */
export async function openByteSink(target: DbnTarget, label?: string): Promise<ByteSink> {
  if (typeof target === "string") {
    if (target === "-") return writerSink(Deno.stdout, label ?? "stdout", undefined);
    const file = await Deno.open(target, { write: true, create: true, truncate: true });
    let closed = false;
    const close = () => {
      if (!closed) {
        closed = true;
        file.close();
      }
      return Promise.resolve();
    };
    return { ...writerSink(file, label ?? target, target), close, abort: close };
  }
  if (target instanceof WritableStream) {
    const writer = target.getWriter();
    return {
      label: label ?? "stream",
      path: undefined,
      write: (bytes) => writer.write(bytes),
      close: async () => {
        await writer.close();
        writer.releaseLock();
      },
      abort: async (reason) => {
        await writer.abort(reason).catch(() => {});
        writer.releaseLock();
      },
    };
  }
  if (typeof (target as WriterLike | null)?.write === "function") {
    return writerSink(target, label ?? "writer", undefined);
  }
  throw new TypeError(
    "Cannot write DBN to this target: expected a path, a WritableStream or a writer",
  );
}

/** A sink over a Deno-style writer that it does not own (close does nothing). */
function writerSink(writer: WriterLike, label: string, path: string | undefined): ByteSink {
  return {
    label,
    path,
    write: async (bytes) => {
      let done = 0;
      while (done < bytes.length) done += await writer.write(bytes.subarray(done));
    },
    close: () => Promise.resolve(),
    abort: () => Promise.resolve(),
  };
}
