/**
 * Shared-memory segments: files under `/dev/shm/<namespace>/` (mode 0600) mapped with mmap(2)
 * and seen as an ArrayBuffer. Works the same in a Worker (each isolate maps its own view).
 *
 * The ArrayBuffer points at the mapping: using it after {@linkcode ShmSegment.close} would touch
 * unmapped memory, so every user of a segment checks `closed` first (the channel and registry do).
 * @module
 */
import { IpcError } from "./ipc_error.ts";
import {
  cString,
  lastErrno,
  lib,
  LOCK_EX,
  LOCK_NB,
  LOCK_UN,
  MAP_SHARED,
  O_CLOEXEC,
  O_CREAT,
  O_EXCL,
  O_RDWR,
  PROT_READ,
  PROT_WRITE,
  SEEK_END,
} from "./_libc.ts";
import { namespaceDir, segmentPath } from "./names.ts";

/** Options for {@linkcode createShm}. */
export interface CreateShmOptions {
  /** Fail with `exists` when the file is already there (default: open it and grow it to `size`). */
  exclusive?: boolean;
}

function osError(what: string, path: string): IpcError {
  const { errno, name } = lastErrno();
  if (name === "ENOENT") {
    return new IpcError("not_found", `Cannot ${what} ${path}: it does not exist`);
  }
  if (name === "EEXIST") return new IpcError("exists", `Cannot ${what} ${path}: it already exists`);
  return new IpcError("os", `Cannot ${what} ${path}: ${name} (errno ${errno})`);
}

/** A mapped segment: its file descriptor, size and the memory as an ArrayBuffer. */
export class ShmSegment {
  readonly path: string;
  readonly size: number;
  readonly buffer: ArrayBuffer;
  #fd: number;
  #pointer: Deno.PointerObject;
  #closed = false;

  private constructor(path: string, fd: number, size: number, pointer: Deno.PointerObject) {
    this.path = path;
    this.#fd = fd;
    this.size = size;
    this.#pointer = pointer;
    this.buffer = Deno.UnsafePointerView.getArrayBuffer(pointer, size);
  }

  /** Maps an open descriptor (internal: use createShm/openShm). */
  static map(path: string, fd: number, size: number): ShmSegment {
    const pointer = lib().mmap(null, BigInt(size), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0n);
    if (pointer === null || Deno.UnsafePointer.value(pointer) === 0xFFFF_FFFF_FFFF_FFFFn) {
      const error = osError("map", path);
      lib().close(fd);
      throw error;
    }
    return new ShmSegment(path, fd, size, pointer);
  }

  /** True once closed: the buffer must not be touched any more. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Takes the exclusive advisory lock without waiting; false when another holder has it. */
  tryLock(): boolean {
    this.#checkOpen();
    if (lib().flock(this.#fd, LOCK_EX | LOCK_NB) === 0) return true;
    const { name } = lastErrno();
    if (name === "EWOULDBLOCK") return false;
    throw osError("lock", this.path);
  }

  /**
   * Waits for the exclusive lock up to `timeoutMs`. The kernel drops a flock when its process dies,
   * so a crashed holder can never leave the segment locked.
   */
  async lock(timeoutMs = 2000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (let wait = 0.05; !this.tryLock(); wait = Math.min(wait * 2, 5)) {
      if (performance.now() > deadline) {
        throw new IpcError("busy", `Lock on ${this.path} is still held after ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Releases the lock taken by tryLock() or lock(). */
  unlock(): void {
    if (!this.#closed) lib().flock(this.#fd, LOCK_UN);
  }

  /** Unmaps and closes (also drops a held lock). Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    lib().munmap(this.#pointer, BigInt(this.size));
    lib().close(this.#fd);
  }

  #checkOpen(): void {
    if (this.#closed) throw new IpcError("closed", `Segment ${this.path} is closed`);
  }
}

function ensureNamespace(namespace: string): void {
  Deno.mkdirSync(namespaceDir(namespace), { recursive: true, mode: 0o700 });
}

/** Creates (or, unless exclusive, opens) a segment of at least `size` bytes, mode 0600. */
export function createShm(
  namespace: string,
  name: string,
  size: number,
  options: CreateShmOptions = {},
): ShmSegment {
  if (!Number.isSafeInteger(size) || size <= 0) {
    throw new RangeError(`Invalid segment size ${size}`);
  }
  const path = segmentPath(namespace, name);
  ensureNamespace(namespace);
  const flags = O_RDWR | O_CREAT | O_CLOEXEC | (options.exclusive ? O_EXCL : 0);
  const fd = lib().open(cString(path), flags, 0o600);
  if (fd < 0) throw osError("create", path);
  const current = Number(lib().lseek(fd, 0n, SEEK_END));
  if (current < size && lib().ftruncate(fd, BigInt(size)) !== 0) {
    const error = osError("size", path);
    lib().close(fd);
    throw error;
  }
  lib().fchmod(fd, 0o600);
  return ShmSegment.map(path, fd, Math.max(current, size));
}

/** Opens an existing segment at its current size; `not_found` when it is not there. */
export function openShm(namespace: string, name: string): ShmSegment {
  const path = segmentPath(namespace, name);
  const fd = lib().open(cString(path), O_RDWR | O_CLOEXEC, 0);
  if (fd < 0) throw osError("open", path);
  const size = Number(lib().lseek(fd, 0n, SEEK_END));
  if (size <= 0) {
    lib().close(fd);
    throw new IpcError("truncated", `Segment ${path} is empty`);
  }
  return ShmSegment.map(path, fd, size);
}

/** Removes a segment's file (mapped views stay valid until closed). False when it was not there. */
export function unlinkShm(namespace: string, name: string): boolean {
  try {
    Deno.removeSync(segmentPath(namespace, name));
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Names of the segments in a namespace (sockets excluded), sorted. */
export function listShm(namespace: string): string[] {
  const names: string[] = [];
  try {
    for (const entry of Deno.readDirSync(namespaceDir(namespace))) {
      if (entry.isFile) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return names.sort();
}

/** The device and inode of a path, to notice a segment replaced under the same name. */
export function fileIdentity(path: string): string | undefined {
  try {
    const info = Deno.statSync(path);
    return `${info.dev}:${info.ino}`;
  } catch {
    return undefined;
  }
}
