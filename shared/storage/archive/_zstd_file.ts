/**
 * Whole-file Zstandard decompression for archive files. Deno's streaming node:zlib decompressor
 * (behind shared/dbn/stream's decompressZstd) throws a content-checksum mismatch as an uncaught
 * exception that ends the process (Deno 2.9.6); the one-shot API throws it where it can be caught,
 * so a corrupt archive costs one error, not the service. The one-shot API stops after the first
 * frame (our files have exactly one) and returns what it has for a cut frame, which the row count
 * and SHA-256 checks of readArchivedSlice catch.
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
