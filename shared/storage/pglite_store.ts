/**
 * The embedded backend of {@linkcode Store}: PGlite (Postgres in WebAssembly) in a directory, run
 * in its own worker (`_pglite_worker.ts`). PGlite executes on the thread that calls it, so in
 * process every insert would stall the caller's event loop -- the IPC poll loop, a strategy's
 * next tick -- for milliseconds; behind a worker only the message round trip stays on this thread.
 * @module
 */
import { Worker } from "node:worker_threads";
import type { PgliteErrorInfo, PgliteRequest, PgliteResponse } from "./_pglite_protocol.ts";
import type { Queryable, Row, SqlParam, Store } from "./store.ts";
import { quoteIdent } from "./store.ts";
import { StorageError, toStorageError } from "./storage_error.ts";

/** The request of one op without its id (the client numbers them). */
type Request = WithoutId<PgliteRequest>;
type WithoutId<R> = R extends unknown ? Omit<R, "id"> : never;

/** Opens (creating if needed) a PGlite database in `dataDir`, or in memory when it is undefined. */
export async function openPgliteStore(dataDir: string | undefined): Promise<Store> {
  const location = dataDir ?? "memory://";
  let client: WorkerClient | undefined;
  try {
    if (dataDir !== undefined) await Deno.mkdir(dataDir, { recursive: true });
    client = new WorkerClient();
    await client.call({ op: "open", dataDir });
    return pgliteStore(client, location);
  } catch (error) {
    client?.terminate();
    const reason = error instanceof Error ? error.message : String(error);
    throw new StorageError("unavailable", `cannot open embedded database ${location}: ${reason}`, {
      cause: error,
    });
  }
}

/**
 * Numbered requests to the worker, each answered once. The worker holds the process open only
 * while a request is waiting (a store nobody closed does not keep a finished command alive).
 */
class WorkerClient {
  readonly #worker = new Worker(new URL("./_pglite_worker.ts", import.meta.url));
  readonly #waiting = new Map<
    number,
    { resolve(r: PgliteResponse): void; reject(e: Error): void }
  >();
  #nextId = 1;
  #failure: Error | undefined;

  constructor() {
    this.#worker.unref();
    this.#worker.on("message", (response: PgliteResponse) => {
      this.#waiting.get(response.id)?.resolve(response);
      this.#settled(response.id);
    });
    this.#worker.on("error", (error: Error) => {
      this.#fail(new Error(`the embedded database worker failed: ${error.message}`));
    });
    this.#worker.on("exit", () => this.#fail(new Error("the embedded database worker exited")));
  }

  /** Sends one request; resolves with the worker's rows, rejects with the driver's error. */
  async call(
    request: Request,
  ): Promise<PgliteResponse & { ok: true }> {
    if (this.#failure !== undefined) throw this.#failure;
    const id = this.#nextId++;
    const answer = new Promise<PgliteResponse>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
    });
    if (this.#waiting.size === 1) this.#worker.ref();
    try {
      this.#worker.postMessage({ ...request, id });
    } catch (error) {
      this.#settled(id);
      throw error;
    }
    const response = await answer;
    if (!response.ok) throw driverError(response.error);
    return response;
  }

  /** True once the worker crashed, exited or was terminated: nothing more can be asked. */
  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** Forgets a request; the worker holds the process open only while one waits. */
  #settled(id: number): void {
    this.#waiting.delete(id);
    if (this.#waiting.size === 0) this.#worker.unref();
  }

  terminate(): void {
    this.#fail(new Error("the embedded database is closed"));
    void this.#worker.terminate();
  }

  #fail(error: Error): void {
    this.#failure ??= Object.assign(error, { code: "CONNECTION_CLOSED" });
    for (const waiting of this.#waiting.values()) waiting.reject(this.#failure);
    this.#waiting.clear();
    this.#worker.unref();
  }
}

/** The error a driver threw, rebuilt on this side so {@linkcode toStorageError} can classify it. */
function driverError(info: PgliteErrorInfo): Error {
  return Object.assign(new Error(info.message), info.code === undefined ? {} : { code: info.code });
}

function queryable(client: WorkerClient, tx: number | undefined): Queryable {
  return {
    async query<R = Row>(text: string, params: readonly SqlParam[] = []) {
      try {
        const result = await client.call({ op: "query", tx, text, params });
        return { rows: result.rows as R[], count: result.count ?? 0 };
      } catch (error) {
        throw toStorageError(error, "embedded query failed");
      }
    },
    async exec(script: string) {
      try {
        await client.call({ op: "exec", tx, script });
      } catch (error) {
        throw toStorageError(error, "embedded script failed");
      }
    },
    async copyFrom(table: string, columns: readonly string[], chunks: Iterable<string>) {
      const statement = `COPY ${quoteIdent(table)} (${
        columns.map(quoteIdent).join(", ")
      }) FROM '/dev/blob'`;
      try {
        await client.call({ op: "copy", tx, statement, data: Array.from(chunks).join("") });
      } catch (error) {
        throw toStorageError(error, `COPY into ${table} failed`);
      }
    },
  };
}

/** A {@linkcode Store} over the worker's PGlite. */
function pgliteStore(client: WorkerClient, location: string): Store {
  let closed = false;
  return {
    kind: "pglite",
    location,
    ...queryable(client, undefined),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      let tx: number;
      try {
        tx = (await client.call({ op: "begin" })).id; // a transaction is named by its begin's id
      } catch (error) {
        throw toStorageError(error, "embedded transaction failed");
      }
      let result: T;
      try {
        result = await fn(queryable(client, tx));
      } catch (error) {
        await client.call({ op: "end", tx, commit: false }).catch(() => {});
        throw toStorageError(error, "embedded transaction failed");
      }
      try {
        await client.call({ op: "end", tx, commit: true });
      } catch (error) {
        throw toStorageError(error, "embedded transaction failed");
      }
      return result;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        // A worker that already failed has nothing to close; its failure was reported already.
        if (!client.failed) await client.call({ op: "close" });
      } finally {
        client.terminate();
      }
    },
  };
}
