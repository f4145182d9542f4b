/**
 * The HTTP and WebSocket plumbing of the fake venue servers tests run against: one `Deno.serve`
 * on a free port of 127.0.0.1, WebSocket upgrades handed to the venue's handlers, every client
 * frame and REST request recorded, REST failures on request, and the handle every fake offers
 * (counters, broadcast, drop, waitFor, a close that waits for the sockets). The venue's fake adds
 * its wire format: what it accepts, answers and publishes.
 * @module
 */

/** One client socket of a fake, with the timers to clear when it closes. */
export interface FakeConnection {
  readonly socket: WebSocket;
  /** Timeouts and intervals of this connection, cleared when it closes. */
  readonly timers: ReturnType<typeof setTimeout>[];
}

/** Options of {@linkcode FakeVenue.failRest}. */
export interface FailRestOptions {
  /** The `Retry-After` header to send. */
  retryAfter?: string;
  /** How many requests fail (default 1). */
  times?: number;
  /** The body (default: the venue's rate-limit error). */
  body?: string;
}

/** The common fake-server API. */
export interface FakeVenue {
  /** The WebSocket URL (as `ws_url` would be). */
  readonly wsUrl: string;
  /** `http://127.0.0.1:PORT` (as `rest_url` would be). */
  readonly restUrl: string;
  /** Every text frame clients sent, in order. */
  readonly received: string[];
  /** Every REST path with query the fake served, in order. */
  readonly restRequests: string[];
  /** Currently open client sockets. */
  connections(): number;
  /** Connections accepted in all. */
  connectionsOpened(): number;
  /** Raw text to every open client. */
  broadcast(text: string): void;
  /** Answers the next `times` REST requests with `status` (and `Retry-After` when given). */
  failRest(status: number, options?: FailRestOptions): void;
  /** Closes every client socket at once (a disconnect mid-stream). */
  dropAll(): void;
  /** Polls `predicate` every 5 ms; rejects after `timeoutMs` (default 5000). */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** Closes every client (waiting up to 2 s for them) and stops the server. */
  close(): Promise<void>;
  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** How one venue's fake accepts sockets (with per-connection state `S`), answers and serves REST. */
export interface FakeVenueHandlers<S extends object> {
  /** Appended to `ws://127.0.0.1:PORT` to make `wsUrl` (`/ws/v1`; default none). */
  wsPath?: string;
  /** Seconds of silence before the server pings, then closes without a pong (Deno's default). */
  idleTimeoutSec?: number;
  /** The state of a new connection to `url`, or the Response refusing it. */
  accept(url: URL): S | Response;
  /** After the socket opened. */
  onOpen?(connection: S & FakeConnection, url: URL): void;
  /** A text frame from the client (already recorded in `received`). */
  onText(connection: S & FakeConnection, text: string): void;
  /** The REST answer when no failure is queued. */
  rest(url: URL): Response;
  /** The body of a queued failure that names none. */
  failureBody: string;
}

/** A running fake: the common handle, its open connections and guarded send and close. */
export interface FakeVenueServer<S extends object> {
  readonly handle: FakeVenue;
  /** The open connections. */
  readonly live: ReadonlySet<S & FakeConnection>;
  /** Sends `text` when the socket is open. */
  send(connection: FakeConnection, text: string): void;
  /** Closes the socket when it is open. */
  closeSocket(connection: FakeConnection, code: number, reason?: string): void;
}

interface RestFailure {
  status: number;
  retryAfter?: string;
  body?: string;
  times: number;
}

/** Starts serving on 127.0.0.1 at a free port. */
export function startFakeVenueServer<S extends object>(
  handlers: FakeVenueHandlers<S>,
): FakeVenueServer<S> {
  const live = new Set<S & FakeConnection>();
  const received: string[] = [];
  const restRequests: string[] = [];
  const failures: RestFailure[] = [];
  const closing = new Set<Promise<void>>();
  let opened = 0;

  const send = (c: FakeConnection, text: string) => {
    if (c.socket.readyState === WebSocket.OPEN) c.socket.send(text);
  };
  const closeSocket = (c: FakeConnection, code: number, reason = "") => {
    if (c.socket.readyState === WebSocket.OPEN) c.socket.close(code, reason);
  };

  const acceptSocket = (request: Request, url: URL): Response => {
    const state = handlers.accept(url);
    if (state instanceof Response) return state;
    const { idleTimeoutSec } = handlers;
    const { socket, response } = Deno.upgradeWebSocket(
      request,
      idleTimeoutSec === undefined ? undefined : { idleTimeout: idleTimeoutSec },
    );
    const timers: ReturnType<typeof setTimeout>[] = [];
    const c = { ...state, socket, timers };
    const done = Promise.withResolvers<void>();
    closing.add(done.promise);
    socket.onopen = () => {
      opened++;
      live.add(c);
      handlers.onOpen?.(c, url);
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== "string") return;
      received.push(event.data);
      handlers.onText(c, event.data);
    };
    socket.onclose = () => {
      live.delete(c);
      // clearTimeout clears intervals too.
      for (const timer of c.timers) clearTimeout(timer);
      done.resolve();
      closing.delete(done.promise);
    };
    socket.onerror = () => {};
    return response;
  };

  const serveRest = (url: URL): Response => {
    restRequests.push(url.pathname + url.search);
    const failure = failures[0];
    if (failure === undefined) return handlers.rest(url);
    if (--failure.times <= 0) failures.shift();
    const headers = new Headers({ "content-type": "application/json" });
    if (failure.retryAfter !== undefined) headers.set("Retry-After", failure.retryAfter);
    return new Response(failure.body ?? handlers.failureBody, { status: failure.status, headers });
  };

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const url = new URL(request.url);
    if (request.headers.get("upgrade")?.toLowerCase() === "websocket") {
      return acceptSocket(request, url);
    }
    return serveRest(url);
  });

  const handle: FakeVenue = {
    wsUrl: `ws://127.0.0.1:${server.addr.port}${handlers.wsPath ?? ""}`,
    restUrl: `http://127.0.0.1:${server.addr.port}`,
    received,
    restRequests,
    connections: () => live.size,
    connectionsOpened: () => opened,
    broadcast(text) {
      for (const c of live) send(c, text);
    },
    failRest(status, { retryAfter, times = 1, body } = {}) {
      failures.push({ status, retryAfter, times, body });
    },
    dropAll() {
      for (const c of live) closeSocket(c, 1011, "dropped");
    },
    async waitFor(predicate, timeoutMs = 5000) {
      const start = Date.now();
      while (!predicate()) {
        if (Date.now() - start > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async close() {
      for (const c of live) closeSocket(c, 1001, "closing");
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = new Promise<void>((resolve) => timer = setTimeout(resolve, 2000));
      await Promise.race([Promise.all([...closing]), limit]);
      clearTimeout(timer);
      await server.shutdown();
    },
    [Symbol.asyncDispose]() {
      return handle.close();
    },
  };
  return { handle, live, send, closeSocket };
}
