/**
 * A local fake of Kraken Futures (VENUES.md 3): `/ws/v1` with the `info` greeting, subscribe and
 * unsubscribe acks (one per product id), `{"event":"error",...}` replies (`Json Error`, `Invalid
 * feed`, `Invalid product id`), a trade snapshot (newest first) of the recent published trades on
 * each trade subscribe, optional heartbeats, and `GET /derivatives/api/v3/instruments`.
 * @module
 */
import {
  FAKE_KRAKEN_FUTURES_INSTRUMENTS,
  type FakeInstrument,
  heartbeatFrame,
  INFO_FRAME,
  instrumentsBody,
  tradeSnapshotFrame,
} from "./fake_frames.ts";

/** How the fake refuses an unknown product id. */
export type UnknownProductReply = "error" | "subscribed_failed" | "alert";

/** Options of {@linkcode startFakeKrakenFutures}. */
export interface FakeKrakenFuturesOptions {
  /** Listed instruments (default: PI/PF XBT and ETH, a non-tradeable PI_LTCUSD, a future). */
  instruments?: readonly FakeInstrument[];
  /** Reply to a subscribe naming an unlisted product (default `error`: "Invalid product id"). */
  unknownProductReply?: UnknownProductReply;
  /** Send heartbeats this often to heartbeat subscribers (default: none). */
  heartbeatMs?: number;
  /** Trades kept per product for the snapshot (default 10; 0: no snapshot). */
  snapshotSize?: number;
}

/** The fake's handle (the common fake-server API plus Kraken Futures helpers). */
export interface FakeKrakenFutures {
  /** `ws://127.0.0.1:PORT/ws/v1`. */
  readonly wsUrl: string;
  /** `http://127.0.0.1:PORT`. */
  readonly restUrl: string;
  /** Every text frame clients sent, in order. */
  readonly received: string[];
  /** Every REST path the fake served, in order. */
  readonly restRequests: string[];
  connections(): number;
  connectionsOpened(): number;
  /** Product ids subscribed on any feed by any client. */
  subscribed(): Set<string>;
  /** `feed:product` pairs subscribed by any client (`trade:PI_XBTUSD`). */
  subscriptions(): Set<string>;
  broadcast(text: string): void;
  /** Sends `text` to clients subscribed to `feed` for `productId`; trades join the snapshot. */
  publish(feed: "trade" | "ticker", productId: string, text: string): void;
  /** Answers the next `times` REST requests with `status` and `body`. */
  failRest(status: number, options?: { retryAfter?: string; times?: number; body?: string }): void;
  dropAll(): void;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

interface Connection {
  socket: WebSocket;
  subscriptions: Set<string>;
  heartbeat: boolean;
}

const FEEDS = new Set(["trade", "ticker", "ticker_lite", "book", "heartbeat"]);

/** Starts the fake on 127.0.0.1 at a free port. */
export function startFakeKrakenFutures(
  options: FakeKrakenFuturesOptions = {},
): Promise<FakeKrakenFutures> {
  const instruments = options.instruments ?? FAKE_KRAKEN_FUTURES_INSTRUMENTS;
  const listed = new Set(instruments.map((i) => i.symbol));
  const live = new Set<Connection>();
  const received: string[] = [];
  const restRequests: string[] = [];
  const history = new Map<string, string[]>();
  const failures: { status: number; retryAfter?: string; body?: string; times: number }[] = [];
  const closing = new Set<Promise<void>>();
  let opened = 0;

  const send = (c: Connection, text: string) => {
    if (c.socket.readyState === WebSocket.OPEN) c.socket.send(text);
  };

  const onRequest = (c: Connection, text: string) => {
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(text);
      if (typeof request !== "object" || request === null) throw new SyntaxError("not an object");
    } catch {
      return send(c, `{"event":"error","message":"Json Error"}`);
    }
    const { event, feed } = request;
    if (event !== "subscribe" && event !== "unsubscribe") {
      return send(c, `{"event":"error","message":"Json Error"}`);
    }
    if (typeof feed !== "string" || !FEEDS.has(feed)) {
      return send(c, `{"event":"error","message":"Invalid feed"}`);
    }
    const done = event === "subscribe" ? "subscribed" : "unsubscribed";
    if (feed === "heartbeat") {
      c.heartbeat = event === "subscribe";
      return send(c, `{"event":"${done}","feed":"heartbeat"}`);
    }
    const ids = Array.isArray(request.product_ids) ? request.product_ids : [];
    for (const id of ids) {
      if (typeof id !== "string" || !listed.has(id)) {
        const reply = options.unknownProductReply ?? "error";
        if (reply === "subscribed_failed") {
          send(
            c,
            `{"event":"${done}_failed","feed":"${feed}","product_ids":[${JSON.stringify(id)}]}`,
          );
        } else send(c, `{"event":"${reply}","message":"Invalid product id"}`);
        continue;
      }
      if (event === "subscribe") c.subscriptions.add(`${feed}:${id}`);
      else c.subscriptions.delete(`${feed}:${id}`);
      send(c, `{"event":"${done}","feed":"${feed}","product_ids":["${id}"]}`);
      const recent = history.get(id) ?? [];
      if (event === "subscribe" && feed === "trade" && recent.length > 0) {
        send(c, tradeSnapshotFrame(id, [...recent].reverse()));
      }
    }
  };

  const acceptSocket = (request: Request): Response => {
    const { socket, response } = Deno.upgradeWebSocket(request);
    const c: Connection = { socket, subscriptions: new Set(), heartbeat: false };
    const done = Promise.withResolvers<void>();
    closing.add(done.promise);
    let timer: ReturnType<typeof setInterval> | undefined;
    socket.onopen = () => {
      opened++;
      live.add(c);
      send(c, INFO_FRAME);
      if (options.heartbeatMs !== undefined) {
        timer = setInterval(
          () => c.heartbeat && send(c, heartbeatFrame(Date.now())),
          options.heartbeatMs,
        );
      }
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== "string") return;
      received.push(event.data);
      onRequest(c, event.data);
    };
    socket.onclose = () => {
      live.delete(c);
      clearInterval(timer);
      done.resolve();
      closing.delete(done.promise);
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
      const body = failure.body ?? `{"result":"error","error":"apiLimitExceeded"}`;
      return new Response(body, { status: failure.status, headers });
    }
    if (url.pathname !== "/derivatives/api/v3/instruments") {
      return new Response("", { status: 404 });
    }
    return new Response(instrumentsBody(instruments, new Date().toISOString()), {
      headers: { "content-type": "application/json" },
    });
  };

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const url = new URL(request.url);
    if (request.headers.get("upgrade")?.toLowerCase() === "websocket") {
      return url.pathname === "/ws/v1" ? acceptSocket(request) : new Response("", { status: 404 });
    }
    return serveRest(url);
  });

  const fake: FakeKrakenFutures = {
    wsUrl: `ws://127.0.0.1:${server.addr.port}/ws/v1`,
    restUrl: `http://127.0.0.1:${server.addr.port}`,
    received,
    restRequests,
    connections: () => live.size,
    connectionsOpened: () => opened,
    subscribed: () =>
      new Set([...live].flatMap((c) => [...c.subscriptions].map((s) => s.split(":")[1]!))),
    subscriptions: () => new Set([...live].flatMap((c) => [...c.subscriptions])),
    broadcast(text) {
      for (const c of live) send(c, text);
    },
    publish(feed, productId, text) {
      if (feed === "trade" && (options.snapshotSize ?? 10) > 0) {
        const recent = [...history.get(productId) ?? [], text];
        history.set(productId, recent.slice(-(options.snapshotSize ?? 10)));
      }
      for (const c of live) if (c.subscriptions.has(`${feed}:${productId}`)) send(c, text);
    },
    failRest(status, { retryAfter, times = 1, body } = {}) {
      failures.push({ status, retryAfter, times, body });
    },
    dropAll() {
      for (const c of live) {
        if (c.socket.readyState === WebSocket.OPEN) c.socket.close(1011, "dropped");
      }
    },
    async waitFor(predicate, timeoutMs = 5000) {
      const start = Date.now();
      while (!predicate()) {
        if (Date.now() - start > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async close() {
      for (const c of live) {
        if (c.socket.readyState === WebSocket.OPEN) c.socket.close(1001, "closing");
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = new Promise<void>((resolve) => timer = setTimeout(resolve, 2000));
      await Promise.race([Promise.all([...closing]), limit]);
      clearTimeout(timer);
      await server.shutdown();
    },
    [Symbol.asyncDispose]() {
      return fake.close();
    },
  };
  return Promise.resolve(fake);
}
