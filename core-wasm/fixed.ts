// Exact fixed-point arithmetic on i64 (DBN prices: units of 1e-9), backed by the WASM core.
import { core, memoryBytes, scratch, SCRATCH_BYTES } from "./_instance.ts";
import { CoreBuffer } from "./buffer.ts";
import { Status, throwStatus } from "./errors.ts";

/** Rounding modes for every operation that can lose digits. */
export const Rounding = {
  HalfEven: 0,
  TowardZero: 1,
  HalfAwayFromZero: 2,
  Floor: 3,
  Ceil: 4,
} as const;
export type Rounding = (typeof Rounding)[keyof typeof Rounding];

/** DBN's price scale: 9 decimal digits. */
export const PRICE_SCALE = 9;
/** Largest scale the core supports (10^18 still fits in i64). */
export const MAX_SCALE = 18;
/** DBN's null price (i64::MAX). */
export const UNDEF_PRICE = 0x7fff_ffff_ffff_ffffn;

/** Options for parsing and formatting decimals at a scale other than DBN's. */
export interface DecimalOptions {
  /** Decimal digits of the fixed-point unit (0..18); default 9. */
  scale?: number;
}

/** Options for formatting. */
export interface FormatOptions extends DecimalOptions {
  /** Digits after the point; omitted for the shortest exact form. */
  decimals?: number;
  /** How to drop digits when decimals < scale; default half-even. */
  rounding?: Rounding;
}

/** Options for operations that round. */
export interface RoundingOptions {
  rounding?: Rounding;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MAX_QUOTED = 40;

function quote(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}...` : text);
}

/** The scale itself, or a RangeError when it is not an integer from 0 to 18. */
export function checkScale(scale: number): number {
  if (!Number.isInteger(scale) || scale < 0 || scale > MAX_SCALE) {
    throw new RangeError(`Invalid scale ${scale}: expected an integer from 0 to ${MAX_SCALE}`);
  }
  return scale;
}

function checkI64(value: bigint, what: string): bigint {
  if (BigInt.asIntN(64, value) !== value) {
    throw new RangeError(`Invalid ${what} ${value}: outside the signed 64-bit range`);
  }
  return value;
}

/** Parses a decimal string exactly into units of 10^-scale; throws SyntaxError or RangeError. */
export function parseDecimal(text: string, options?: DecimalOptions): bigint {
  const scale = checkScale(options?.scale ?? PRICE_SCALE);
  let status: number;
  if (text.length * 3 <= SCRATCH_BYTES) {
    const { written } = encoder.encodeInto(
      text,
      memoryBytes().subarray(scratch, scratch + SCRATCH_BYTES),
    );
    status = core.parseDecimal(scratch, written, scale);
  } else {
    const bytes = encoder.encode(text);
    using block = new CoreBuffer(bytes.length);
    block.bytes().set(bytes);
    status = core.parseDecimal(block.ptr, bytes.length, scale);
  }
  if (status === Status.Inexact) {
    throw new RangeError(
      `Cannot parse decimal ${quote(text)}: a non-zero digit beyond ${scale} decimal places`,
    );
  }
  if (status !== Status.Ok) throwStatus(status, `Cannot parse decimal ${quote(text)}`);
  return core.resultValue();
}

/** Parses a price string (scale 1e-9) exactly; SyntaxError for garbage, RangeError for inexact or out-of-range. */
export function parsePrice(text: string): bigint {
  return parseDecimal(text);
}

/** Formats units of 10^-scale as the shortest exact decimal, or with a fixed number of decimals. */
export function formatDecimal(value: bigint, options?: FormatOptions): string {
  const scale = checkScale(options?.scale ?? PRICE_SCALE);
  const decimals = options?.decimals ?? -1;
  if (decimals !== -1 && (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_SCALE)) {
    throw new RangeError(
      `Invalid decimals ${decimals}: expected an integer from 0 to ${MAX_SCALE}`,
    );
  }
  const length = core.formatDecimal(
    checkI64(value, "value"),
    scale,
    decimals,
    options?.rounding ?? Rounding.HalfEven,
    scratch,
  );
  if (length < 0) throwStatus(-length, `Cannot format ${value}`);
  return decoder.decode(memoryBytes().subarray(scratch, scratch + length));
}

/** Formats a price (scale 1e-9): shortest exact form, or `decimals` digits rounded half-even. */
export function formatPrice(value: bigint, decimals?: number): string {
  return formatDecimal(value, decimals === undefined ? undefined : { decimals });
}

function result(status: number, what: string): bigint {
  if (status !== Status.Ok) throwStatus(status, what);
  return core.resultValue();
}

/** a * b / divisor with an exact 128-bit intermediate and one rounding (default half-even). */
export function mulDiv(
  a: bigint,
  b: bigint,
  options: { divisor: bigint } & RoundingOptions,
): bigint {
  const status = core.mulDiv(
    checkI64(a, "operand"),
    checkI64(b, "operand"),
    checkI64(options.divisor, "divisor"),
    options.rounding ?? Rounding.HalfEven,
  );
  return result(status, `Cannot compute ${a} * ${b} / ${options.divisor}`);
}

/** Fixed x fixed (scale 1e-9), rounded (default half-even). */
export function mulFixed(a: bigint, b: bigint, options?: RoundingOptions): bigint {
  const status = core.mulFixed(
    checkI64(a, "operand"),
    checkI64(b, "operand"),
    options?.rounding ?? Rounding.HalfEven,
  );
  return result(status, `Cannot multiply ${a} by ${b}`);
}

/** Fixed / fixed (scale 1e-9), rounded (default half-even). */
export function divFixed(a: bigint, b: bigint, options?: RoundingOptions): bigint {
  const status = core.divFixed(
    checkI64(a, "operand"),
    checkI64(b, "operand"),
    options?.rounding ?? Rounding.HalfEven,
  );
  return result(status, `Cannot divide ${a} by ${b}`);
}

/** Fixed x integer: exact; RangeError on overflow. */
export function mulInt(a: bigint, n: bigint): bigint {
  return result(
    core.mulInt(checkI64(a, "operand"), checkI64(n, "factor")),
    `Cannot multiply ${a} by ${n}`,
  );
}

/** Fixed / integer, rounded (default half-even). */
export function divInt(a: bigint, n: bigint, options?: RoundingOptions): bigint {
  const status = core.divInt(
    checkI64(a, "operand"),
    checkI64(n, "divisor"),
    options?.rounding ?? Rounding.HalfEven,
  );
  return result(status, `Cannot divide ${a} by ${n}`);
}
