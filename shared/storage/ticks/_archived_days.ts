/**
 * Archived days in a tick read: the range is cut into plain stretches (tick_data only, keyset
 * pages) and archived day segments, where the day's archived slices (one per exchange) are
 * merged with whatever tick_data holds for that day (another exchange not archived yet).
 */
import type { ArchiveSlice } from "../archive/catalog.ts";
import { readArchivedSlice } from "../archive/archive_file.ts";
import type { PageOptions } from "./_tick_pages.ts";
import { compareTicks, dayStartNs, NS_PER_DAY, type Tick } from "./tick.ts";

/** A stretch of the range: plain when `slices` is empty, else one archived UTC day (clipped). */
export interface Segment {
  from: bigint | undefined;
  to: bigint | undefined;
  slices: ArchiveSlice[];
}

/** Cuts [from, to) into ascending segments around the days that have archived slices. */
export function planSegments(
  from: bigint | undefined,
  to: bigint | undefined,
  slices: readonly ArchiveSlice[],
): Segment[] {
  const byDay = new Map<string, ArchiveSlice[]>();
  for (const slice of slices) {
    if (from !== undefined && slice.lastTs < from) continue;
    if (to !== undefined && slice.firstTs >= to) continue;
    const list = byDay.get(slice.day);
    if (list === undefined) byDay.set(slice.day, [slice]);
    else list.push(slice);
  }
  const segments: Segment[] = [];
  let cursor = from;
  for (const day of [...byDay.keys()].sort()) {
    const dayStart = dayStartNs(day);
    const start = cursor !== undefined && cursor > dayStart ? cursor : dayStart;
    const dayEnd = dayStart + NS_PER_DAY;
    const end = to !== undefined && to < dayEnd ? to : dayEnd;
    if (cursor === undefined || cursor < start) {
      segments.push({ from: cursor, to: start, slices: [] });
    }
    segments.push({ from: start, to: end, slices: byDay.get(day)! });
    cursor = end;
  }
  if (cursor === undefined || to === undefined || cursor < to) {
    segments.push({ from: cursor, to, slices: [] });
  }
  return segments;
}

/** The ticks of one day's slices within [from, to), ascending by compareTicks. */
export async function loadArchivedDay(
  root: string,
  slices: readonly ArchiveSlice[],
  from: bigint | undefined,
  to: bigint | undefined,
): Promise<Tick[]> {
  let merged: Tick[] = [];
  for (const slice of slices) {
    const ticks = clip(await readArchivedSlice(root, slice), from, to);
    merged = merged.length === 0 ? ticks : mergeAscending(merged, ticks);
  }
  return merged;
}

/** Merges archived ticks (in read order) with tick_data pages (same order) into batches. */
export async function* mergeWithPages(
  archived: readonly Tick[],
  pages: AsyncIterator<Tick[]>,
  desc: boolean,
  options: PageOptions,
): AsyncGenerator<Tick[]> {
  let left = options.limit;
  let i = 0;
  let page: Tick[] = [];
  let j = 0;
  let exhausted = false;
  try {
    for (;;) {
      const want = Math.min(options.batchSize, left);
      if (want <= 0) return;
      const out: Tick[] = [];
      while (out.length < want) {
        if (j === page.length && !exhausted) {
          const next = await pages.next();
          if (next.done) exhausted = true;
          else [page, j] = [next.value, 0];
          continue;
        }
        const a = archived[i];
        const b = page[j];
        if (a === undefined && b === undefined) break;
        if (b === undefined || (a !== undefined && (compareTicks(a, b) < 0) !== desc)) {
          out.push(a!);
          i++;
        } else {
          out.push(b);
          j++;
        }
      }
      left -= out.length;
      if (out.length > 0) yield out;
      if (out.length < want) return;
    }
  } finally {
    await pages.return?.();
  }
}

function clip(ticks: Tick[], from: bigint | undefined, to: bigint | undefined): Tick[] {
  const lo = from === undefined ? 0 : firstAtOrAfter(ticks, from);
  const hi = to === undefined ? ticks.length : firstAtOrAfter(ticks, to);
  return lo === 0 && hi === ticks.length ? ticks : ticks.slice(lo, hi);
}

/** Index of the first tick with tsEvent >= ts (ticks ascending). */
function firstAtOrAfter(ticks: readonly Tick[], ts: bigint): number {
  let lo = 0;
  let hi = ticks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ticks[mid]!.tsEvent < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function mergeAscending(a: readonly Tick[], b: readonly Tick[]): Tick[] {
  const out = new Array<Tick>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    out[k++] = compareTicks(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
