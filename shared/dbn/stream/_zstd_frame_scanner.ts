/**
 * Finds Zstandard frame boundaries (RFC 8878) from the frame and block headers, without
 * decompressing. `node:zlib` stops after the first frame (the rest of the input is silently
 * dropped) and accepts a truncated frame, so the reader splits the input itself, feeds each
 * regular frame to a fresh decompressor and drops skippable frames.
 * @module
 */

/** Little-endian magic of a regular Zstandard frame (bytes 28 B5 2F FD). */
export const ZSTD_MAGIC = 0xFD2FB528;
/** First of the 16 skippable-frame magics 0x184D2A50..0x184D2A5F. */
export const SKIPPABLE_MAGIC_MIN = 0x184D2A50;
/** Largest block a frame may hold (Block_Maximum_Size). */
const MAX_BLOCK_SIZE = 128 * 1024;

/** True for any of the 16 skippable-frame magics. */
export function isSkippableMagic(magic: number): boolean {
  return ((magic & 0xFFFFFFF0) >>> 0) === SKIPPABLE_MAGIC_MIN;
}

/** Reads a u32 LE; the caller guarantees four bytes. */
export function readU32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | bytes[offset + 1]! << 8 | bytes[offset + 2]! << 16 |
    bytes[offset + 3]! << 24) >>> 0;
}

/** A run of bytes of one regular frame, in input order. */
export interface FrameSegment {
  bytes: Uint8Array;
  /** True when these bytes finish the frame. */
  end: boolean;
  /** Compressed offset of the frame's magic. */
  frameStart: number;
}

/** Why the scanner rejected its input; `offset` is in the compressed input. */
export class FrameScanError extends Error {
  readonly offset: number;
  /** The good frame bytes of the chunk before the problem, still to be decompressed. */
  segments: FrameSegment[] = [];
  constructor(message: string, offset: number) {
    super(message);
    this.name = "FrameScanError";
    this.offset = offset;
  }
}

// "Field" states collect bytes to parse; "skip" states only count them.
type State =
  | "magic"
  | "skipSize"
  | "skipBody"
  | "descriptor"
  | "headerRest"
  | "blockHeader"
  | "blockBody"
  | "checksum";

const COUNTED: ReadonlySet<State> = new Set(["skipBody", "headerRest", "blockBody", "checksum"]);

/** Incremental frame splitter: `push` chunks, get the regular frames' bytes; `finish` at EOF. */
export class ZstdFrameScanner {
  #state: State = "magic";
  #field = new Uint8Array(4);
  #fieldLen = 0;
  #need = 4;
  #checksum = false;
  #lastBlock = false;
  #position = 0;
  #frameStart = 0;
  #frames = 0;

  /** Regular frames completed so far. */
  get frames(): number {
    return this.#frames;
  }

  /** Bytes of input consumed so far. */
  get position(): number {
    return this.#position;
  }

  /** True between frames (the only place where input may end). */
  get atBoundary(): boolean {
    return this.#state === "magic" && this.#fieldLen === 0;
  }

  /** Splits `chunk` into runs of regular-frame bytes; throws FrameScanError on a bad header. */
  push(chunk: Uint8Array): FrameSegment[] {
    const segments: FrameSegment[] = [];
    let runStart = this.#inDataFrame() ? 0 : -1;
    let pos = 0;
    while (pos < chunk.length) {
      const take = Math.min(this.#need, chunk.length - pos);
      if (!COUNTED.has(this.#state)) {
        this.#field.set(chunk.subarray(pos, pos + take), this.#fieldLen);
        this.#fieldLen += take;
      }
      pos += take;
      this.#need -= take;
      if (this.#need > 0) continue;
      const where = this.#position + pos;
      const state = this.#state;
      try {
        this.#advance(where);
      } catch (e) {
        if (e instanceof FrameScanError && runStart >= 0 && pos > runStart) {
          segments.push({
            bytes: chunk.subarray(runStart, pos),
            end: false,
            frameStart: this.#frameStart,
          });
        }
        if (e instanceof FrameScanError) e.segments = segments;
        throw e;
      }
      if (state === "magic" && this.#state === "descriptor") {
        // The magic may straddle chunks, so hand the decompressor a copy of it.
        segments.push({ bytes: this.#field.slice(0, 4), end: false, frameStart: this.#frameStart });
        runStart = pos;
      } else if (this.#state === "magic" && runStart >= 0) {
        segments.push({
          bytes: chunk.subarray(runStart, pos),
          end: true,
          frameStart: this.#frameStart,
        });
        runStart = -1;
      }
      this.#fieldLen = 0;
    }
    if (runStart >= 0 && pos > runStart) {
      segments.push({
        bytes: chunk.subarray(runStart, pos),
        end: false,
        frameStart: this.#frameStart,
      });
    }
    this.#position += chunk.length;
    return segments;
  }

  /** Throws FrameScanError when the input ended inside a frame. */
  finish(): void {
    if (!this.atBoundary) {
      throw new FrameScanError(
        `Truncated zstd input: it ends inside the frame at compressed byte ${this.#frameStart}`,
        this.#position,
      );
    }
  }

  #inDataFrame(): boolean {
    return this.#state !== "magic" && this.#state !== "skipSize" && this.#state !== "skipBody";
  }

  /** Parses the completed field or body at compressed offset `end` and picks the next state. */
  #advance(end: number): void {
    const f = this.#field;
    switch (this.#state) {
      case "magic": {
        const magic = readU32(f, 0);
        this.#frameStart = end - 4;
        if (magic === ZSTD_MAGIC) return this.#expect("descriptor", 1);
        if (isSkippableMagic(magic)) return this.#expect("skipSize", 4);
        throw new FrameScanError(
          `Unknown zstd frame magic 0x${magic.toString(16).padStart(8, "0")}`,
          end - 4,
        );
      }
      case "skipSize": {
        const size = readU32(f, 0);
        return size === 0 ? this.#frameDone() : this.#expect("skipBody", size);
      }
      case "skipBody":
        return this.#frameDone();
      case "descriptor": {
        const fhd = f[0]!;
        if ((fhd & 0x08) !== 0) {
          throw new FrameScanError("Zstd frame header has its reserved bit set", end - 1);
        }
        this.#checksum = (fhd & 0x04) !== 0;
        const singleSegment = (fhd & 0x20) !== 0;
        const dictBytes = [0, 1, 2, 4][fhd & 0x03]!;
        const fcsFlag = fhd >> 6;
        const fcsBytes = fcsFlag === 0 ? (singleSegment ? 1 : 0) : [0, 2, 4, 8][fcsFlag]!;
        const rest = (singleSegment ? 0 : 1) + dictBytes + fcsBytes;
        return rest > 0 ? this.#expect("headerRest", rest) : this.#expect("blockHeader", 3);
      }
      case "headerRest":
        return this.#expect("blockHeader", 3);
      case "blockHeader": {
        const header = f[0]! | f[1]! << 8 | f[2]! << 16;
        this.#lastBlock = (header & 1) === 1;
        const type = (header >> 1) & 3;
        const size = header >>> 3;
        if (type === 3) {
          throw new FrameScanError("Zstd block has the reserved block type 3", end - 3);
        }
        if (size > MAX_BLOCK_SIZE) {
          throw new FrameScanError(`Zstd block size ${size} exceeds ${MAX_BLOCK_SIZE}`, end - 3);
        }
        const body = type === 1 ? 1 : size;
        return body > 0 ? this.#expect("blockBody", body) : this.#afterBlock();
      }
      case "blockBody":
        return this.#afterBlock();
      case "checksum":
        return this.#frameDone();
    }
  }

  #afterBlock(): void {
    if (!this.#lastBlock) return this.#expect("blockHeader", 3);
    if (this.#checksum) return this.#expect("checksum", 4);
    this.#frameDone();
  }

  #frameDone(): void {
    if (this.#inDataFrame()) this.#frames += 1;
    this.#expect("magic", 4);
  }

  #expect(state: State, need: number): void {
    this.#state = state;
    this.#need = need;
  }
}
