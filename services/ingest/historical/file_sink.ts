/**
 * The `-o FILE.dbn[.zst]` target of a fetch: the DBN stream as the API sent it (its metadata,
 * version and record bytes), written with bounded memory and checkpointed so an interrupted
 * download can continue. Each checkpoint ends a zstd frame (a `.dbn.zst` is a series of frames,
 * which every zstd and DBN reader accepts), flushes and fsyncs the file, then records the
 * file's length and position in a sidecar `<out>.partial.json`. Resuming truncates the file back
 * to that length. The sidecar is removed when the file is complete.
 * @module
 */
import type { DbnVersion, Metadata } from "@shared/dbn/mod.ts";
import { createDbnWriter, type DbnWriter, type WriterLike } from "@shared/dbn/stream/mod.ts";
import type { Position } from "./_position.ts";

/** What a file belongs to; a sidecar of another request is not resumed. */
export interface FileIdentity {
  dataset: string;
  schema: string;
  symbols: readonly string[];
  stypeIn: string;
  startNs: bigint;
  endNs: bigint;
  /** The backfill job, when there is one. */
  jobId?: number;
}

/** A file that cannot be continued (missing, shorter than its checkpoint, another request). */
export class FileResumeError extends Error {
  override readonly name = "FileResumeError";
}

interface Sidecar {
  format: "fetch-partial-v1";
  dataset: string;
  schema: string;
  symbols: string[];
  stypeIn: string;
  startNs: string;
  endNs: string;
  jobId: number | null;
  dbnVersion: number | null;
  tsOut: boolean;
  /** Durable position; null before the first checkpoint. */
  checkpointNs: string | null;
  skip: number;
  records: number;
  /** File length at the checkpoint. */
  bytes: number;
}

/** The sidecar path of an output file. */
export function sidecarPath(path: string): string {
  return `${path}.partial.json`;
}

/** Writes the DBN file of one fetch; see the module doc. */
export class DbnFileSink {
  readonly path: string;
  readonly #file: Deno.FsFile;
  readonly #sidecar: Sidecar;
  readonly #compress: boolean;
  #bytes: number;
  #writer: DbnWriter | undefined;
  #closed = false;

  private constructor(path: string, file: Deno.FsFile, sidecar: Sidecar) {
    this.path = path;
    this.#file = file;
    this.#sidecar = sidecar;
    this.#bytes = sidecar.bytes;
    this.#compress = path.endsWith(".zst");
  }

  /** Creates (or truncates) the file for a new download. */
  static async create(path: string, identity: FileIdentity): Promise<DbnFileSink> {
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    const sink = new DbnFileSink(path, file, {
      format: "fetch-partial-v1",
      dataset: identity.dataset,
      schema: identity.schema,
      symbols: [...identity.symbols],
      stypeIn: identity.stypeIn,
      startNs: String(identity.startNs),
      endNs: String(identity.endNs),
      jobId: identity.jobId ?? null,
      dbnVersion: null,
      tsOut: false,
      checkpointNs: null,
      skip: 0,
      records: 0,
      bytes: 0,
    });
    try {
      await sink.#writeSidecar();
    } catch (e) {
      file.close();
      throw e;
    }
    return sink;
  }

  /** Reopens a file at its last checkpoint; throws a FileResumeError when that is not possible. */
  static async resume(path: string, identity: FileIdentity): Promise<DbnFileSink> {
    const sidecar = await readSidecar(path);
    if (sidecar === undefined) {
      throw new FileResumeError(`Cannot resume "${path}": its checkpoint file is missing`);
    }
    const expected = JSON.stringify(identityOf(identity));
    if (JSON.stringify(identityOf(sidecar)) !== expected) {
      throw new FileResumeError(`Cannot resume "${path}": it was written for another request`);
    }
    let size: number;
    try {
      size = (await Deno.stat(path)).size;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      throw new FileResumeError(`Cannot resume "${path}": the file is missing`);
    }
    if (size < sidecar.bytes) {
      throw new FileResumeError(
        `Cannot resume "${path}": it has ${size} bytes, fewer than its checkpoint (${sidecar.bytes})`,
      );
    }
    const file = await Deno.open(path, { read: true, write: true });
    try {
      await file.truncate(sidecar.bytes);
      await file.seek(sidecar.bytes, Deno.SeekMode.Start);
    } catch (e) {
      file.close();
      throw e;
    }
    return new DbnFileSink(path, file, sidecar);
  }

  /** The durable position (undefined before the first checkpoint). */
  get position(): Position | undefined {
    const s = this.#sidecar;
    return s.checkpointNs === null
      ? undefined
      : { ts: BigInt(s.checkpointNs), skip: s.skip, records: s.records };
  }

  /** Bytes in the file so far (compressed when the file is). */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Called with each response: the first one of a new file writes its metadata as received;
   * a later one (a retry, a resume) must have the same DBN version and `ts_out`.
   */
  async begin(metadata: Metadata | undefined, version: DbnVersion, tsOut: boolean): Promise<void> {
    const s = this.#sidecar;
    if (s.dbnVersion === null) {
      if (metadata === undefined) throw new TypeError("The first response has no DBN metadata");
      s.dbnVersion = version;
      s.tsOut = tsOut;
      this.#writer = await createDbnWriter(this.#counting(), {
        metadata,
        compress: this.#compress,
        source: this.path,
      });
      return;
    }
    if (s.dbnVersion !== version || s.tsOut !== tsOut) {
      throw new FileResumeError(
        `Cannot continue "${this.path}": it holds DBN v${s.dbnVersion} records, the API now sends v${version}`,
      );
    }
  }

  /** Appends whole records (bytes exactly as received). */
  async write(records: Uint8Array): Promise<void> {
    if (records.length === 0) return;
    const s = this.#sidecar;
    if (s.dbnVersion === null) throw new TypeError("DbnFileSink.begin() was not called");
    this.#writer ??= await createDbnWriter(this.#counting(), {
      fragment: { version: s.dbnVersion as DbnVersion, tsOut: s.tsOut },
      compress: this.#compress,
      source: this.path,
    });
    await this.#writer.writeBytes(records);
  }

  /** Makes everything written durable (frame ended, fsync) and records `position`. */
  async checkpoint(position: Position | undefined): Promise<void> {
    await this.#endSegment();
    await this.#file.syncData();
    if (position !== undefined) {
      this.#sidecar.checkpointNs = String(position.ts);
      this.#sidecar.skip = position.skip;
      this.#sidecar.records = position.records;
    }
    this.#sidecar.bytes = this.#bytes;
    await this.#writeSidecar();
  }

  /** Finishes the file: last frame, fsync, close, sidecar removed. */
  async finish(): Promise<void> {
    await this.#endSegment();
    await this.#file.syncData();
    this.#closeFile();
    await Deno.remove(sidecarPath(this.path)).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }

  /**
   * Closes the file after a failure; the sidecar keeps the last checkpoint (bytes written
   * after it are cut off when the download resumes).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#endSegment().catch(() => {}); // releases the compressor
    this.#closeFile();
  }

  #closeFile(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#file.close();
  }

  async #endSegment(): Promise<void> {
    const writer = this.#writer;
    this.#writer = undefined;
    await writer?.close();
  }

  #counting(): WriterLike {
    return {
      write: async (bytes: Uint8Array) => {
        const n = await this.#file.write(bytes);
        this.#bytes += n;
        return n;
      },
    };
  }

  async #writeSidecar(): Promise<void> {
    const path = sidecarPath(this.path);
    const temp = `${path}.tmp`;
    // Synced before the rename: after a power loss the sidecar is the old one or the new one.
    const file = await Deno.open(temp, { write: true, create: true, truncate: true });
    try {
      const bytes = new TextEncoder().encode(`${JSON.stringify(this.#sidecar, null, 2)}\n`);
      for (let done = 0; done < bytes.length;) done += await file.write(bytes.subarray(done));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
  }
}

function identityOf(o: FileIdentity | Sidecar): unknown[] {
  const jobId = "format" in o ? o.jobId : o.jobId ?? null;
  return [
    o.dataset,
    o.schema,
    [...o.symbols],
    o.stypeIn,
    String(o.startNs),
    String(o.endNs),
    jobId,
  ];
}

async function readSidecar(path: string): Promise<Sidecar | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(sidecarPath(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  try {
    const sidecar = JSON.parse(text) as Sidecar;
    if (sidecar.format !== "fetch-partial-v1") return undefined;
    return sidecar;
  } catch {
    throw new FileResumeError(`Cannot resume "${path}": ${sidecarPath(path)} is not valid JSON`);
  }
}

/** True when a file has a sidecar, i.e. an unfinished fetch wrote it. */
export async function hasSidecar(path: string): Promise<boolean> {
  try {
    await Deno.stat(sidecarPath(path));
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
