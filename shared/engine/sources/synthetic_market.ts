/**
 * The synthetic market: a seeded geometric random walk per symbol on a tick grid. Prices are
 * integer tick counts (bigint) times the tick; the float only decides how many ticks a step moves,
 * so no float ever reaches a price. Quantities are exact decimal strings with up to 8 decimals.
 * @module
 */
import { parsePrice } from "@core/mod.ts";
import { mulberry32 } from "@shared/domain/mod.ts";
import type { TickSide } from "../types.ts";

/** Decimal places of synthetic quantities (the size scale registered with the instruments). */
export const QUANTITY_DECIMALS = 8;

/** Start prices of well-known pairs; any other symbol starts at {@linkcode DEFAULT_START_PRICE}. */
export const DEFAULT_START_PRICES: Readonly<Record<string, string>> = {
  BTCUSD: "60000",
  ETHUSD: "3000",
  SOLUSD: "150",
};

/** Start price of a symbol nobody gave one. */
export const DEFAULT_START_PRICE = "100";

/** Standard deviation of one step, relative to the price (1 basis point). */
const STEP_SIGMA = 1e-4;
/** Mean notional of a trade, in quote currency. */
const MEAN_NOTIONAL = 1_000;
const UNITS_PER_WHOLE = 10 ** QUANTITY_DECIMALS;
const MAX_UNITS = 1e15;

/** Options of {@linkcode SyntheticMarket}. */
export interface SyntheticMarketOptions {
  seed: number;
  /** Price grid as a decimal string (default "0.01"). */
  tickSize?: string;
  /** Start price per symbol as a decimal string (snapped to the grid). */
  startPrices?: Readonly<Record<string, string>>;
}

/** One step of one symbol: a trade, and the best bid and offer right after it. */
export interface SyntheticStep {
  symbol: string;
  /** 1-based trade number of the symbol. */
  n: number;
  /** Sequence of the trade; the quote's is `sequence + 1` (u32, wrapping). */
  sequence: number;
  price: bigint;
  quantity: string;
  side: TickSide;
  bidPrice: bigint;
  bidQuantity: string;
  askPrice: bigint;
  askQuantity: string;
}

interface SymbolState {
  random: () => number;
  ticks: bigint;
  n: number;
  sequence: number;
}

/**
 * Deterministic market: the same seed and the same sequence of symbol lists give the same steps.
 * Each symbol walks with its own generator (seeded from the seed and the symbol), so its path does
 * not depend on which other symbols are present; a scheduler generator picks the symbol of a step.
 */
export class SyntheticMarket {
  /** The grid, in 1e-9 units. */
  readonly tick: bigint;
  readonly #seed: number;
  readonly #pick: () => number;
  readonly #startPrices: Readonly<Record<string, string>>;
  readonly #states = new Map<string, SymbolState>();

  /** Throws for a tick or start price that is not a positive decimal. */
  constructor(options: SyntheticMarketOptions) {
    this.#seed = options.seed >>> 0;
    this.#pick = mulberry32(this.#seed);
    this.tick = parsePrice(options.tickSize ?? "0.01");
    if (this.tick <= 0n) throw new RangeError(`Invalid tick size "${options.tickSize}"`);
    this.#startPrices = { ...DEFAULT_START_PRICES, ...options.startPrices };
    for (const symbol of Object.keys(options.startPrices ?? {})) this.#state(symbol);
  }

  /** The next step: a symbol of `symbols` (non-empty) chosen at random, moved one step. */
  step(symbols: readonly string[]): SyntheticStep {
    const symbol = symbols[Math.floor(this.#pick() * symbols.length)]!;
    const state = this.#state(symbol);
    const r = state.random;
    const x = Number(state.ticks) * STEP_SIGMA * gaussian(r);
    // Stochastic rounding keeps the walk unbiased when a step is smaller than a tick.
    const delta = Math.floor(x + r());
    state.ticks += BigInt(delta);
    if (state.ticks < 1n) state.ticks = 1n;
    state.n++;
    const sequence = state.sequence;
    state.sequence = (state.sequence + 2) >>> 0;
    const price = state.ticks * this.tick;
    const side: TickSide = r() < 0.5 ? "B" : "A";
    const quantity = this.#quantity(r, price);
    const spread = BigInt(1 + Math.floor(r() * 3));
    let bidTicks = side === "B" ? state.ticks - spread : state.ticks;
    let askTicks = side === "B" ? state.ticks : state.ticks + spread;
    if (bidTicks < 1n) [bidTicks, askTicks] = [state.ticks, state.ticks + spread];
    return {
      symbol,
      n: state.n,
      sequence,
      price,
      quantity,
      side,
      bidPrice: bidTicks * this.tick,
      bidQuantity: this.#quantity(r, price),
      askPrice: askTicks * this.tick,
      askQuantity: this.#quantity(r, price),
    };
  }

  /** The current price of `symbol` (its start price before its first step). */
  price(symbol: string): bigint {
    return this.#state(symbol).ticks * this.tick;
  }

  #state(symbol: string): SymbolState {
    let state = this.#states.get(symbol);
    if (state === undefined) {
      const text = this.#startPrices[symbol] ?? DEFAULT_START_PRICE;
      const start = parsePrice(text);
      if (start <= 0n) throw new RangeError(`Invalid start price "${text}" for ${symbol}`);
      let ticks = (start + this.tick / 2n) / this.tick;
      if (ticks < 1n) ticks = 1n;
      state = {
        random: mulberry32((this.#seed ^ fnv1a(symbol)) >>> 0),
        ticks,
        n: 0,
        sequence: 1,
      };
      this.#states.set(symbol, state);
    }
    return state;
  }

  /** A positive quantity of about MEAN_NOTIONAL at `price`, exponentially distributed. */
  #quantity(random: () => number, price: bigint): string {
    const priceFloat = Number(price) / 1e9;
    const meanUnits = (MEAN_NOTIONAL / priceFloat) * UNITS_PER_WHOLE;
    const units = Math.min(MAX_UNITS, 1 + Math.floor(-Math.log(1 - random()) * meanUnits));
    return formatUnits(BigInt(units));
  }
}

/** `units` of 1e-8 as a plain decimal string without trailing zeros ("0.0015", "3"). */
export function formatUnits(units: bigint): string {
  const scale = BigInt(UNITS_PER_WHOLE);
  const whole = units / scale;
  const fraction = (units % scale).toString().padStart(QUANTITY_DECIMALS, "0").replace(/0+$/, "");
  return fraction === "" ? whole.toString() : `${whole}.${fraction}`;
}

/** A standard normal draw (Box-Muller). */
function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** 32-bit FNV-1a of a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
