/**
 * Helpers for tests and benchmarks: a throwaway namespace, and self-checking trade records whose
 * every word depends on their sequence, so a reader can prove it got no torn, stale or misplaced record.
 * @module
 */
import { namespaceDir } from "./names.ts";

/** A fresh namespace name (`ipc_test_1a2b3c4d`); remove it with {@linkcode removeNamespace}. */
export function uniqueNamespace(prefix = "ipc_test"): string {
  return `${prefix}_${crypto.randomUUID().slice(0, 8)}`;
}

/** Deletes `/dev/shm/<namespace>` and everything in it. */
export function removeNamespace(namespace: string): void {
  try {
    Deno.removeSync(namespaceDir(namespace), { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** A Deno.test that gets a fresh namespace and removes it afterwards, pass or fail. */
export function testWithNamespace(
  name: string,
  body: (namespace: string) => void | Promise<void>,
): void {
  Deno.test(name, async () => {
    const namespace = uniqueNamespace();
    try {
      await body(namespace);
    } finally {
      removeNamespace(namespace);
    }
  });
}

/** Size of a DBN trade record. */
export const CHECKED_RECORD_BYTES = 48;
const TS_RECV = 32;
const CHECKSUM = 40;

function mix(value: number): number {
  let x = Math.imul(value ^ (value >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
}

function checksum(view: DataView, offset: number): number {
  let hash = 0x811c9dc5;
  for (let word = 0; word < 12; word++) {
    if (word * 4 === CHECKSUM) continue;
    hash = Math.imul(hash ^ view.getUint32(offset + word * 4, true), 0x01000193);
  }
  return hash | 0;
}

/**
 * Writes a valid DBN v3 trade record (rtype 0, 48 bytes) for `sequence` at `offset`: ts_event is
 * the sequence, price and size derive from it, ts_recv carries `stampNs` (a monotonic send time for
 * latency runs), ts_in_delta a checksum of every other word.
 */
export function writeCheckedRecord(
  view: DataView,
  offset: number,
  sequence: number,
  stampNs = 0,
): void {
  const h = mix(sequence);
  view.setUint8(offset, CHECKED_RECORD_BYTES / 4);
  view.setUint8(offset + 1, 0x00);
  view.setUint16(offset + 2, 1, true);
  view.setUint32(offset + 4, 7, true);
  view.setUint32(offset + 8, sequence >>> 0, true);
  view.setUint32(offset + 12, Math.floor(sequence / 2 ** 32), true);
  view.setUint32(offset + 16, (50_000 + (h % 1000)) * 1_000_000 >>> 0, true);
  view.setUint32(offset + 20, Math.floor((50_000 + (h % 1000)) * 1_000_000 / 2 ** 32), true);
  view.setUint32(offset + 24, 1 + (h >>> 20), true);
  view.setUint8(offset + 28, 0x54); // 'T'
  view.setUint8(offset + 29, h & 1 ? 0x42 : 0x41); // 'B' / 'A'
  view.setUint8(offset + 30, 0);
  view.setUint8(offset + 31, 0);
  view.setFloat64(offset + TS_RECV, stampNs, true);
  view.setUint32(offset + 44, sequence >>> 0, true);
  view.setInt32(offset + CHECKSUM, checksum(view, offset), true);
}

/** The sequence a checked record carries, or -1 when its checksum does not match (a torn record). */
export function checkRecord(view: DataView, offset: number): number {
  if (view.getInt32(offset + CHECKSUM, true) !== checksum(view, offset)) return -1;
  const sequence = view.getUint32(offset + 8, true) + view.getUint32(offset + 12, true) * 2 ** 32;
  return (view.getUint32(offset + 44, true) === sequence >>> 0) ? sequence : -1;
}

/** The send stamp written by {@linkcode writeCheckedRecord}. */
export function recordStamp(view: DataView, offset: number): number {
  return view.getFloat64(offset + TS_RECV, true);
}
