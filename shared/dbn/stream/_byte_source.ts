/**
 * Turns whatever the caller gave `openDbn` (a path, "-", bytes, a ReadableStream, an async
 * iterable) into one async iterable of chunks of at most `chunkBytes`, plus a `close` that
 * releases the underlying file or stream on every path.
 * @module
 */

/** Anything `openDbn` reads: a file path ("-" is stdin), bytes, or a stream of byte chunks. */
export type DbnInput =
  | string
  | Uint8Array
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>;

/** An opened input: its chunks, a label for errors, and `close` (idempotent). */
export interface ByteSource {
  readonly label: string;
  /** The file path when the input was one (used to infer `.zst` / `.frag`). */
  readonly path: string | undefined;
  readonly chunks: AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

/** Default read size: large enough for throughput, small enough to stream. */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

/** Opens `input`; a path is opened with `Deno.open` (read access is needed). */
export async function openByteSource(
  input: DbnInput,
  options: { chunkBytes: number; label?: string },
): Promise<ByteSource> {
  const chunkBytes = options.chunkBytes;
  if (typeof input === "string") {
    if (input === "-") return readerSource(Deno.stdin, options.label ?? "stdin", chunkBytes, false);
    const file = await Deno.open(input, { read: true });
    return { ...readerSource(file, options.label ?? input, chunkBytes, true), path: input };
  }
  if (input instanceof Uint8Array) {
    return {
      label: options.label ?? "bytes",
      path: undefined,
      chunks: slices([input], chunkBytes),
      close: () => Promise.resolve(),
    };
  }
  if (input instanceof ReadableStream) {
    const reader = input.getReader();
    let done = false;
    const pull = async function* (): AsyncGenerator<Uint8Array> {
      while (true) {
        const next = await reader.read();
        if (next.done) {
          done = true;
          return;
        }
        yield next.value;
      }
    };
    return {
      label: options.label ?? "stream",
      path: undefined,
      chunks: resliced(pull(), chunkBytes),
      close: async () => {
        if (!done) {
          done = true;
          await reader.cancel().catch(() => {});
        }
        reader.releaseLock();
      },
    };
  }
  if (isAsyncIterable(input)) {
    const iterator = input[Symbol.asyncIterator]();
    let done = false;
    const pull = async function* (): AsyncGenerator<Uint8Array> {
      while (true) {
        const next = await iterator.next();
        if (next.done) {
          done = true;
          return;
        }
        yield next.value;
      }
    };
    return {
      label: options.label ?? "stream",
      path: undefined,
      chunks: resliced(pull(), chunkBytes),
      close: async () => {
        if (!done) {
          done = true;
          await iterator.return?.();
        }
      },
    };
  }
  throw new TypeError("Cannot read DBN from this input: expected a path, bytes or a byte stream");
}

interface Readable {
  read(buffer: Uint8Array): Promise<number | null>;
  close?(): void;
}

function readerSource(
  reader: Readable,
  label: string,
  chunkBytes: number,
  owned: boolean,
): ByteSource {
  let closed = false;
  const chunks = async function* (): AsyncGenerator<Uint8Array> {
    while (true) {
      // A fresh buffer per read: downstream may still hold the previous chunk.
      const buffer = new Uint8Array(chunkBytes);
      const n = await reader.read(buffer);
      if (n === null) return;
      if (n > 0) yield buffer.subarray(0, n);
    }
  };
  return {
    label,
    path: undefined,
    chunks: chunks(),
    close: () => {
      if (owned && !closed) {
        closed = true;
        reader.close?.();
      }
      return Promise.resolve();
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === "object" && value !== null &&
    typeof (value as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === "function";
}

async function* slices(parts: Uint8Array[], chunkBytes: number): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    for (let i = 0; i < part.length; i += chunkBytes) {
      yield part.subarray(i, Math.min(part.length, i + chunkBytes));
    }
  }
}

/** Cuts chunks larger than `chunkBytes` (a stream may hand over megabytes at once). */
async function* resliced(
  chunks: AsyncIterable<Uint8Array>,
  chunkBytes: number,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError("Cannot read DBN from a stream whose chunks are not Uint8Array");
    }
    yield* slices([chunk], chunkBytes);
  }
}
