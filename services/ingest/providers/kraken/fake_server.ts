/**
 * A local fake of Kraken Spot for tests (VENUES.md section 2): WS v2 at `/v2` (status on connect;
 * subscribe/unsubscribe answered with one ack per symbol, `success:false` with "Currency pair not
 * supported <SYMBOL>" for unlisted pairs; book snapshots from a FakeBook; ticker and, when asked,
 * trade snapshots; ping -> pong; optional heartbeats) and REST `GET /0/public/AssetPairs`.
 * @module
 */
import { FakeBook, type FakeTrade, krakenTime, tickerFrame, tradeFrame } from "./fake_frames.ts";

export * from "./fake_frames.ts";

/** Options of {@linkcode startFakeKraken}. */
export interface FakeKrakenOptions {
  /** v2 pair names listed besides BTC/USD, ETH/USD, SOL/USD, DOGE/USD. */
  symbols?: readonly string[];
  /** Heartbeat interval to subscribed clients, ms (default 0: none). */
  heartbeatMs?: number;
  /** Trades sent as the snapshot when a client subscribes `trade` with `snapshot: true`. */
  tradeHistory?: Record<string, FakeTrade[]>;
  /** Replace the AssetPairs reply body. */
  assetPairsBody?: string;
}

/** The fake Kraken (common fake-server API plus Kraken helpers). */
export interface FakeKraken {
  /** `ws://127.0.0.1:PORT/v2`. */
  readonly wsUrl: string;
  /** `http://127.0.0.1:PORT`. */
  readonly restUrl: string;
  /** Every text frame clients sent, in order. */
  readonly received: string[];
  /** Currently open client sockets. */
  connections(): number;
  /** Client sockets accepted so far. */
  connectionsOpened(): number;
  /** v2 symbols subscribed on any channel by any open client. */
  subscribed(): Set<string>;
  /** v2 symbols subscribed on one channel (`trade`, `ticker`, `book`). */
  subscriptions(channel: string): Set<string>;
  /** Sends raw text to every open client. */
  broadcast(text: string): void;
  /** Closes every client socket at once (a mid-stream disconnect). */
  dropAll(): void;
  /** Polls `predicate` every 5 ms; rejects after `timeoutMs` (default 5000). */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** The venue's book for a v2 symbol (created from T5's levels on first use). */
  book(symbol: string): FakeBook;
  /** The next this many REST requests answer HTTP 503. */
  restFailures: number;
  /** Stops the server and closes every client. */
  close(): Promise<void>;
}

/** The pairs the fake lists by default (v2 names). */
export const FAKE_SYMBOLS = ["BTC/USD", "ETH/USD", "SOL/USD", "DOGE/USD"] as const;

/** Starts the fake on a free port of 127.0.0.1. */
export function startFakeKraken(options: FakeKrakenOptions = {}): Promise<FakeKraken> {
  const listed = new Set<string>([...FAKE_SYMBOLS, ...options.symbols ?? []]);
  const subs = new Map<WebSocket, Map<string, Set<string>>>();
  const timers = new Map<WebSocket, ReturnType<typeof setInterval>>();
  const books = new Map<string, FakeBook>();
  const received: string[] = [];
  let opened = 0;

  const book = (symbol: string) => {
    let found = books.get(symbol);
    if (found === undefined) books.set(symbol, found = new FakeBook(symbol));
    return found;
  };
  const forget = (socket: WebSocket) => {
    subs.delete(socket);
    clearInterval(timers.get(socket));
    timers.delete(socket);
  };
  const send = (socket: WebSocket, text: string) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(text);
  };

  const onRequest = (socket: WebSocket, text: string) => {
    received.push(text);
    const timeIn = krakenTime();
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(text);
    } catch {
      return send(socket, ack({ method: "", error: "Malformed request", timeIn }));
    }
    const method = String(request.method ?? "");
    const reqId = typeof request.req_id === "number" ? request.req_id : undefined;
    if (method === "ping") {
      return send(socket, ack({ method: "pong", reqId, timeIn, pong: true }));
    }
    if (method !== "subscribe" && method !== "unsubscribe") {
      return send(socket, ack({ method, reqId, error: "Method not found", timeIn }));
    }
    const params = (request.params ?? {}) as Record<string, unknown>;
    const channel = String(params.channel ?? "");
    const symbols = params.symbol;
    if (!["trade", "ticker", "book"].includes(channel) || !Array.isArray(symbols)) {
      return send(socket, ack({ method, reqId, error: "Channel or symbol invalid", timeIn }));
    }
    const mine = subs.get(socket) ?? new Map<string, Set<string>>();
    subs.set(socket, mine);
    const set = mine.get(channel) ?? new Set<string>();
    mine.set(channel, set);
    const snapshot = typeof params.snapshot === "boolean" ? params.snapshot : channel !== "trade";
    for (const symbol of symbols.map(String)) {
      const base = { method, reqId, timeIn, symbol };
      if (method === "unsubscribe") {
        if (!set.delete(symbol)) {
          send(socket, ack({ ...base, error: "Subscription Not Found" }));
        } else send(socket, ack({ ...base, result: { channel, symbol } }));
        continue;
      }
      if (!listed.has(symbol)) {
        send(socket, ack({ ...base, error: `Currency pair not supported ${symbol}` }));
        continue;
      }
      if (set.has(symbol)) {
        send(socket, ack({ ...base, error: "Already subscribed" }));
        continue;
      }
      set.add(symbol);
      const result: Record<string, unknown> = { channel };
      if (channel === "book") result.depth = Number(params.depth ?? 10);
      if (channel === "ticker") result.event_trigger = String(params.event_trigger ?? "trades");
      Object.assign(result, { snapshot, symbol });
      send(socket, ack({ ...base, result }));
      if (!snapshot) continue;
      if (channel === "book") send(socket, book(symbol).snapshotFrame());
      if (channel === "trade") {
        send(socket, tradeFrame("snapshot", options.tradeHistory?.[symbol] ?? []));
      }
      if (channel === "ticker") {
        const { bids, asks } = book(symbol).levels();
        const [bid = ["1.0", "1.0"], ask = ["2.0", "1.0"]] = [bids[0], asks[0]];
        send(
          socket,
          tickerFrame("snapshot", [{
            symbol,
            bid: bid[0],
            bidQty: bid[1],
            ask: ask[0],
            askQty: ask[1],
          }]),
        );
      }
    }
  };

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const url = new URL(req.url);
    if (url.pathname === "/v2" && req.headers.get("upgrade")?.toLowerCase() === "websocket") {
      const { socket, response } = Deno.upgradeWebSocket(req);
      socket.onopen = () => {
        opened++;
        subs.set(socket, new Map());
        socket.send(STATUS_FRAME);
        if ((options.heartbeatMs ?? 0) > 0) {
          timers.set(
            socket,
            setInterval(() => {
              const any = [...subs.get(socket)?.values() ?? []].some((set) => set.size > 0);
              if (any) send(socket, `{"channel":"heartbeat"}`);
            }, options.heartbeatMs),
          );
        }
      };
      socket.onmessage = (event) => {
        if (subs.has(socket)) onRequest(socket, String(event.data));
      };
      socket.onclose = () => forget(socket);
      socket.onerror = () => forget(socket);
      return response;
    }
    return restReply(url, fake, options);
  });

  const fake: FakeKraken = {
    wsUrl: `ws://127.0.0.1:${server.addr.port}/v2`,
    restUrl: `http://127.0.0.1:${server.addr.port}`,
    received,
    restFailures: 0,
    connections: () => subs.size,
    connectionsOpened: () => opened,
    subscribed: () => {
      const all = new Set<string>();
      for (const channels of subs.values()) {
        for (const set of channels.values()) for (const symbol of set) all.add(symbol);
      }
      return all;
    },
    subscriptions: (channel) => {
      const all = new Set<string>();
      for (const channels of subs.values()) for (const s of channels.get(channel) ?? []) all.add(s);
      return all;
    },
    broadcast: (text) => {
      for (const socket of subs.keys()) send(socket, text);
    },
    dropAll: () => {
      for (const socket of [...subs.keys()]) {
        forget(socket);
        if (socket.readyState <= WebSocket.OPEN) socket.close(1001, "going away");
      }
    },
    waitFor: async (predicate, timeoutMs = 5000) => {
      const start = Date.now();
      while (!predicate()) {
        if (Date.now() - start > timeoutMs) {
          throw new Error(`Fake Kraken: condition not met within ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    book,
    close: async () => {
      fake.dropAll();
      await server.shutdown();
    },
  };
  return Promise.resolve(fake);
}

const STATUS_FRAME = `{"channel":"status","data":[{"api_version":"v2",` +
  `"connection_id":13834774380200032777,"system":"online","version":"2.0.0"}],"type":"update"}`;

interface AckFields {
  method: string;
  timeIn: string;
  reqId?: number;
  symbol?: string;
  result?: Record<string, unknown>;
  error?: string;
  pong?: boolean;
}

/** A documented-shape ack: result+success or error+success:false (symbol named), times, req_id. */
function ack(f: AckFields): string {
  const body: Record<string, unknown> = { method: f.method };
  if (f.pong) body.req_id = f.reqId;
  else if (f.error === undefined) Object.assign(body, { result: f.result, success: true });
  else Object.assign(body, { error: f.error, success: false, symbol: f.symbol });
  if (!f.pong && f.reqId !== undefined) body.req_id = f.reqId;
  Object.assign(body, { time_in: f.timeIn, time_out: krakenTime() });
  return JSON.stringify(body);
}

function restReply(url: URL, fake: FakeKraken, options: FakeKrakenOptions): Response {
  const json = (status: number, body: string) =>
    new Response(body, { status, headers: { "content-type": "application/json" } });
  if (url.pathname !== "/0/public/AssetPairs") {
    return json(404, `{"error":["EGeneral:Unknown method"]}`);
  }
  if (fake.restFailures > 0) {
    fake.restFailures--;
    return json(503, `{"error":["EService:Unavailable"]}`);
  }
  if (options.assetPairsBody !== undefined) return json(200, options.assetPairsBody);
  const wanted = url.searchParams.get("pair")?.split(",");
  const result: Record<string, unknown> = {};
  for (const [key, pair] of Object.entries(ASSET_PAIRS)) {
    if (wanted === undefined || wanted.includes(key) || wanted.includes(pair.altname)) {
      result[key] = pair;
    }
  }
  if (Object.keys(result).length === 0) return json(200, `{"error":["EQuery:Unknown asset pair"]}`);
  return json(200, JSON.stringify({ error: [], result }));
}

/** AssetPairs entries in the documented shape (XXBTZUSD as documented, the others alike). */
export const ASSET_PAIRS = {
  XXBTZUSD: pair("XBTUSD", "XBT/USD", "XXBT", "ZUSD", 1, 8, "0.0001", "0.1"),
  XETHZUSD: pair("ETHUSD", "ETH/USD", "XETH", "ZUSD", 2, 8, "0.002", "0.01"),
  SOLUSD: pair("SOLUSD", "SOL/USD", "SOL", "ZUSD", 2, 8, "0.02", "0.01"),
  XDGUSD: pair("XDGUSD", "XDG/USD", "XXDG", "ZUSD", 7, 8, "13", "0.0000001"),
};

function pair(
  altname: string,
  wsname: string,
  base: string,
  quote: string,
  pairDecimals: number,
  lotDecimals: number,
  ordermin: string,
  tickSize: string,
) {
  return {
    altname,
    wsname,
    aclass_base: "currency",
    base,
    aclass_quote: "currency",
    quote,
    lot: "unit",
    cost_decimals: 5,
    pair_decimals: pairDecimals,
    lot_decimals: lotDecimals,
    lot_multiplier: 1,
    leverage_buy: [2, 3, 4, 5],
    leverage_sell: [2, 3, 4, 5],
    fees: [[0, 0.26], [50000, 0.24]],
    fees_maker: [[0, 0.16], [50000, 0.14]],
    fee_volume_currency: "ZUSD",
    margin_call: 80,
    margin_stop: 40,
    ordermin,
    costmin: "0.5",
    tick_size: tickSize,
    status: "online",
    long_position_limit: 250,
    short_position_limit: 200,
  };
}
