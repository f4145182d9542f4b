/**
 * The files a replay reads: the path itself when it is a file, else every `.dbn` and `.dbn.zst`
 * file directly in the folder, in name order.
 * @module
 */
import { join } from "node:path";

/** True for the names a folder replay picks up. */
export function isDbnFileName(name: string): boolean {
  return name.endsWith(".dbn") || name.endsWith(".dbn.zst");
}

/**
 * The input files of `path`, in replay order. Throws a one-line Error when the path cannot be
 * read or a folder holds no DBN file.
 */
export async function listReplayFiles(path: string): Promise<string[]> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (e) {
    throw new Error(`Cannot read replay input "${path}": ${(e as Error).message}`, { cause: e });
  }
  if (!info.isDirectory) return [path];
  const names: string[] = [];
  for await (const entry of Deno.readDir(path)) {
    if ((entry.isFile || entry.isSymlink) && isDbnFileName(entry.name)) names.push(entry.name);
  }
  if (names.length === 0) {
    throw new Error(`Replay folder "${path}" holds no .dbn or .dbn.zst file`);
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => join(path, name));
}
