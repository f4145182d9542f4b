/**
 * Orders, fills and account views of the simulated exchange. Prices are fixed point (bigint,
 * 1e-9 units); quantities and money are Decimals.
 * @module
 */
import type { Decimal } from "decimal.js";

/** Buy or sell. */
export type OrderSide = "BUY" | "SELL";
/** Market (fills on the next tick, taker, with slippage) or limit (rests, maker, no slippage). */
export type OrderType = "market" | "limit";
/** Where an order is in its life. */
export type OrderStatus = "open" | "filled" | "cancelled" | "rejected";
/** Maker (a resting limit order) or taker (a market order). */
export type Liquidity = "maker" | "taker";

/** What a strategy (through the engine) asks the exchange for. */
export interface OrderRequest {
  readonly strategyId: string;
  /** An explicit account; undefined: the strategy's mapping in the config, else the default. */
  readonly accountId?: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  /** Base units, > 0. */
  readonly quantity: Decimal;
  /** Fixed point 1e-9, > 0; required for limit orders, ignored for market orders. */
  readonly limitPrice?: bigint;
  /** When the order was submitted, ns. */
  readonly tsNs: bigint;
  /** Free text kept with the order and its fill. */
  readonly reason?: string;
}

/** An order as the exchange holds it (a snapshot: later changes need a new `order(id)`). */
export interface Order extends OrderRequest {
  /** Deterministic: "O-1", "O-2", ... in submission order (rejected orders take an id too). */
  readonly id: string;
  /** The resolved account. */
  readonly accountId: string;
  readonly status: OrderStatus;
  /**
   * What the order holds while open: cash (account currency) for a buy, base quantity of the
   * position for a sell. Zero once the order is filled, cancelled or rejected.
   */
  readonly locked: Decimal;
  /** Why the order was rejected (one line). */
  readonly rejectReason?: string;
  /** When the status last changed, ns (the submit time, or the tick that filled/rejected it). */
  readonly updatedNs: bigint;
}

/** One execution. */
export interface Fill {
  readonly orderId: string;
  readonly accountId: string;
  readonly strategyId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Decimal;
  /** Execution price, fixed 1e-9 (after slippage for market orders). */
  readonly price: bigint;
  /** Fee paid, account currency. */
  readonly fee: Decimal;
  /** ts_event of the tick that filled the order, ns. */
  readonly tsNs: bigint;
  /** quantity * (price - average entry price) for a sell; zero for a buy. Fees excluded. */
  readonly realizedPnl: Decimal;
  readonly liquidity: Liquidity;
  readonly reason?: string;
}

/** A position of one symbol in one account (long only). */
export interface PositionView {
  readonly symbol: string;
  /** Base units held, >= 0. */
  readonly quantity: Decimal;
  /** Part of `quantity` held by open sell orders. */
  readonly locked: Decimal;
  /** Average entry price in price units (fees excluded); zero when flat. */
  readonly avgPrice: Decimal;
  /** Realised P&L of this symbol so far (fees excluded). */
  readonly realizedPnl: Decimal;
}

/** A live, read-only view of one account. */
export interface AccountView {
  readonly id: string;
  readonly currency: string;
  /** All cash, including the part locked by open buy orders. */
  readonly cash: Decimal;
  /** Cash held by open buy orders. */
  readonly locked: Decimal;
  /** cash - locked: what a new buy order may use. */
  readonly available: Decimal;
  readonly feesPaid: Decimal;
  /** Realised P&L over all symbols (fees excluded; they are in `feesPaid` and in `cash`). */
  readonly realizedPnl: Decimal;
  /** Sum over positions of quantity * (mark - avgPrice); a position never marked counts 0. */
  unrealizedPnl(): Decimal;
  /** cash + sum of quantity * mark (avgPrice for a symbol never marked). */
  equity(): Decimal;
  /** Snapshots of the positions, flat ones included once traded, by symbol. */
  positions(): ReadonlyMap<string, PositionView>;
}
