/**
 * The worker that owns the embedded database: PGlite runs its queries synchronously on the thread
 * that calls it, so it lives here, and the service's thread (the IPC poll loop, the trader's
 * strategies) never waits behind an insert. One PGlite per worker; requests arrive in order and
 * run concurrently as PGlite allows (it serialises them itself; a transaction holds it until its
 * `end` arrives).
 * @module
 */
import { parentPort } from "node:worker_threads";
import { PGlite, type Transaction, types } from "@electric-sql/pglite";
import type { PgliteErrorInfo, PgliteRequest, PgliteResponse } from "./_pglite_protocol.ts";

type Target = Pick<PGlite, "query" | "exec">;

/** Thrown inside a transaction's callback to roll it back. */
const ROLLBACK = Symbol("rollback");

let db: PGlite | undefined;
/** Open transactions by the id of their `begin`; `finish` lets the callback return or throw. */
const transactions = new Map<number, { tx: Transaction; finish: (commit: boolean) => void }>();
const settling = new Map<number, Promise<void>>();

parentPort?.on("message", (request: PgliteRequest) => void handle(request));

async function handle(request: PgliteRequest): Promise<void> {
  try {
    reply({ id: request.id, ok: true, ...await run(request) });
  } catch (error) {
    reply({ id: request.id, ok: false, error: errorInfo(error) });
  }
}

async function run(request: PgliteRequest): Promise<{ rows?: unknown[]; count?: number }> {
  switch (request.op) {
    case "open":
      db = new PGlite({
        dataDir: request.dataDir,
        parsers: { [types.INT8]: (value: string) => BigInt(value) },
        serializers: { [types.INT8]: (value: unknown) => String(value) },
      });
      await db.waitReady;
      return {};
    case "query": {
      const result = await target(request.tx).query(request.text, request.params as unknown[]);
      const count = result.fields.length > 0 && (result.affectedRows ?? 0) === 0
        ? result.rows.length
        : result.affectedRows ?? result.rows.length;
      return { rows: result.rows, count };
    }
    case "exec":
      await target(request.tx).exec(request.script);
      return {};
    case "copy":
      await target(request.tx).query(request.statement, [], { blob: new Blob([request.data]) });
      return {};
    case "begin":
      await begin(request.id);
      return {};
    case "end": {
      const open = transactions.get(request.tx);
      if (open === undefined) throw new Error(`no open transaction ${request.tx}`);
      transactions.delete(request.tx);
      open.finish(request.commit);
      await settling.get(request.tx);
      return {};
    }
    case "close":
      if (db !== undefined && !db.closed) await db.close();
      return {};
  }
}

/** Opens a transaction and resolves once it holds the database; it ends on `end`. */
function begin(id: number): Promise<void> {
  const database = opened();
  return new Promise((started, failed) => {
    let began = false;
    const done = database.transaction(async (tx) => {
      const commit = await new Promise<boolean>((finish) => {
        transactions.set(id, { tx, finish });
        began = true;
        started();
      });
      if (!commit) throw ROLLBACK;
    }).catch((error) => {
      if (!began) failed(error);
      else if (error !== ROLLBACK) throw error;
    }).finally(() => settling.delete(id));
    settling.set(id, done);
  });
}

function target(tx: number | undefined): Target {
  if (tx === undefined) return opened();
  const open = transactions.get(tx);
  if (open === undefined) throw new Error(`no open transaction ${tx}`);
  return open.tx;
}

function opened(): PGlite {
  if (db === undefined || db.closed) throw new Error("the embedded database is closed");
  return db;
}

function reply(response: PgliteResponse): void {
  parentPort?.postMessage(response);
}

function errorInfo(error: unknown): PgliteErrorInfo {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? { message, code } : { message };
}
