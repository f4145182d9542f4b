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
import { controlReply, type ControlState } from "./_fake_control.ts";
import { type FakeVenue, startFakeVenueServer } from "../_fake_venue_server.ts";

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

/** The fake's handle (the common fake-server API plus Binance helpers); `wsUrl` has no path. */
export interface FakeBinance extends FakeVenue {
  /** Paths with query of every accepted WebSocket connection, in order. */
  connectionPaths(): string[];
  /** Streams (`btcusdt@trade`) currently subscribed on any connection. */
  subscribed(): Set<string>;
  /** A raw event to the clients subscribed to `stream`, wrapped on combined connections. */
  publish(stream: string, data: string): void;
  /** Sends `serverShutdown` to every client; closes them after `closeAfterMs` when given. */
  shutdownNotice(options?: { eventTime?: number; closeAfterMs?: number }): void;
}

interface Connection extends ControlState {
  /** Receive times of the frames of the last second (performance clock). */
  inbound: number[];
}

/** Starts the fake on 127.0.0.1 at a free port. */
export function startFakeBinance(options: FakeBinanceOptions = {}): Promise<FakeBinance> {
  const symbols = options.symbols ?? FAKE_BINANCE_SYMBOLS;
  const listed = new Set(symbols.map((s) => s.symbol.toLowerCase()));
  const paths: string[] = [];

  const validStream = (stream: string) => {
    const [symbol = "", kind] = stream.split("@");
    return kind !== undefined && listed.has(symbol);
  };

  const { handle, live, send, closeSocket } = startFakeVenueServer<Connection>({
    idleTimeoutSec: options.pingIdleTimeoutSec ?? 20,
    accept(url) {
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
      return { streams: new Set(streams.filter(validStream)), combined, inbound: [] };
    },
    onOpen(connection, url) {
      paths.push(url.pathname + url.search);
      if (options.maxLifetimeMs !== undefined) {
        connection.timers.push(
          setTimeout(() => closeSocket(connection, 1000), options.maxLifetimeMs),
        );
      }
    },
    onText(connection, text) {
      const limit = options.maxMessagesPerSecond ?? 5;
      const now = performance.now();
      connection.inbound = connection.inbound.filter((t) => now - t < 1000);
      connection.inbound.push(now);
      if (limit > 0 && connection.inbound.length > limit) {
        return closeSocket(connection, 1008, "Too many requests");
      }
      send(connection, controlReply(text, connection, validStream));
    },
    rest: (url) => exchangeInfoReply(url, symbols),
    failureBody: `{"code":-1003,"msg":"Too many requests."}`,
  });

  const fake: FakeBinance = {
    ...handle,
    connectionPaths: () => [...paths],
    subscribed: () => new Set([...live].flatMap((c) => [...c.streams])),
    publish(stream, data) {
      for (const c of live) {
        if (c.streams.has(stream)) send(c, c.combined ? combinedFrame(stream, data) : data);
      }
    },
    shutdownNotice({ eventTime = Date.now(), closeAfterMs } = {}) {
      for (const c of live) {
        if (c.socket.readyState !== WebSocket.OPEN) continue;
        const raw = serverShutdownFrame(eventTime);
        c.socket.send(c.combined ? combinedFrame("!serverShutdown", raw) : raw);
        if (closeAfterMs !== undefined) {
          c.timers.push(setTimeout(() => closeSocket(c, 1001, "server shutdown"), closeAfterMs));
        }
      }
    },
  };
  return Promise.resolve(fake);
}

/** `GET /api/v3/exchangeInfo` with an optional `symbol` or `symbols` filter. */
function exchangeInfoReply(url: URL, symbols: readonly FakeBinanceSymbol[]): Response {
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
}
