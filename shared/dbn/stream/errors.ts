/**
 * The `code`s of the DataErrors the DBN stream layer raises (same "dbn.*" family as the codec's).
 * @module
 */

/** DataError codes raised by the stream reader. */
export const DBN_STREAM_ERROR = {
  /** The input ends inside the metadata header. */
  truncatedMetadata: "dbn.truncated_metadata",
  /** The input ends inside a record. */
  truncatedRecord: "dbn.truncated_record",
  /** The compressed input ends inside a zstd frame. */
  truncatedZstd: "dbn.truncated_zstd",
  /** Neither "DBN", a zstd frame nor DBZ at the start (and no fragment was requested). */
  badMagic: "dbn.bad_magic",
  /** Metadata version byte outside 1..3. */
  unsupportedVersion: "dbn.unsupported_version",
  /** Metadata length below the fixed part or above the reader's limit. */
  badMetadataLength: "dbn.bad_metadata_length",
  /** Record length byte 0, shorter than a header, or not the size its rtype has. */
  badRecordLength: "dbn.bad_record_length",
  /** Record type the stream's DBN version does not define. */
  unknownRtype: "dbn.unknown_rtype",
  /** Zstandard data that does not decompress (bad magic, header, block or checksum). */
  corruptZstd: "dbn.corrupt_zstd",
  /** A record whose values do not survive the conversion to the DBN v3 layout. */
  upgradeFailed: "dbn.upgrade_failed",
  /** A legacy DBZ header that cannot be read. */
  badDbz: "dbn.bad_dbz",
} as const;

/** One of the {@linkcode DBN_STREAM_ERROR} codes. */
export type DbnStreamErrorCode = typeof DBN_STREAM_ERROR[keyof typeof DBN_STREAM_ERROR];
