/**
 * Whole-file Zstandard decompression for archive files: each file is one frame and is read whole
 * anyway, so the one-shot node:zlib call serves (shared/dbn/stream's decompressZstd is for
 * streams of many frames). It returns what it has for a cut frame; the row count and SHA-256
 * checks of readArchivedSlice catch that.
 */
import { zstdDecompressSync } from "node:zlib";
import { isZstd } from "@shared/dbn/stream/mod.ts";

/** The decompressed content of the single-frame zstd file at `path`. */
export async function readZstdFile(path: string): Promise<Uint8Array> {
  const compressed = await Deno.readFile(path);
  if (!isZstd(compressed)) throw new Error("is not Zstandard-compressed");
  const plain = zstdDecompressSync(compressed);
  return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
}
