// DBN trades <-> columns: the WASM kernels against baselines measured in the same run (a plain
// memory copy of the same bytes, a naive DataView + BigInt decoder, zstd decompression alone).
//   deno task bench:dbn                      (10M TradeMsg records, 480 MB)
//   deno task bench:dbn --count 1000000
import { parseArgs } from "node:util";
import { constants, createZstdDecompress, zstdCompressSync } from "node:zlib";
import { ColumnBatch, CoreBuffer, dbnRecordSize, type TradeColumns } from "@core/mod.ts";
import { mulberry32 } from "@shared/domain/prng.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    count: { type: "string", default: "10000000" },
    seed: { type: "string", default: "42" },
    repeat: { type: "string", default: "3" },
  },
});
const count = Number(flags.count);
const repeat = Number(flags.repeat);
if (!Number.isInteger(count) || count <= 0 || count > 20_000_000) {
  throw new RangeError(`Invalid --count "${flags.count}": expected 1 to 20000000`);
}
if (!Number.isInteger(repeat) || repeat <= 0) {
  throw new RangeError(`Invalid --repeat "${flags.repeat}"`);
}
const SIZE = dbnRecordSize("trades");
const BYTES = count * SIZE;
const NAIVE_CHUNK = 65_536;
const ZSTD_CHUNK = 1 << 20;

/** A seeded PRNG so every run decodes the same records. */
const prng = mulberry32;

/**
 * TradeMsg records shaped like a venue's: 50 instruments on 3 publishers, prices random-walking in
 * cent ticks, timestamps rising by up to 2 ms, ts_recv 1-50 us later. Written without BigInt: the
 * u64 fields as (low, high) u32 halves.
 */
function makeTrades(n: number, seed: number): Uint8Array {
  const random = prng(seed);
  const out = new Uint8Array(n * SIZE);
  const u32 = new Uint32Array(out.buffer);
  const instruments = Array.from({ length: 50 }, (_, i) => ({
    id: 1000 + i * 37,
    publisher: 1 + (i % 3),
    ticks: 1_000 + Math.floor(random() * 500_000), // cents
  }));
  const base = 1_700_000_000_000_000_000n;
  let lo = Number(base & 0xffff_ffffn);
  let hi = Number(base >> 32n);
  for (let k = 0; k < n; k++) {
    const w = k * (SIZE / 4); // u32 index of the record
    const at = k * SIZE;
    const instrument = instruments[Math.floor(random() * instruments.length)]!;
    instrument.ticks = Math.max(1, instrument.ticks + Math.round((random() - 0.5) * 6));
    lo += Math.floor(random() * random() * 2_000_000);
    if (lo >= 2 ** 32) (lo -= 2 ** 32), hi++;
    const price = instrument.ticks * 10_000_000; // < 2^53: exact as a double
    const recv = lo + 1_000 + Math.floor(random() * 49_000);
    out[at] = SIZE / 4;
    out[at + 1] = 0x00;
    out[at + 2] = instrument.publisher;
    out[at + 3] = 0;
    u32[w + 1] = instrument.id;
    u32[w + 2] = lo;
    u32[w + 3] = hi;
    u32[w + 4] = price % 2 ** 32;
    u32[w + 5] = Math.floor(price / 2 ** 32);
    u32[w + 6] = 1 + Math.floor(random() ** 3 * 1000);
    const r = random();
    out[at + 28] = 0x54; // 'T'
    out[at + 29] = r < 0.02 ? 0x4e : r < 0.51 ? 0x41 : 0x42;
    out[at + 30] = r < 0.9 ? 0x80 : 0x81;
    out[at + 31] = 0;
    u32[w + 8] = recv % 2 ** 32;
    u32[w + 9] = hi + (recv >= 2 ** 32 ? 1 : 0);
    u32[w + 10] = Math.floor(random() * 20_000);
    u32[w + 11] = k + 1;
  }
  return out;
}

interface NaiveTrade {
  tsEvent: bigint;
  instrumentId: number;
  publisherId: number;
  rtype: number;
  price: bigint;
  size: number;
  action: number;
  side: number;
  flags: number;
  depth: number;
  tsRecv: bigint;
  tsInDelta: number;
  sequence: number;
}

/** The decoder a TS developer writes first: a DataView, BigInt for 64-bit fields, an object each. */
function naiveDecode(view: DataView, from: number, to: number): NaiveTrade[] {
  const out: NaiveTrade[] = [];
  for (let at = from; at < to; at += SIZE) {
    if (view.getUint8(at) * 4 !== SIZE || view.getUint8(at + 1) !== 0) {
      throw new RangeError(`Bad trade record at byte ${at}`);
    }
    out.push({
      tsEvent: view.getBigUint64(at + 8, true),
      instrumentId: view.getUint32(at + 4, true),
      publisherId: view.getUint16(at + 2, true),
      rtype: view.getUint8(at + 1),
      price: view.getBigInt64(at + 16, true),
      size: view.getUint32(at + 24, true),
      action: view.getUint8(at + 28),
      side: view.getUint8(at + 29),
      flags: view.getUint8(at + 30),
      depth: view.getUint8(at + 31),
      tsRecv: view.getBigUint64(at + 32, true),
      tsInDelta: view.getInt32(at + 40, true),
      sequence: view.getUint32(at + 44, true),
    });
  }
  return out;
}

function checkNaive(trades: NaiveTrade[], columns: TradeColumns, first: number): void {
  const names = Object.keys(trades[0] ?? {}) as (keyof NaiveTrade)[];
  trades.forEach((trade, i) => {
    for (const name of names) {
      if (trade[name] !== columns[name][first + i]) {
        throw new Error(
          `WASM decode disagrees with the naive decoder: record ${first + i} ${name}`,
        );
      }
    }
  });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length >> 2);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Median wall time of `repeat` runs after one untimed run (page faults, JIT, block growth). */
function timed(run: () => void): number {
  run();
  const times: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** A minimal DBN v3 metadata header for XNAS.ITCH trades: no symbols, no mappings (DBN.md 2.3-2.5). */
function metadataV3(start: bigint, end: bigint): Uint8Array {
  const out = new Uint8Array(8 + 120);
  const view = new DataView(out.buffer);
  out.set([0x44, 0x42, 0x4e, 3]);
  view.setUint32(4, 120, true);
  out.set(new TextEncoder().encode("XNAS.ITCH"), 8);
  view.setUint16(24, 4, true); // schema trades
  view.setBigUint64(26, start, true);
  view.setBigUint64(34, end, true);
  view.setBigUint64(42, 0n, true); // no limit
  out[50] = 1; // stype_in raw_symbol
  out[51] = 0; // stype_out instrument_id
  out[52] = 0; // no ts_out
  view.setUint16(53, 71, true); // symbol_cstr_len; then 53 reserved, schema def length, 4 counts
  return out;
}

/**
 * Streams `compressed` through node:zlib's zstd decompressor in 1 MiB slices and hands each
 * decompressed chunk, minus the metadata, to `onRecords`.
 */
async function streamRecords(
  compressed: Uint8Array,
  onRecords: (chunk: Uint8Array) => void,
): Promise<void> {
  const zstd = createZstdDecompress({ chunkSize: ZSTD_CHUNK });
  const feed = (async () => {
    for (let at = 0; at < compressed.length; at += ZSTD_CHUNK) {
      if (!zstd.write(compressed.subarray(at, at + ZSTD_CHUNK))) {
        await new Promise((resolve) => zstd.once("drain", resolve));
      }
    }
    zstd.end();
  })();
  let head: Uint8Array = new Uint8Array(0); // bytes of the prelude while fewer than 8 arrived
  let skip = -1; // metadata bytes still to drop, once known
  for await (const chunk of zstd as AsyncIterable<Uint8Array>) {
    let bytes = chunk;
    if (skip < 0) {
      bytes = concat(head, chunk);
      if (bytes.length < 8) {
        head = bytes;
        continue;
      }
      head = new Uint8Array(0);
      skip = 8 + new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
    }
    const dropped = Math.min(skip, bytes.length);
    skip -= dropped;
    if (dropped < bytes.length) onRecords(dropped === 0 ? bytes : bytes.subarray(dropped));
  }
  await feed;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

async function timedAsync(run: () => Promise<void>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

// --- data --------------------------------------------------------------------------------------
const records = makeTrades(count, Number(flags.seed));
using input = new CoreBuffer(BYTES);
input.bytes().set(records);
using batch = new ColumnBatch("trades", { capacity: count });

// (b) baseline: a plain copy of the same bytes into another (already touched) buffer.
const copyTarget = new Uint8Array(BYTES).fill(1);
const copyMs = timed(() => copyTarget.set(records));

// (a) WASM decode: input already in core memory, then from JS memory (copy into core included).
const decodeMs = timed(() => batch.decode(input.bytes()));
const decodeCopyMs = timed(() => batch.decode(records));
batch.resetStream(); // frees the staging copy

// (c) naive TS decode, chunk by chunk; every value is checked against the WASM columns, untimed.
const view = new DataView(records.buffer);
naiveDecode(view, 0, Math.floor(count / 100) * SIZE); // a 1% slice warms the JIT
let naiveMs = 0;
for (let first = 0; first < count; first += NAIVE_CHUNK) {
  const last = Math.min(count, first + NAIVE_CHUNK);
  const start = performance.now();
  const trades = naiveDecode(view, first * SIZE, last * SIZE);
  naiveMs += performance.now() - start;
  checkNaive(trades, batch.columns(), first);
}

// (d) WASM encode of the decoded columns into a core block: must give back the input's bytes.
using encoded = new CoreBuffer(BYTES);
const encodeMs = timed(() => batch.encodeInto(encoded));
if (!sameBytes(encoded.bytes(), input.bytes())) throw new Error("Encode is not byte-exact");
const encodeCopyMs = timed(() => {
  batch.encodeInto(encoded);
  copyTarget.set(encoded.bytes()); // a reused JS buffer, as a writer would keep one
});

// (e) a .dbn.zst file (DBN v3, zstd level 3 with checksum) decoded chunk by chunk.
const dir = Deno.makeTempDirSync({ prefix: "bench_dbn_" });
const path = `${dir}/trades.v3.dbn.zst`;
const columns = batch.columns();
const file = concat(metadataV3(columns.tsEvent[0]!, columns.tsEvent[count - 1]! + 1n), records);
const compressed = zstdCompressSync(file, {
  params: { [constants.ZSTD_c_compressionLevel]: 3, [constants.ZSTD_c_checksumFlag]: 1 },
});
Deno.writeFileSync(path, compressed);
const zst = Deno.readFileSync(path);
Deno.removeSync(dir, { recursive: true });
using stream = new ColumnBatch("trades", { capacity: Math.ceil(ZSTD_CHUNK / SIZE) + 1 });
let streamed = 0;
let priceSum = 0n;
const unzstdMs = await timedAsync(() => streamRecords(zst, () => {}));
const zstMs = await timedAsync(async () => {
  streamed = 0;
  await streamRecords(zst, (chunk) => (streamed += stream.push(chunk)));
  stream.finish();
});
if (streamed !== count) throw new Error(`Streamed ${streamed} records, expected ${count}`);
await streamRecords(zst, (chunk) => {
  const n = stream.push(chunk);
  const prices = stream.columns().price;
  for (let i = 0; i < n; i++) priceSum += prices[i]!;
});
let expectedSum = 0n;
// A fresh view: the stream's allocations may have grown WASM memory, detaching older views.
for (const price of batch.columns().price) expectedSum += price;
if (priceSum !== expectedSum) throw new Error("Streamed prices disagree with the one-shot decode");

// --- report ------------------------------------------------------------------------------------
interface Line {
  label: string;
  ms: number;
  target?: string;
  ok?: boolean;
  vsUnzstd?: boolean;
}
const perSecond = (ms: number) => count / ms / 1e3; // M records/s
const lines: Line[] = [
  { label: "plain copy, `Uint8Array.set` (baseline)", ms: copyMs },
  {
    label: "WASM decode to columns, input in core memory",
    ms: decodeMs,
    target: ">= 0.3x copy",
    ok: copyMs / decodeMs >= 0.3,
  },
  { label: "WASM decode to columns, incl. copy into core memory", ms: decodeCopyMs },
  { label: "naive TS decode: DataView + BigInt, object per record (baseline)", ms: naiveMs },
  {
    label: "WASM encode columns to records, into core memory",
    ms: encodeMs,
    target: ">= 40M rec/s",
    ok: perSecond(encodeMs) >= 40,
  },
  { label: "WASM encode columns to records, incl. copy out to a JS buffer", ms: encodeCopyMs },
  { label: "zstd streaming decompression alone (baseline)", ms: unzstdMs, vsUnzstd: true },
  {
    label: "zstd streaming decompression + WASM decode per chunk",
    ms: zstMs,
    target: ">= 25M rec/s",
    ok: perSecond(zstMs) >= 25,
    vsUnzstd: true,
  },
];
const naiveTarget = naiveMs / decodeMs >= 4;
lines[1]!.target += ", >= 4x naive";
lines[1]!.ok = lines[1]!.ok && naiveTarget;

const out = [
  `DBN trades <-> columns: ${count.toLocaleString("en-US")} TradeMsg records (${
    (BYTES / 1e6).toFixed(0)
  } MB), seed ${flags.seed}, median of ${repeat} runs (naive: one run)`,
  `deno ${Deno.version.deno}, ${Deno.build.os}/${Deno.build.arch}, ${navigator.hardwareConcurrency} cores; zstd file ${
    (zst.length / 1e6).toFixed(1)
  } MB (ratio ${(file.length / zst.length).toFixed(2)})`,
  "",
  "| path | ms | M records/s | GB/s | vs copy | vs naive TS | vs zstd alone | target |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ...lines.map((l) =>
    `| ${l.label} | ${l.ms.toFixed(0)} | ${perSecond(l.ms).toFixed(1)} | ${
      (BYTES / l.ms / 1e6).toFixed(2)
    } | ${(copyMs / l.ms).toFixed(2)}x | ${(naiveMs / l.ms).toFixed(1)}x | ${
      l.vsUnzstd ? `${(unzstdMs / l.ms).toFixed(2)}x` : ""
    } | ${l.target === undefined ? "" : `${l.target}: ${l.ok ? "met" : "MISSED"}`} |`
  ),
];
// deno-lint-ignore no-console
console.log(out.join("\n"));
