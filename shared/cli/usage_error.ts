/** A bad command line (unknown flag, missing value, bad argument); the CLI exits with code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
