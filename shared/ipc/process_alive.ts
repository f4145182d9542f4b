/**
 * Whether a process is still there (Linux /proc): how a reader tells a writer that died from one
 * that is slow, and a fetch tells a stale job lock from a held one.
 * @module
 */

const HAS_PROC = (() => {
  try {
    return Deno.statSync("/proc/self/stat").isFile;
  } catch {
    return false;
  }
})();

/**
 * False when process `pid` is gone (Linux: no `/proc/<pid>`, or a zombie). True when it exists,
 * when the platform has no /proc, or for pid 0 (not known).
 */
export function processAlive(pid: number): boolean {
  if (!HAS_PROC || pid <= 0) return true;
  let stat: string;
  try {
    stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    return true; // not ours to read: it exists
  }
  // "pid (comm) S ...": the state follows the last ")", since comm may contain anything.
  const state = stat.charAt(stat.lastIndexOf(")") + 2);
  return state !== "Z" && state !== "X";
}
