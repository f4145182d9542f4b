/**
 * Streaming DBN: read plain, Zstandard-compressed and legacy DBZ files or streams record by
 * record or in batches without loading them whole; write them back, compressed or not.
 * @module
 */
export {
  DbnReader,
  DEFAULT_BATCH_BYTES,
  fragmentFromPath,
  openDbn,
  type OpenDbnOptions,
} from "./dbn_reader.ts";
export type { DbnCompression, DbnInput, FragmentOptions } from "./dbn_reader.ts";
export {
  createDbnWriter,
  type CreateDbnWriterOptions,
  type DbnTarget,
  DbnWriter,
  type WriterLike,
} from "./dbn_writer.ts";
export { batchRType, type RecordBatch } from "./record_batch.ts";
export {
  createZstdCompressor,
  decompressZstd,
  type DecompressZstdOptions,
  isSkippableMagic,
  isZstd,
  ZSTD_MAGIC,
  type ZstdCompressor,
  type ZstdCompressorOptions,
} from "./zstd.ts";
export { DBN_STREAM_ERROR, type DbnStreamErrorCode } from "./errors.ts";
export { columnKindForSchema, readColumns } from "./column_reader.ts";
export { canReadFileColumns, DEFAULT_BLOCK_BYTES, readFileColumns } from "./file_columns.ts";
