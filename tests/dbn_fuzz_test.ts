/**
 * Fuzz: seeded random mutations of every DBN fixture (bit flips, overwrites, truncations,
 * insertions, duplicated and deleted runs, record length bytes set to 0/255, version bytes set to
 * 0/4/255, metadata lengths), read through the full streaming reader, uncompressed and compressed.
 * Each read must end cleanly or with a DataError naming the source and offset, must stop there,
 * must agree with a plain whole-buffer decode of the same bytes, and must not hang.
 */
import assert from "node:assert/strict";
import { zstdCompressSync } from "node:zlib";
import { DataError } from "@shared/domain/mod.ts";
import {
  type DbnRecord,
  type DbnVersion,
  decodeMetadata,
  decodeRecord,
  upgradeRecord,
} from "@shared/dbn/mod.ts";
import { openDbn, type RecordBatch } from "@shared/dbn/stream/mod.ts";
import {
  concatBytes,
  fixtureBytes,
  fixtureIndex,
  type FixtureInfo,
  referenceDecode,
  sanitizedTest,
  unzstd,
} from "@shared/dbn/stream/testing.ts";
import { mulberry32 } from "@shared/domain/prng.ts";

const SEED = 20261121;
const PLAIN_CASES = 12_000;
const RECOMPRESSED_CASES = 5_000;
const PACKED_CASES = 8_000;
/** A read that takes this long is a hang: every input here is a few kilobytes. */
const HANG_MS = 10_000;

/** Seeded draws: integers below n and picks from a list. */
function prng(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { int, pick };
}
type Rng = ReturnType<typeof prng>;

/** A fixture prepared for mutation. */
interface Base {
  info: FixtureInfo;
  /** Decompressed stream (metadata + records, or records for a fragment); undefined for DBZ. */
  plain: Uint8Array | undefined;
  /** The compressed form: the fixture itself, or the plain bytes compressed here. */
  packed: Uint8Array;
  fragmentVersion: DbnVersion | undefined;
  /** Offsets of the records in `plain`. */
  recordStarts: number[];
}

async function loadBases(): Promise<Base[]> {
  const bases: Base[] = [];
  for (const info of fixtureIndex()) {
    const raw = fixtureBytes(info.name);
    const reference = await referenceDecode(info);
    if (info.compression === "dbz") {
      bases.push({ info, plain: undefined, packed: raw, fragmentVersion: 1, recordStarts: [] });
      continue;
    }
    const plain = info.compression === "zstd" ? await unzstd(raw) : raw;
    const start = plain.length - reference.recordBytes.length;
    const recordStarts: number[] = [];
    for (let at = start; at < plain.length; at += plain[at]! * 4) recordStarts.push(at);
    bases.push({
      info,
      plain,
      packed: info.compression === "zstd" ? raw : zstdCompressSync(plain),
      fragmentVersion: info.fragment ? reference.version : undefined,
      recordStarts,
    });
  }
  return bases;
}

const SPECIAL = [0, 1, 3, 4, 0x7F, 0x80, 0xFF];

/** Applies 1-3 random mutations; returns the new bytes and what was done. */
function mutate(rng: Rng, input: Uint8Array, base: Base, plain: boolean): [Uint8Array, string[]] {
  let bytes: Uint8Array = input.slice();
  const log: string[] = [];
  const ops = 1 + rng.int(3);
  for (let i = 0; i < ops; i++) {
    const at = rng.int(Math.max(bytes.length, 1));
    const kind = rng.int(plain ? 11 : 7);
    switch (kind) {
      case 0: {
        const bit = rng.int(8);
        if (bytes.length > 0) bytes[at]! ^= 1 << bit;
        log.push(`flip ${at}.${bit}`);
        break;
      }
      case 1:
        if (bytes.length > 0) bytes[at] = rng.int(256);
        log.push(`set ${at}`);
        break;
      case 2:
        if (bytes.length > 0) bytes[at] = rng.pick(SPECIAL);
        log.push(`special ${at}`);
        break;
      case 3:
        bytes = bytes.slice(0, at);
        log.push(`truncate ${at}`);
        break;
      case 4: {
        const extra = Uint8Array.from({ length: 1 + rng.int(16) }, () => rng.int(256));
        bytes = concatBytes([bytes.subarray(0, at), extra, bytes.subarray(at)]);
        log.push(`insert ${extra.length}@${at}`);
        break;
      }
      case 5: {
        const from = rng.int(Math.max(bytes.length, 1));
        const run = bytes.slice(from, from + 1 + rng.int(600));
        bytes = concatBytes([bytes.subarray(0, at), run, bytes.subarray(at)]);
        log.push(`duplicate ${from}+${run.length}@${at}`);
        break;
      }
      case 6: {
        const length = 1 + rng.int(64);
        bytes = concatBytes([bytes.subarray(0, at), bytes.subarray(at + length)]);
        log.push(`delete ${length}@${at}`);
        break;
      }
      case 7:
      case 8: {
        // Record header bytes: length (0, 255, ...) or rtype.
        const start = base.recordStarts.length > 0 ? rng.pick(base.recordStarts) : at;
        const field = kind === 7 ? 0 : 1;
        if (start + field < bytes.length) {
          bytes[start + field] = kind === 7
            ? rng.pick([0, 255, 1, 3, 4, rng.int(256)])
            : rng.int(256);
        }
        log.push(`${kind === 7 ? "length" : "rtype"} @${start}`);
        break;
      }
      case 9:
        if (bytes.length > 3) bytes[3] = rng.pick([0, 4, 255, 1, 2, 3]);
        log.push(`version ${bytes[3]}`);
        break;
      case 10: {
        const length = rng.pick([0, 99, 100, 0xFFFF_FFFF, rng.int(8000), rng.int(1 << 30)]);
        if (bytes.length >= 8) new DataView(bytes.buffer).setUint32(4, length, true);
        log.push(`metadata length ${length}`);
        break;
      }
    }
  }
  return [bytes, log];
}

/** Compresses `plain` as 1-4 frames, sometimes with skippable frames between them. */
function compress(rng: Rng, plain: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  const frames = 1 + rng.int(4);
  let from = 0;
  for (let i = 0; i < frames; i++) {
    const to = i === frames - 1 ? plain.length : from + rng.int(plain.length - from + 1);
    parts.push(zstdCompressSync(plain.subarray(from, to)));
    if (rng.int(4) === 0) parts.push(new Uint8Array([0x5A, 0x2A, 0x4D, 0x18, 2, 0, 0, 0, 7, 7]));
    from = to;
  }
  return concatBytes(parts);
}

interface Outcome {
  records: DbnRecord[];
  error: DataError | undefined;
  version: DbnVersion | undefined;
}

/** Reads `bytes` through `openDbn`, checking the error contract; bounded by HANG_MS. */
async function read(bytes: Uint8Array, options: {
  label: string;
  fragment: { version?: DbnVersion } | undefined;
  chunkBytes: number;
  batchBytes: number;
  batches: boolean;
  upgrade: boolean;
}): Promise<Outcome> {
  const records: DbnRecord[] = [];
  let version: DbnVersion | undefined;
  let next: (() => Promise<IteratorResult<unknown>>) | undefined;
  const run = async (): Promise<DataError | undefined> => {
    try {
      const reader = await openDbn(bytes, {
        source: "fuzz.dbn",
        chunkBytes: options.chunkBytes,
        batchBytes: options.batchBytes,
        fragment: options.fragment,
        upgrade: options.upgrade,
      });
      version = reader.inputVersion;
      const iterator = options.batches ? reader.batches() : reader.records();
      next = () => iterator.next();
      while (true) {
        const step = await iterator.next();
        if (step.done) return undefined;
        if (!options.batches) {
          records.push(step.value as DbnRecord);
          continue;
        }
        const batch = step.value as RecordBatch;
        let end = 0;
        for (const offset of batch.offsets) {
          assert.equal(offset, end, `${options.label}: records back to back`);
          records.push(decodeRecord(batch.bytes, offset, batch));
          end = offset + batch.bytes[offset]! * 4;
        }
        assert.equal(end, batch.bytes.length, `${options.label}: batch holds whole records only`);
      }
    } catch (e) {
      if (!(e instanceof DataError)) {
        assert.fail(`${options.label}: threw ${(e as Error)?.stack ?? e}, not a DataError`);
      }
      assert.ok(
        e.offset !== undefined && e.offset >= 0 &&
          e.message.startsWith(`fuzz.dbn at byte ${e.offset}: `),
        `${options.label}: message must name source and offset: ${e.message}`,
      );
      if (next !== undefined) {
        assert.equal((await next()).done, true, `${options.label}: nothing after the error`);
      }
      return e;
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${options.label}: no end after ${HANG_MS} ms`)),
      HANG_MS,
    );
  });
  try {
    const error = await Promise.race([run(), hang]);
    return { records, error, version };
  } finally {
    clearTimeout(timer);
  }
}

/** The plain whole-buffer decode: metadata, then records one after another until one fails. */
function oracle(bytes: Uint8Array, version: DbnVersion, fragment: boolean): DbnRecord[] {
  const records: DbnRecord[] = [];
  try {
    let at = 0;
    let tsOut = false;
    if (!fragment) {
      const { metadata, byteLength } = decodeMetadata(bytes);
      at = byteLength;
      tsOut = metadata.tsOut;
    }
    while (at < bytes.length) {
      records.push(decodeRecord(bytes, at, { version, tsOut }));
      at += bytes[at]! * 4;
    }
  } catch {
    // The stream reader must have stopped at or before this point.
  }
  return records;
}

const CHUNKS = [1, 2, 3, 7, 16, 64, 333, 4096, 65536];
const BATCHES = [1, 64, 1000, 65536];

function fuzzOptions(rng: Rng, label: string, base: Base) {
  const fragment = base.fragmentVersion === undefined || base.info.compression === "dbz"
    ? undefined
    : rng.int(4) === 0
    ? {}
    : { version: base.fragmentVersion };
  return {
    label,
    fragment,
    chunkBytes: rng.pick(CHUNKS),
    batchBytes: rng.pick(BATCHES),
    batches: rng.int(2) === 0,
    upgrade: rng.int(4) === 0,
  };
}

const bases = await loadBases();
const plainBases = bases.filter((b) => b.plain !== undefined);

sanitizedTest(
  `fuzz: ${PLAIN_CASES} mutated uncompressed streams end cleanly or in a DataError`,
  async () => {
    const rng = prng(SEED);
    const errors = new Map<string, number>();
    for (let i = 0; i < PLAIN_CASES; i++) {
      const base = rng.pick(plainBases);
      const [bytes, log] = mutate(rng, base.plain!, base, true);
      const label = `plain #${i} ${base.info.name} [${log.join(", ")}]`;
      const options = fuzzOptions(rng, label, base);
      const first = await read(bytes, options);
      // Chunking must not change the outcome (nor, without upgrading, the API used).
      const batches = options.upgrade ? options.batches : !options.batches;
      const second = await read(bytes, { ...options, chunkBytes: 65536, batches });
      const why = `${label} ${JSON.stringify(options)}: chunking changed the outcome: ` +
        `${describe(first)} then ${describe(second)}`;
      assert.equal(second.records.length, first.records.length, why);
      assert.equal(second.error?.code, first.error?.code, why);
      assert.equal(second.error?.offset, first.error?.offset, why);
      if (first.version !== undefined) {
        const decoded = oracle(bytes, first.version, options.fragment !== undefined);
        const expected = options.upgrade
          ? decoded.map((record) => upgradeRecord(record, first.version!))
          : decoded;
        assert.deepEqual(
          first.records,
          expected.slice(0, first.records.length),
          `${label}: records`,
        );
        if (first.error === undefined) assert.equal(first.records.length, expected.length, label);
      }
      count(errors, first.error);
    }
    assertReached(errors, [
      "clean end",
      "dbn.bad_record_length",
      "dbn.unknown_rtype",
      "dbn.truncated_record",
      "dbn.truncated_metadata",
      "dbn.unsupported_version",
      "dbn.bad_metadata_length",
      "dbn.upgrade_failed",
    ]);
  },
);

sanitizedTest(
  `fuzz: ${RECOMPRESSED_CASES} mutated streams compressed as 1-4 zstd frames`,
  async () => {
    const rng = prng(SEED + 1);
    for (let i = 0; i < RECOMPRESSED_CASES; i++) {
      const base = rng.pick(plainBases);
      const [plain, log] = mutate(rng, base.plain!, base, true);
      const label = `recompressed #${i} ${base.info.name} [${log.join(", ")}]`;
      const options = fuzzOptions(rng, label, base);
      const packed = await read(compress(rng, plain), options);
      const direct = await read(plain, options);
      const why = `${label} ${JSON.stringify(options)}: compressed ${describe(packed)}, ` +
        `uncompressed ${describe(direct)}`;
      assert.equal(packed.records.length, direct.records.length, why);
      assert.equal(packed.error?.code, direct.error?.code, why);
      assert.equal(packed.error?.offset, direct.error?.offset, why);
    }
  },
);

sanitizedTest(
  `fuzz: ${PACKED_CASES} mutated compressed files (.zst, .dbz, multi-frame)`,
  async () => {
    const rng = prng(SEED + 2);
    const errors = new Map<string, number>();
    for (let i = 0; i < PACKED_CASES; i++) {
      const base = rng.pick(bases);
      const [bytes, log] = mutate(rng, base.packed, base, false);
      const label = `packed #${i} ${base.info.name} [${log.join(", ")}]`;
      const outcome = await read(bytes, fuzzOptions(rng, label, base));
      count(errors, outcome.error);
    }
    assertReached(errors, [
      "clean end",
      "dbn.corrupt_zstd",
      "dbn.truncated_zstd",
      "dbn.bad_dbz",
      "dbn.bad_record_length",
    ]);
  },
);

function describe(outcome: Outcome): string {
  const end = outcome.error === undefined ? "clean end" : outcome.error.message;
  return `${outcome.records.length} records, v${outcome.version}, ${end}`;
}

function count(outcomes: Map<string, number>, error: DataError | undefined): void {
  const key = error?.code ?? "clean end";
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
}

/** The mutations must reach every stage: each of these outcomes must have happened. */
function assertReached(outcomes: Map<string, number>, expected: string[]): void {
  const seen = [...outcomes].map(([key, n]) => `${key} ${n}`).join(", ");
  for (const key of expected) assert.ok(outcomes.has(key), `never reached "${key}": ${seen}`);
}
