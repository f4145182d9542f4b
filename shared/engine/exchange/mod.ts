/**
 * The simulated exchange: accounts with locked funds, market and limit orders, the fee and
 * slippage model, and fixed-point <-> decimal conversions.
 * @module
 */
export { SimulatedExchange } from "./simulated_exchange.ts";
export type { LimitBand, SimulatedExchangeOptions } from "./simulated_exchange.ts";
export { FeeModel } from "./fees.ts";
export { decimalToFixed, fixedToDecimal, LedgerDecimal, MAX_I64 } from "./fixed.ts";
export type {
  AccountView,
  Fill,
  Liquidity,
  Order,
  OrderRequest,
  OrderSide,
  OrderStatus,
  OrderType,
  PositionView,
} from "./order_types.ts";
