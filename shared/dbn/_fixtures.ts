// Test-only helpers: list and read the upstream DBN fixtures (shared/fixtures/dbn), decompressing
// `.zst` in memory. node:zlib stops after the first zstd frame, so frames are split here first.
import zlib from "node:zlib";
import type { DbnVersion } from "./constants.ts";

/** The fixture folder, outside the repository. */
export const FIXTURE_DIR = new URL("../../../shared/fixtures/dbn/", import.meta.url);

/** A DBN fixture: its name, uncompressed bytes, and what its name says about it. */
export interface Fixture {
  name: string;
  bytes: Uint8Array;
  /** Schema part of the name, e.g. "mbp-1", "definition". */
  schema: string;
  /** Version from the name (`.v1.`) or, for unversioned files, 2. */
  version: DbnVersion;
  /** Records only, no metadata. */
  fragment: boolean;
}

/** Lists the DBN fixtures (not the README, not the legacy `.dbz` files). */
export function fixtureNames(): string[] {
  return [...Deno.readDirSync(FIXTURE_DIR)]
    .map((entry) => entry.name)
    .filter((name) => name.includes(".dbn"))
    .sort();
}

/** Reads a fixture, decompressing every zstd frame of a `.zst` file. */
export function readFixture(name: string): Fixture {
  const raw = Deno.readFileSync(new URL(name, FIXTURE_DIR));
  const bytes = name.endsWith(".zst") ? zstdDecompressAll(raw) : raw;
  const match = /^(?:test_data|multi-frame)\.([a-z0-9-]+)(?:\.v(\d))?\.dbn/.exec(name);
  if (match === null) throw new Error(`Unexpected fixture name "${name}"`);
  const version = Number(match[2] ?? 2) as DbnVersion;
  return { name, bytes, schema: match[1]!, version, fragment: name.includes(".frag") };
}

/** Decompresses concatenated zstd frames, skipping skippable frames. */
export function zstdDecompressAll(input: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let offset = 0;
  while (offset < input.length) {
    const end = zstdFrameEnd(input, offset);
    const magic = new DataView(input.buffer, input.byteOffset + offset).getUint32(0, true);
    if (magic === 0xFD2FB528) parts.push(zlib.zstdDecompressSync(input.subarray(offset, end)));
    offset = end;
  }
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// Walks one frame's header and block headers (RFC 8878 section 3.1) to find where it ends.
function zstdFrameEnd(input: Uint8Array, start: number): number {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const magic = view.getUint32(start, true);
  if ((magic & 0xFFFF_FFF0) === 0x184D2A50) return start + 8 + view.getUint32(start + 4, true);
  if (magic !== 0xFD2FB528) throw new Error(`No zstd frame at byte ${start}`);
  const descriptor = input[start + 4]!;
  const singleSegment = (descriptor & 0x20) !== 0;
  const checksum = (descriptor & 0x04) !== 0;
  const dictIdSize = [0, 1, 2, 4][descriptor & 0x03]!;
  const contentSizeSize = [singleSegment ? 1 : 0, 2, 4, 8][descriptor >> 6]!;
  let pos = start + 5 + (singleSegment ? 0 : 1) + dictIdSize + contentSizeSize;
  for (;;) {
    const header = input[pos]! | (input[pos + 1]! << 8) | (input[pos + 2]! << 16);
    const last = (header & 1) !== 0;
    const type = (header >> 1) & 3;
    const size = header >> 3;
    pos += 3 + (type === 1 ? 1 : size);
    if (last) break;
  }
  return pos + (checksum ? 4 : 0);
}
