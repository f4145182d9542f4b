/**
 * A local fake of Binance Spot (VENUES.md 1.7): raw `/ws[/<stream>...]` and combined
 * `/stream?streams=a/b` connections, the five control methods with their documented replies and
 * error replies, WebSocket pings (Deno's `idleTimeout`), the 5 messages/s limit, a configurable
 * connection lifetime, `serverShutdown` notices, and `GET /api/v3/exchangeInfo`.
 * @module
 */
import {
  combinedFrame,
  exchangeInfoBody,
  FAKE_BINANCE_SYMBOLS,
  type FakeBinanceSymbol,
  serverShutdownFrame,
} from "./fake_frames.ts";
import { controlReply } from "./_fake_control.ts";

/** Options of {@linkcode startFakeBinance}. */
export interface FakeBinanceOptions {
  /** Listed symbols (default BTCUSDT, ETHUSDT, SOLUSDT, ETHBTC). */
  symbols?: readonly FakeBinanceSymbol[];
  /** Seconds of silence before the server pings, then closes if no pong (default 20). */
  pingIdleTimeoutSec?: number;
  /** Close each connection this long after it opened (Binance: 24 h; default never). */
  maxLifetimeMs?: number;
  /** Inbound text frames per second before the connection is closed (default 5; 0: no limit). */
  maxMessagesPerSecond?: number;
}

/** The fake's handle (the common fake-server API plus Binance helpers). */
export interface FakeBinance {
  /** `ws://127.0.0.1:PORT` (as `ws_url` would be). */
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
  /** Paths with query of every accepted WebSocket connection, in order. */
  connectionPaths(): string[];
  /** Streams (`btcusdt@trade`) currently subscribed on any connection. */
  subscribed(): Set<string>;
  /** Raw text to every open client. */
  broadcast(text: string): void;
  /** A raw event to the clients subscribed to `stream`, wrapped on combined connections. */
  publish(stream: string, data: string): void;
  /** Sends `serverShutdown` to every client; closes them after `closeAfterMs` when given. */
  shutdownNotice(options?: { eventTime?: number; closeAfterMs?: number }): void;
  /** Answers the next `times` REST requests with `status` (and `Retry-After` when given). */
  failRest(status: number, options?: { retryAfter?: string; times?: number; body?: string }): void;
  /** Closes every client socket at once (a disconnect mid-stream). */
  dropAll(): void;
  /** Polls `predicate` every 5 ms; rejects after `timeoutMs` (default 5000). */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

interface Connection {
  socket: WebSocket;
  streams: Set<string>;
  combined: boolean;
  inbound: number[];
  timers: ReturnType<typeof setTimeout>[];
}

interface RestFailure {
  status: number;
  retryAfter?: string;
  body?: string;
  times: number;
}

/** Starts the fake on 127.0.0.1 at a free port. */
export function startFakeBinance(options: FakeBinanceOptions = {}): Promise<FakeBinance> {
  const symbols = options.symbols ?? FAKE_BINANCE_SYMBOLS;
  const listed = new Set(symbols.map((s) => s.symbol.toLowerCase()));
  const live = new Set<Connection>();
  const paths: string[] = [];
  const received: string[] = [];
  const restRequests: string[] = [];
  const failures: RestFailure[] = [];
  const closed = new Set<Promise<void>>();
  let opened = 0;

  const validStream = (stream: string) => {
    const [symbol = "", kind] = stream.split("@");
    return kind !== undefined && listed.has(symbol);
  };

  const acceptSocket = (request: Request, url: URL): Response => {
    let combined: boolean;
    let streams: string[];
    if (url.pathname === "/stream") {
      combined = true;
      streams = (url.searchParams.get("streams") ?? "").split("/").filter((s) => s !== "");
    } else if (url.pathname === "/ws" || url.pathname.startsWith("/ws/")) {
      combined = false;
      streams = url.pathname.slice(4).split("/").filter((s) => s !== "");
    } else {
      return new Response("Not found", { status: 404 });
    }
    const { socket, response } = Deno.upgradeWebSocket(request, {
      idleTimeout: options.pingIdleTimeoutSec ?? 20,
    });
    const connection: Connection = {
      socket,
      streams: new Set(streams.filter(validStream)),
      combined,
      inbound: [],
      timers: [],
    };
    const done = Promise.withResolvers<void>();
    closed.add(done.promise);
    socket.onopen = () => {
      opened++;
      paths.push(url.pathname + url.search);
      live.add(connection);
      if (options.maxLifetimeMs !== undefined) {
        connection.timers.push(setTimeout(() => close(connection, 1000), options.maxLifetimeMs));
      }
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== "string") return;
      received.push(event.data);
      const limit = options.maxMessagesPerSecond ?? 5;
      const now = performance.now();
      connection.inbound = connection.inbound.filter((t) => now - t < 1000);
      connection.inbound.push(now);
      if (limit > 0 && connection.inbound.length > limit) {
        return close(connection, 1008, "Too many requests");
      }
      const reply = controlReply(event.data, connection, validStream);
      if (socket.readyState === WebSocket.OPEN) socket.send(reply);
    };
    socket.onclose = () => {
      live.delete(connection);
      for (const timer of connection.timers) clearTimeout(timer);
      done.resolve();
      closed.delete(done.promise);
    };
    socket.onerror = () => {};
    return response;
  };

  const serveRest = (url: URL): Response => {
    restRequests.push(url.pathname + url.search);
    const failure = failures[0];
    if (failure !== undefined) {
      if (--failure.times <= 0) failures.shift();
      const headers = new Headers({ "content-type": "application/json" });
      if (failure.retryAfter !== undefined) headers.set("Retry-After", failure.retryAfter);
      const body = failure.body ?? `{"code":-1003,"msg":"Too many requests."}`;
      return new Response(body, { status: failure.status, headers });
    }
    if (url.pathname !== "/api/v3/exchangeInfo") return new Response("", { status: 404 });
    let wanted = symbols;
    const one = url.searchParams.get("symbol");
    const many = url.searchParams.get("symbols");
    try {
      const names: string[] | undefined = one !== null
        ? [one]
        : many !== null
        ? JSON.parse(many)
        : undefined;
      if (names !== undefined) {
        wanted = names.map((name) => {
          const found = symbols.find((s) => s.symbol === name);
          if (found === undefined) throw new RangeError(name);
          return found;
        });
      }
    } catch {
      return new Response(`{"code":-1121,"msg":"Invalid symbol."}`, {
        status: 400,
        headers: { "content-type": "application/json" },
      });
    }
    return new Response(exchangeInfoBody(wanted, Date.now()), {
      headers: { "content-type": "application/json" },
    });
  };

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const url = new URL(request.url);
    if (request.headers.get("upgrade")?.toLowerCase() === "websocket") {
      return acceptSocket(request, url);
    }
    return serveRest(url);
  });

  function close(connection: Connection, code: number, reason = ""): void {
    const socket = connection.socket;
    if (socket.readyState === WebSocket.OPEN) socket.close(code, reason);
  }

  const fake: FakeBinance = {
    wsUrl: `ws://127.0.0.1:${server.addr.port}`,
    restUrl: `http://127.0.0.1:${server.addr.port}`,
    received,
    restRequests,
    connections: () => live.size,
    connectionsOpened: () => opened,
    connectionPaths: () => [...paths],
    subscribed: () => new Set([...live].flatMap((c) => [...c.streams])),
    broadcast(text) {
      for (const c of live) if (c.socket.readyState === WebSocket.OPEN) c.socket.send(text);
    },
    publish(stream, data) {
      for (const c of live) {
        if (!c.streams.has(stream) || c.socket.readyState !== WebSocket.OPEN) continue;
        c.socket.send(c.combined ? combinedFrame(stream, data) : data);
      }
    },
    shutdownNotice({ eventTime = Date.now(), closeAfterMs } = {}) {
      for (const c of live) {
        if (c.socket.readyState !== WebSocket.OPEN) continue;
        const raw = serverShutdownFrame(eventTime);
        c.socket.send(c.combined ? combinedFrame("!serverShutdown", raw) : raw);
        if (closeAfterMs !== undefined) {
          c.timers.push(setTimeout(() => close(c, 1001, "server shutdown"), closeAfterMs));
        }
      }
    },
    failRest(status, { retryAfter, times = 1, body } = {}) {
      failures.push({ status, retryAfter, times, body });
    },
    dropAll() {
      for (const c of live) close(c, 1011, "dropped");
    },
    async waitFor(predicate, timeoutMs = 5000) {
      const start = Date.now();
      while (!predicate()) {
        if (Date.now() - start > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async close() {
      for (const c of live) close(c, 1001, "closing");
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = new Promise<void>((resolve) => timer = setTimeout(resolve, 2000));
      await Promise.race([Promise.all([...closed]), limit]);
      clearTimeout(timer);
      await server.shutdown();
    },
    [Symbol.asyncDispose]() {
      return fake.close();
    },
  };
  return Promise.resolve(fake);
}
