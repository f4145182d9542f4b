/**
 * Spill files: ticks the database could not take while it was down, written to disk in the archive
 * format (a `.trades.dbn.zst` DBN file per symbol and day plus the sidecar of trade ids and exact
 * quantities) under `<data_dir>/spill/<batch>/`, with a `manifest.json` listing the slices. Loaded
 * back, checked against the manifest, when the database returns (or at the next start).
 * @module
 */
import { join } from "node:path";
import {
  type ArchiveSlice,
  compareTicks,
  dayOfNs,
  readArchivedSlice,
  type Tick,
  writeArchiveSlice,
} from "@shared/storage/mod.ts";

const MANIFEST = "manifest.json";
let counter = 0;

/** One spilled batch on disk. */
export interface SpillBatch {
  dir: string;
  ticks: number;
}

/** Writes `ticks` as one spill batch; returns its folder and tick count (duplicates dropped). */
export async function writeSpill(root: string, ticks: readonly Tick[]): Promise<SpillBatch> {
  const dir = join(root, `${Date.now()}-${Deno.pid}-${counter++}`);
  await Deno.mkdir(dir, { recursive: true });
  const groups = new Map<string, Tick[]>();
  const seen = new Set<string>();
  for (const tick of ticks) {
    const key = `${tick.symbol}|${tick.exchange}|${tick.tsEvent}|${tick.tradeId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const slice = `${tick.symbol}|${tick.exchange}|${dayOfNs(tick.tsEvent)}`;
    const group = groups.get(slice) ?? [];
    group.push(tick);
    groups.set(slice, group);
  }
  const slices: ArchiveSlice[] = [];
  for (const group of groups.values()) {
    group.sort(compareTicks);
    const { bytes: _bytes, ...slice } = await writeArchiveSlice(dir, group);
    slices.push(slice);
  }
  const manifest = JSON.stringify(slices, (_k, v) => typeof v === "bigint" ? v.toString() : v);
  const temp = join(dir, `${MANIFEST}.tmp`);
  await Deno.writeTextFile(temp, manifest);
  await Deno.rename(temp, join(dir, MANIFEST));
  return { dir, ticks: seen.size };
}

/** The complete spill batches under `root`, oldest first (a batch without manifest is skipped). */
export async function listSpills(root: string): Promise<string[]> {
  const dirs: string[] = [];
  try {
    for await (const entry of Deno.readDir(root)) {
      if (!entry.isDirectory) continue;
      const dir = join(root, entry.name);
      try {
        await Deno.stat(join(dir, MANIFEST));
        dirs.push(dir);
      } catch {
        // Cut short before its manifest was written: its ticks were still in memory then.
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return dirs.sort();
}

/** Reads a spill batch back, every slice checked against the manifest's count and checksum. */
export async function readSpill(dir: string): Promise<Tick[]> {
  const raw = JSON.parse(await Deno.readTextFile(join(dir, MANIFEST))) as Record<string, unknown>[];
  const ticks: Tick[] = [];
  for (const entry of raw) {
    const slice = {
      ...entry,
      firstTs: BigInt(entry.firstTs as string),
      lastTs: BigInt(entry.lastTs as string),
    } as ArchiveSlice;
    ticks.push(...await readArchivedSlice(dir, slice));
  }
  return ticks;
}

/** Removes a loaded spill batch. */
export async function removeSpill(dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true });
}
