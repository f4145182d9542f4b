/**
 * The control channel of an ingest instance: a Unix socket speaking a line protocol (SUBSCRIBE,
 * UNSUBSCRIBE, LIST, PING; see `_control_protocol.ts`), a server that tracks each connection's
 * subscriptions (the client is in `control_client.ts`).
 * @module
 */
import type { Logger } from "@shared/obs/mod.ts";
import { IpcError } from "./ipc_error.ts";
import { ControlClient } from "./control_client.ts";
import {
  closeQuietly,
  ControlFailure,
  describe,
  formatError,
  LineSplitter,
  listJson,
  MAX_LINE_BYTES,
  parseRequest,
  writeLine,
} from "./_control_protocol.ts";

export {
  type ControlCode,
  ControlError,
  type ControlErrorCode,
  ControlFailure,
  type ControlReply,
  MAX_LINE_BYTES,
} from "./_control_protocol.ts";

/** What the server asks of the ingest instance. */
export interface ControlHandler {
  /** Opens (or reuses) the symbol's channel and returns its name; throws ControlFailure NOT_SUBSCRIBED. */
  subscribe(symbol: string): string | Promise<string>;
  /** Drops one subscription taken with subscribe(). */
  unsubscribe(symbol: string): void | Promise<void>;
  /** What LIST answers, as JSON on one line (bigints become strings). */
  list(): unknown;
}

/** Options for {@linkcode serveControl}. */
export interface ServeControlOptions {
  /** Where failures no client can be told about go (an unsubscribe after a disconnect). */
  logger?: Logger;
}

/** A listening control socket. */
export interface ControlServer {
  readonly path: string;
  /** Stops listening, closes every connection (releasing its subscriptions), unlinks the socket. */
  close(): Promise<void>;
}

/** Removes a socket file nobody listens on; refuses a live one (IpcError busy) or a non-socket. */
async function clearStaleSocket(path: string): Promise<void> {
  const os = (what: string, error: unknown) =>
    new IpcError("os", `Cannot ${what} control socket "${path}": ${describe(error)}`, {
      cause: error,
    });
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw os("inspect", error);
  }
  if (!info.isSocket) {
    throw new IpcError(
      "exists",
      `Cannot serve control socket "${path}": a file that is not a socket is there`,
    );
  }
  try {
    (await Deno.connect({ transport: "unix", path })).close();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    if (!(error instanceof Deno.errors.ConnectionRefused)) throw os("probe", error);
    // Nobody listens: the server that made it died without closing it
    await Deno.remove(path).catch((cause) => {
      if (!(cause instanceof Deno.errors.NotFound)) throw os("remove stale", cause);
    });
    return;
  }
  let answer = "it accepts connections";
  let client: ControlClient | undefined;
  try {
    client = await ControlClient.connect(path, { timeoutMs: 1000 });
    answer = `it answered PING with pid ${await client.ping()}`;
  } catch (error) {
    answer += ` (PING: ${describe(error)})`;
  } finally {
    client?.close();
  }
  throw new IpcError("busy", `Control socket "${path}" is in use: ${answer}`);
}

/** Listens on `path`, replacing a stale socket file; IpcError busy when another server answers there. */
export async function serveControl(
  path: string,
  handler: ControlHandler,
  options: ServeControlOptions = {},
): Promise<ControlServer> {
  await clearStaleSocket(path);
  try {
    return new Server(path, Deno.listen({ transport: "unix", path }), handler, options.logger);
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new IpcError(
        "busy",
        `Control socket "${path}" is in use: another server bound it just now`,
      );
    }
    throw new IpcError("os", `Cannot listen on control socket "${path}": ${describe(error)}`, {
      cause: error,
    });
  }
}

class Server implements ControlServer {
  readonly path: string;
  #listener: Deno.UnixListener;
  #handler: ControlHandler;
  #logger: Logger | undefined;
  #conns = new Set<Deno.Conn>();
  #tasks = new Set<Promise<void>>();
  #acceptLoop: Promise<void>;
  #closing: Promise<void> | undefined;

  constructor(path: string, listener: Deno.UnixListener, handler: ControlHandler, logger?: Logger) {
    this.path = path;
    this.#listener = listener;
    this.#handler = handler;
    this.#logger = logger;
    this.#acceptLoop = this.#accept();
  }

  async #accept(): Promise<void> {
    while (this.#closing === undefined) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch (error) {
        if (this.#closing === undefined) {
          this.#logger?.error("Control socket stopped accepting", { error });
        }
        return;
      }
      this.#conns.add(conn);
      const task = this.#serve(conn).finally(() => {
        this.#conns.delete(conn);
        this.#tasks.delete(task);
      });
      this.#tasks.add(task);
    }
  }

  async #serve(conn: Deno.Conn): Promise<void> {
    const held = new Map<string, string>(); // symbol -> channel, what this connection subscribed
    const splitter = new LineSplitter(MAX_LINE_BYTES);
    const buffer = new Uint8Array(4096);
    try {
      for (let count = await conn.read(buffer); count !== null; count = await conn.read(buffer)) {
        for (const event of splitter.push(buffer.subarray(0, count))) {
          if (event.kind === "too_long") {
            // The rest of the line cannot be told from a next request: answer once and hang up
            await writeLine(
              conn,
              formatError("BAD_REQUEST", `Line longer than ${MAX_LINE_BYTES} bytes`),
            );
            return;
          }
          const reply = event.kind === "not_utf8"
            ? formatError("BAD_REQUEST", "Line is not valid UTF-8")
            : await this.#answer(event.line, held);
          await writeLine(conn, reply);
        }
      }
    } catch {
      // The peer went away or close() closed the connection: either way it is done
    } finally {
      closeQuietly(conn);
      await this.#release(held);
    }
  }

  async #answer(line: string, held: Map<string, string>): Promise<string> {
    try {
      const request = parseRequest(line);
      switch (request.verb) {
        case "PING":
          return `PONG ${Deno.pid}`;
        case "LIST":
          return `OK ${listJson(await this.#handler.list())}`;
        case "SUBSCRIBE": {
          // Once per connection and symbol, so the handler sees balanced subscribe/unsubscribe calls
          let channel = held.get(request.symbol);
          if (channel === undefined) {
            channel = await this.#handler.subscribe(request.symbol);
            held.set(request.symbol, channel);
          }
          return `OK ${channel}`;
        }
        case "UNSUBSCRIBE":
          if (!held.delete(request.symbol)) {
            throw new ControlFailure(
              "NOT_OPEN",
              `"${request.symbol}" is not subscribed on this connection`,
            );
          }
          await this.#handler.unsubscribe(request.symbol);
          return "OK";
      }
    } catch (error) {
      if (error instanceof ControlFailure) return formatError(error.code, error.message);
      return formatError("INTERNAL", describe(error));
    }
  }

  async #release(held: Map<string, string>): Promise<void> {
    for (const symbol of held.keys()) {
      try {
        await this.#handler.unsubscribe(symbol);
      } catch (error) {
        this.#logger?.warn("Control unsubscribe after a disconnect failed", { symbol, error });
      }
    }
    held.clear();
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    // Deno unlinks the socket file when the listener closes
    this.#listener.close();
    await this.#acceptLoop;
    for (const conn of this.#conns) closeQuietly(conn);
    await Promise.all(this.#tasks);
  }
}

export { ControlClient, type ControlClientOptions } from "./control_client.ts";
