/**
 * Crash-safe file writes: write under a temporary name beside the target, fsync, then rename.
 * A crash leaves at most a stray `*.tmp-<uuid>` file, never a half-written file under the final
 * name.
 */
import { dirname } from "node:path";

/** A file written under a temporary name, waiting to be renamed into place. */
export interface TempFile {
  temp: string;
  final: string;
}

/** Creates a temporary file beside `final`, lets `fill` write it, syncs it to disk. */
export async function writeTempFile(
  final: string,
  fill: (file: Deno.FsFile) => Promise<void>,
): Promise<TempFile> {
  await Deno.mkdir(dirname(final), { recursive: true });
  const temp = `${final}.tmp-${crypto.randomUUID()}`;
  const file = await Deno.open(temp, { write: true, createNew: true });
  try {
    await fill(file);
    await file.sync();
  } catch (error) {
    file.close();
    await removeQuietly(temp);
    throw error;
  }
  file.close();
  return { temp, final };
}

/** Renames every temporary file into place, then syncs their directories (best effort). */
export async function commitTempFiles(files: readonly TempFile[]): Promise<void> {
  for (const { temp, final } of files) await Deno.rename(temp, final);
  for (const dir of new Set(files.map((f) => dirname(f.final)))) await syncDir(dir);
}

/** Removes a file, ignoring one that is already gone (cleanup paths). */
export async function removeQuietly(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** fsync of a directory makes the renames durable; not every platform allows opening one. */
async function syncDir(dir: string): Promise<void> {
  let handle: Deno.FsFile | undefined;
  try {
    handle = await Deno.open(dir, { read: true });
    await handle.sync();
  } catch {
    // Windows cannot open directories; the rename is still atomic there.
  } finally {
    handle?.close();
  }
}
