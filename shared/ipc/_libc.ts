/**
 * The few libc calls the shared-memory layer needs, through `Deno.dlopen` (needs --allow-ffi).
 * Opened lazily once per isolate, so a Worker gets its own handle. Linux (glibc or musl) only.
 * @module
 */
import { IpcError } from "./ipc_error.ts";

const SYMBOLS = {
  open: { parameters: ["buffer", "i32", "u32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  ftruncate: { parameters: ["i32", "i64"], result: "i32" },
  lseek: { parameters: ["i32", "i64", "i32"], result: "i64" },
  mmap: { parameters: ["pointer", "usize", "i32", "i32", "i32", "i64"], result: "pointer" },
  munmap: { parameters: ["pointer", "usize"], result: "i32" },
  flock: { parameters: ["i32", "i32"], result: "i32" },
  fchmod: { parameters: ["i32", "u32"], result: "i32" },
  clock_gettime: { parameters: ["i32", "buffer"], result: "i32" },
  __errno_location: { parameters: [], result: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/** open(2) flags and the other constants (Linux x86-64 and aarch64 share them). */
export const O_RDWR = 0o2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_CLOEXEC = 0o2000000;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const MAP_SHARED = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;
export const SEEK_END = 2;
export const CLOCK_MONOTONIC = 1;

const ERRNO_NAMES: Record<number, string> = {
  1: "EPERM",
  2: "ENOENT",
  9: "EBADF",
  11: "EWOULDBLOCK",
  12: "ENOMEM",
  13: "EACCES",
  17: "EEXIST",
  20: "ENOTDIR",
  21: "EISDIR",
  22: "EINVAL",
  24: "EMFILE",
  27: "EFBIG",
  28: "ENOSPC",
  36: "ENAMETOOLONG",
};

let libc: Libc | undefined;

/** The libc symbols; throws `unsupported` where there is no Linux libc to open. */
export function lib(): Libc {
  if (libc !== undefined) return libc;
  if (Deno.build.os !== "linux") {
    throw new IpcError(
      "unsupported",
      `Shared-memory IPC needs Linux (/dev/shm); this is ${Deno.build.os}`,
    );
  }
  let lastError: unknown;
  for (const name of ["libc.so.6", "libc.so", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1"]) {
    try {
      libc = Deno.dlopen(name, SYMBOLS).symbols;
      return libc;
    } catch (error) {
      lastError = error;
    }
  }
  throw new IpcError("unsupported", `Cannot open libc for shared memory: ${String(lastError)}`, {
    cause: lastError,
  });
}

/** The calling thread's errno: number and name (`ENOENT`). */
export function lastErrno(): { errno: number; name: string } {
  const pointer = lib().__errno_location();
  const errno = pointer === null ? 0 : new Deno.UnsafePointerView(pointer).getInt32();
  return { errno, name: ERRNO_NAMES[errno] ?? `errno ${errno}` };
}

/** A NUL-terminated copy of a path for the C side. */
export function cString(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${text}\0`);
}

// struct timespec { i64 tv_sec; i64 tv_nsec } read as u32 words: no BigInt allocated per call.
const clockWords = new Uint32Array(4);
const clockBytes = new Uint8Array(clockWords.buffer);

/**
 * CLOCK_MONOTONIC in nanoseconds as a float (exact to well under a microsecond for years of uptime):
 * the same clock in every process of the machine, so two processes can time one record.
 */
export function monotonicNs(): number {
  lib().clock_gettime(CLOCK_MONOTONIC, clockBytes);
  return (clockWords[0]! + clockWords[1]! * 4294967296) * 1e9 + clockWords[2]!;
}
