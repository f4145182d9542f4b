// Reads and writes the fields of one layout table. `view` and `bytes` cover the same memory, so
// one offset addresses both.
import { type FieldLayout, LEVEL_LEN } from "./layout.ts";

const UTF8_DECODER = new TextDecoder();
const UTF8_ENCODER = new TextEncoder();

const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  u8: [0, 0xFF],
  i8: [-0x80, 0x7F],
  u16: [0, 0xFFFF],
  i16: [-0x8000, 0x7FFF],
  u32: [0, 0xFFFF_FFFF],
  i32: [-0x8000_0000, 0x7FFF_FFFF],
};
const U64_MAX = 0xFFFF_FFFF_FFFF_FFFFn;
const I64_MIN = -0x8000_0000_0000_0000n;
const I64_MAX = 0x7FFF_FFFF_FFFF_FFFFn;

/** Returns a DataView over exactly the bytes of `bytes`. */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Reads a NUL-terminated, NUL-padded string of `width` bytes. */
export function readCstr(bytes: Uint8Array, at: number, width: number): string {
  let end = at;
  let ascii = true;
  const limit = at + width;
  while (end < limit) {
    const b = bytes[end]!;
    if (b === 0) break;
    if (b > 0x7F) ascii = false;
    end++;
  }
  if (end === at) return "";
  if (ascii) return String.fromCharCode(...bytes.subarray(at, end));
  return UTF8_DECODER.decode(bytes.subarray(at, end));
}

/** Writes `value` NUL-padded into `width` bytes; throws a RangeError when it does not fit. */
export function writeCstr(
  bytes: Uint8Array,
  at: number,
  width: number,
  value: string,
  label: string,
): void {
  const encoded = UTF8_ENCODER.encode(value);
  if (encoded.length >= width) {
    throw new RangeError(
      `String "${value}" is too long for ${label}: ${encoded.length} bytes, at most ${width - 1}`,
    );
  }
  if (encoded.includes(0)) throw new RangeError(`String for ${label} contains a NUL character`);
  bytes.set(encoded, at);
  bytes.fill(0, at + encoded.length, at + width);
}

/** Decodes `fields` at `base` into `out` (camelCase keys; reserved fields skipped). */
export function readFields(
  view: DataView,
  bytes: Uint8Array,
  base: number,
  fields: readonly FieldLayout[],
  out: Record<string, unknown>,
): void {
  for (const field of fields) {
    const at = base + field.offset;
    switch (field.kind) {
      case "u8":
        out[field.key] = bytes[at];
        break;
      case "i8":
        out[field.key] = view.getInt8(at);
        break;
      case "u16":
        out[field.key] = view.getUint16(at, true);
        break;
      case "i16":
        out[field.key] = view.getInt16(at, true);
        break;
      case "u32":
        out[field.key] = view.getUint32(at, true);
        break;
      case "i32":
        out[field.key] = view.getInt32(at, true);
        break;
      case "u64":
        out[field.key] = view.getBigUint64(at, true);
        break;
      case "i64":
        out[field.key] = view.getBigInt64(at, true);
        break;
      case "char": {
        const b = bytes[at]!;
        out[field.key] = b === 0 ? "" : String.fromCharCode(b);
        break;
      }
      case "cstr":
        out[field.key] = readCstr(bytes, at, field.width);
        break;
      case "reserved":
        break;
      case "levels":
      case "clevels": {
        const levels: Record<string, unknown>[] = [];
        for (let i = 0; i < field.width; i++) {
          const level: Record<string, unknown> = {};
          readFields(view, bytes, at + i * LEVEL_LEN, field.levelFields!, level);
          levels.push(level);
        }
        out[field.key] = levels;
        break;
      }
    }
  }
}

/**
 * Encodes `fields` of `source` at `base`; reserved bytes become zeros. Throws a TypeError for a
 * missing or mistyped value and a RangeError for a value that does not fit. `owner` names the
 * record in messages.
 */
export function writeFields(
  view: DataView,
  bytes: Uint8Array,
  base: number,
  fields: readonly FieldLayout[],
  source: Readonly<Record<string, unknown>>,
  owner: string,
): void {
  for (const field of fields) {
    const at = base + field.offset;
    const value = source[field.key];
    // Built only when a message needs it: this loop is the encoder's hot path.
    const label = () => `field "${field.key}" of ${owner}`;
    switch (field.kind) {
      case "u8":
      case "i8":
      case "u16":
      case "i16":
      case "u32":
      case "i32": {
        const [min, max] = INT_RANGES[field.kind]!;
        if (typeof value !== "number" || !Number.isInteger(value)) {
          throw new TypeError(`Expected an integer for ${label()}, got ${describe(value)}`);
        }
        if (value < min || value > max) {
          throw new RangeError(`Value ${value} is out of range for ${label()} (${field.kind})`);
        }
        writeInt(view, at, field.kind, value);
        break;
      }
      case "u64":
      case "i64": {
        if (typeof value !== "bigint") {
          throw new TypeError(`Expected a bigint for ${label()}, got ${describe(value)}`);
        }
        const [min, max] = field.kind === "u64" ? [0n, U64_MAX] : [I64_MIN, I64_MAX];
        if (value < min || value > max) {
          throw new RangeError(`Value ${value} is out of range for ${label()} (${field.kind})`);
        }
        if (field.kind === "u64") view.setBigUint64(at, value, true);
        else view.setBigInt64(at, value, true);
        break;
      }
      case "char": {
        if (typeof value !== "string") {
          throw new TypeError(`Expected a string for ${label()}, got ${describe(value)}`);
        }
        const code = value === "" ? 0 : value.charCodeAt(0);
        if (value.length > 1 || code > 0xFF) {
          throw new RangeError(`Value "${value}" is not a single-byte character for ${label()}`);
        }
        bytes[at] = code;
        break;
      }
      case "cstr":
        if (typeof value !== "string") {
          throw new TypeError(`Expected a string for ${label()}, got ${describe(value)}`);
        }
        writeCstr(bytes, at, field.width, value, label());
        break;
      case "reserved":
        bytes.fill(0, at, at + field.size);
        break;
      case "levels":
      case "clevels": {
        if (!Array.isArray(value) || value.length !== field.width) {
          throw new TypeError(
            `Expected ${field.width} levels for ${label()}, got ${describe(value)}`,
          );
        }
        value.forEach((level: Record<string, unknown>, i) => {
          if (typeof level !== "object" || level === null) {
            throw new TypeError(`Expected an object for level ${i} of ${label()}`);
          }
          const at_i = at + i * LEVEL_LEN;
          writeFields(view, bytes, at_i, field.levelFields!, level, `level ${i} of ${owner}`);
        });
        break;
      }
    }
  }
}

function writeInt(view: DataView, at: number, kind: string, value: number): void {
  switch (kind) {
    case "u8":
      view.setUint8(at, value);
      break;
    case "i8":
      view.setInt8(at, value);
      break;
    case "u16":
      view.setUint16(at, value, true);
      break;
    case "i16":
      view.setInt16(at, value, true);
      break;
    case "u32":
      view.setUint32(at, value, true);
      break;
    default:
      view.setInt32(at, value, true);
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "string") return `"${value}"`;
  if (typeof value === "bigint") return `${value}n`;
  return value === null ? "null" : typeof value === "object" ? "an object" : String(value);
}
