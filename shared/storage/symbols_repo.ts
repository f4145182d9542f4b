/**
 * The `symbols` table: which canonical symbols each provider is asked to stream or fetch
 * (`deno task ingest symbol add|remove|list`).
 * @module
 */
import { validateExchange, validateSymbol } from "@shared/domain/mod.ts";
import { instrumentDefaults, InstrumentRegistry } from "./instruments/registry.ts";
import type { Queryable } from "./store.ts";

/** The data providers symbols can be registered for. */
export const PROVIDERS = [
  "binance",
  "kraken",
  "kraken_futures",
  "databento",
  "replay",
  "synthetic",
] as const;
/** A data provider. */
export type Provider = typeof PROVIDERS[number];

/** The exchange a provider's symbols trade on when none is given; the others need one. */
export const DEFAULT_EXCHANGES: Readonly<Partial<Record<Provider, string>>> = {
  binance: "BINANCE",
  kraken: "KRAKEN",
  kraken_futures: "KRAKEN_FUTURES",
};

/** One registered symbol. */
export interface SymbolRegistration {
  provider: Provider;
  symbol: string;
  exchange: string;
  venueSymbol: string | undefined;
  assetType: string;
  /** Undefined for a Databento symbol whose instrument definition has not arrived yet. */
  instrumentId: number | undefined;
  active: boolean;
  addedAt: Date;
}

/** What {@linkcode addSymbol} registers. */
export interface AddSymbolInput {
  provider: string;
  symbol: string;
  /** Default: the provider's exchange ({@linkcode DEFAULT_EXCHANGES}). */
  exchange?: string;
  venueSymbol?: string;
  /** Default `crypto`. */
  assetType?: string;
}

/** Checks a provider name; throws a one-line RangeError listing the known ones. */
export function checkProvider(provider: string): Provider {
  if ((PROVIDERS as readonly string[]).includes(provider)) return provider as Provider;
  throw new RangeError(
    `Unknown provider ${JSON.stringify(provider)}: expected one of ${PROVIDERS.join(", ")}`,
  );
}

/** The exchange for a provider's symbol: the given one (validated) or the provider's default. */
export function exchangeFor(provider: Provider, exchange: string | undefined): string {
  if (exchange !== undefined) return validateExchange(exchange);
  const fallback = DEFAULT_EXCHANGES[provider];
  if (fallback === undefined) {
    throw new RangeError(`Provider ${provider} needs an exchange (e.g. --exchange CME)`);
  }
  return fallback;
}

interface SymbolRow {
  provider: Provider;
  symbol: string;
  exchange: string;
  venue_symbol: string | null;
  asset_type: string;
  instrument_id: bigint | number | null;
  active: boolean;
  added_at: Date;
}

const COLUMNS =
  "provider, symbol, exchange, venue_symbol, asset_type, instrument_id, active, added_at";

function fromRow(row: SymbolRow): SymbolRegistration {
  return {
    provider: row.provider,
    symbol: row.symbol,
    exchange: row.exchange,
    venueSymbol: row.venue_symbol ?? undefined,
    assetType: row.asset_type,
    instrumentId: row.instrument_id === null ? undefined : Number(row.instrument_id),
    active: row.active,
    addedAt: new Date(row.added_at),
  };
}

/**
 * Registers (or updates and re-activates) a provider's symbol. Its instrument is registered
 * too, with a generated id; a Databento symbol links to its instrument only when Databento's
 * definition is already registered (its id is Databento's, not ours).
 */
export async function addSymbol(
  db: Queryable,
  input: AddSymbolInput,
  options: { registry?: InstrumentRegistry } = {},
): Promise<SymbolRegistration & { created: boolean }> {
  const provider = checkProvider(input.provider);
  const symbol = validateSymbol(input.symbol);
  const exchange = exchangeFor(provider, input.exchange);
  const { assetType, venueSymbol } = instrumentDefaults(input);
  const registry = options.registry ?? new InstrumentRegistry(db);
  const instrument = provider === "databento"
    ? await registry.get(symbol, exchange)
    : await registry.getOrCreate(symbol, exchange, { assetType, venueSymbol: input.venueSymbol });
  const { rows } = await db.query<SymbolRow & { created: boolean }>(
    `INSERT INTO symbols (provider, symbol, exchange, venue_symbol, asset_type, instrument_id)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (provider, symbol) DO UPDATE SET exchange = EXCLUDED.exchange,
       venue_symbol = EXCLUDED.venue_symbol, asset_type = EXCLUDED.asset_type,
       instrument_id = EXCLUDED.instrument_id, active = true
     RETURNING ${COLUMNS}, (xmax = 0) AS created`,
    [provider, symbol, exchange, venueSymbol, assetType, instrument?.instrumentId ?? null],
  );
  const row = rows[0]!;
  return { ...fromRow(row), created: row.created };
}

/** Unregisters a provider's symbol; false when it was not registered. */
export async function removeSymbol(
  db: Queryable,
  provider: string,
  symbol: string,
): Promise<boolean> {
  const checked = checkProvider(provider);
  validateSymbol(symbol);
  const { count } = await db.query(
    "DELETE FROM symbols WHERE provider = $1 AND symbol = $2",
    [checked, symbol],
  );
  return count > 0;
}

/** The registered symbols (of one provider when given), by provider then symbol. */
export async function listSymbols(
  db: Queryable,
  filter: { provider?: string } = {},
): Promise<SymbolRegistration[]> {
  const { rows } = filter.provider === undefined
    ? await db.query<SymbolRow>(`SELECT ${COLUMNS} FROM symbols ORDER BY provider, symbol`)
    : await db.query<SymbolRow>(
      `SELECT ${COLUMNS} FROM symbols WHERE provider = $1 ORDER BY symbol`,
      [checkProvider(filter.provider)],
    );
  return rows.map(fromRow);
}
