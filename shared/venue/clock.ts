/** Receive timestamps: wall-clock nanoseconds with sub-millisecond precision. */

/** Now, in ms since the epoch with a fractional part (performance clock anchored to the epoch). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** A millisecond time (fractional allowed, microsecond precision kept) as nanoseconds. */
export function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * 1000)) * 1000n;
}

/** An RFC 3339 time ("2023-09-25T07:49:37.708706Z", up to 9 fraction digits) as nanoseconds. */
export function rfc3339ToNs(text: string): bigint {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(
    text,
  );
  if (match === null) {
    throw new RangeError(`Invalid timestamp ${JSON.stringify(text)}: expected RFC 3339`);
  }
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) throw new RangeError(`Invalid timestamp ${JSON.stringify(text)}`);
  const fraction = (match[2] ?? "").padEnd(9, "0");
  return BigInt(seconds) * 1_000_000n + BigInt(fraction);
}
