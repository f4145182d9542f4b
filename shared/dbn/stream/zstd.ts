/**
 * Streaming Zstandard for DBN (DBN.md section 10): detection by magic, decompression of
 * concatenated frames (skippable frames dropped), compression for the writer.
 * @module
 */
import { constants as zlibConstants, createZstdCompress, type ZstdCompress } from "node:zlib";
import { DataError } from "@shared/domain/mod.ts";
import { FrameInflater } from "./_frame_inflater.ts";
import {
  FrameScanError,
  type FrameSegment,
  isSkippableMagic,
  readU32,
  ZSTD_MAGIC,
  ZstdFrameScanner,
} from "./_zstd_frame_scanner.ts";
import { DBN_STREAM_ERROR } from "./errors.ts";

export { isSkippableMagic, ZSTD_MAGIC } from "./_zstd_frame_scanner.ts";

/** True when `bytes` starts with a regular or skippable Zstandard frame magic. */
export function isZstd(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const magic = readU32(bytes, 0);
  return magic === ZSTD_MAGIC || isSkippableMagic(magic);
}

/** Options for {@linkcode decompressZstd}. */
export interface DecompressZstdOptions {
  /** Label for errors (file name). */
  source?: string;
}

/**
 * Decompresses a stream of concatenated Zstandard frames chunk by chunk; corrupt, truncated or
 * trailing non-zstd input raises a DataError whose offset is the decompressed byte count.
 */
export async function* decompressZstd(
  input: AsyncIterable<Uint8Array>,
  options: DecompressZstdOptions = {},
): AsyncGenerator<Uint8Array> {
  const scanner = new ZstdFrameScanner();
  let inflater: FrameInflater | undefined;
  let produced = 0;
  let frameStart = 0;
  const fail = (message: string, cause: unknown, code: string = DBN_STREAM_ERROR.corruptZstd) =>
    new DataError(code, message, {
      source: options.source,
      offset: produced,
      cause,
    });
  try {
    for await (const chunk of input) {
      let segments: FrameSegment[];
      let scanError: FrameScanError | undefined;
      try {
        segments = scanner.push(chunk);
      } catch (e) {
        if (!(e instanceof FrameScanError)) throw e;
        // Deliver what came before the bad header, then fail.
        segments = e.segments;
        scanError = e;
      }
      for (const segment of segments) {
        inflater ??= new FrameInflater();
        frameStart = segment.frameStart;
        try {
          for await (const out of inflater.write(segment.bytes)) {
            produced += out.length;
            yield out;
          }
          if (segment.end) {
            for await (const out of inflater.end()) {
              produced += out.length;
              yield out;
            }
            inflater.destroy();
            inflater = undefined;
          }
        } catch (e) {
          if (e instanceof DataError) throw e;
          const reason = e instanceof Error ? e.message : String(e);
          throw fail(`Corrupt zstd frame near compressed byte ${frameStart}: ${reason}`, e);
        }
      }
      if (scanError !== undefined) {
        throw fail(`${scanError.message} (compressed byte ${scanError.offset})`, scanError);
      }
    }
    try {
      scanner.finish();
    } catch (e) {
      throw fail((e as Error).message, e, DBN_STREAM_ERROR.truncatedZstd);
    }
  } finally {
    inflater?.destroy();
  }
}

/** Options for {@linkcode createZstdCompressor}. */
export interface ZstdCompressorOptions {
  /** Compression level (default 3, as the reference encoder). */
  level?: number;
  /** Append a content checksum to the frame (default true, as the reference encoder). */
  checksum?: boolean;
}

/** A streaming compressor producing one frame: `write` and `end` return the bytes produced. */
export interface ZstdCompressor {
  /** Compresses `bytes`; returns whatever output is ready. */
  write(bytes: Uint8Array): Promise<Uint8Array[]>;
  /** Finishes the frame; returns the rest of the output. */
  end(): Promise<Uint8Array[]>;
  /** Releases the compressor without finishing. */
  destroy(): void;
}

/** Creates a streaming single-frame Zstandard compressor (checksum on, level 3 by default). */
export function createZstdCompressor(options: ZstdCompressorOptions = {}): ZstdCompressor {
  const stream: ZstdCompress = createZstdCompress({
    params: {
      [zlibConstants.ZSTD_c_compressionLevel]: options.level ?? 3,
      [zlibConstants.ZSTD_c_checksumFlag]: options.checksum === false ? 0 : 1,
    },
  });
  const output: Uint8Array[] = [];
  let failure: Error | undefined;
  stream.on("data", (chunk: Uint8Array) => output.push(chunk));
  stream.on("error", (e: Error) => failure ??= e);
  const drain = (): Uint8Array[] => {
    if (failure !== undefined) throw failure;
    return output.splice(0, output.length);
  };
  return {
    write: (bytes) =>
      new Promise((resolve, reject) => {
        stream.write(bytes, (e) => e ? reject(e) : resolve(drain()));
      }),
    end: () =>
      new Promise((resolve, reject) => {
        stream.once("error", reject);
        stream.end(() => {
          // 'end' follows 'finish' once the flowing reader has taken the last chunk.
          if (stream.readableEnded) resolve(drain());
          else stream.once("end", () => resolve(drain()));
        });
      }),
    destroy: () => {
      if (!stream.destroyed) stream.destroy();
    },
  };
}
