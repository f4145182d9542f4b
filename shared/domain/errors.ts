/** Options for {@linkcode DataError}: where the bad data was found. */
export interface DataErrorOptions extends ErrorOptions {
  /** The file (or stream label) the data came from. */
  source?: string;
  /** Byte offset of the problem in the (decompressed) stream. */
  offset?: number;
}

/**
 * Bad market data: a corrupt or truncated file, an unknown record type, a value out of range.
 * The message names the source and the byte offset when they are known.
 */
export class DataError extends Error {
  readonly code: string;
  readonly source: string | undefined;
  readonly offset: number | undefined;

  constructor(code: string, message: string, options: DataErrorOptions = {}) {
    const where = [
      options.source === undefined ? "" : options.source,
      options.offset === undefined ? "" : `byte ${options.offset}`,
    ].filter((part) => part !== "").join(" at ");
    super(where === "" ? message : `${where}: ${message}`, options);
    this.name = "DataError";
    this.code = code;
    this.source = options.source;
    this.offset = options.offset;
  }
}
