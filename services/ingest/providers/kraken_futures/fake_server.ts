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
import {
  type FakeConnection,
  type FakeVenue,
  startFakeVenueServer,
} from "../_fake_venue_server.ts";

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
export interface FakeKrakenFutures extends FakeVenue {
  /** Product ids subscribed on any feed by any client. */
  subscribed(): Set<string>;
  /** `feed:product` pairs subscribed by any client (`trade:PI_XBTUSD`). */
  subscriptions(): Set<string>;
  /** Sends `text` to clients subscribed to `feed` for `productId`; trades join the snapshot. */
  publish(feed: "trade" | "ticker", productId: string, text: string): void;
}

interface Connection {
  subscriptions: Set<string>;
  heartbeat: boolean;
}

const FEEDS = new Set(["trade", "ticker", "ticker_lite", "book", "heartbeat"]);

/** Starts the fake on 127.0.0.1 at a free port; `wsUrl` ends in `/ws/v1`. */
export function startFakeKrakenFutures(
  options: FakeKrakenFuturesOptions = {},
): Promise<FakeKrakenFutures> {
  const instruments = options.instruments ?? FAKE_KRAKEN_FUTURES_INSTRUMENTS;
  const listed = new Set(instruments.map((i) => i.symbol));
  const history = new Map<string, string[]>();

  const onRequest = (c: Connection & FakeConnection, text: string) => {
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

  const { handle, live, send } = startFakeVenueServer<Connection>({
    wsPath: "/ws/v1",
    accept: (url) =>
      url.pathname === "/ws/v1"
        ? { subscriptions: new Set(), heartbeat: false }
        : new Response("", { status: 404 }),
    onOpen(c) {
      send(c, INFO_FRAME);
      if (options.heartbeatMs !== undefined) {
        c.timers.push(setInterval(
          () => c.heartbeat && send(c, heartbeatFrame(Date.now())),
          options.heartbeatMs,
        ));
      }
    },
    onText: onRequest,
    rest(url) {
      if (url.pathname !== "/derivatives/api/v3/instruments") {
        return new Response("", { status: 404 });
      }
      return new Response(instrumentsBody(instruments, new Date().toISOString()), {
        headers: { "content-type": "application/json" },
      });
    },
    failureBody: `{"result":"error","error":"apiLimitExceeded"}`,
  });

  const fake: FakeKrakenFutures = {
    ...handle,
    subscribed: () =>
      new Set([...live].flatMap((c) => [...c.subscriptions].map((s) => s.split(":")[1]!))),
    subscriptions: () => new Set([...live].flatMap((c) => [...c.subscriptions])),
    publish(feed, productId, text) {
      if (feed === "trade" && (options.snapshotSize ?? 10) > 0) {
        const recent = [...history.get(productId) ?? [], text];
        history.set(productId, recent.slice(-(options.snapshotSize ?? 10)));
      }
      for (const c of live) if (c.subscriptions.has(`${feed}:${productId}`)) send(c, text);
    },
  };
  return Promise.resolve(fake);
}
