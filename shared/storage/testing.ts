/**
 * Test helpers: run one suite against both backends. Postgres uses a fresh database per run
 * (created from DATABASE_URL, dropped after) and is ignored, not passed, when DATABASE_URL is
 * unset; PGlite runs everywhere, in memory.
 */
import postgres from "postgres";
import { migrate } from "./migrations.ts";
import { openPgliteStore } from "./pglite_store.ts";
import { openPostgresStore } from "./postgres_store.ts";
import type { Store, StoreKind } from "./store.ts";
import { forgetDayPartitions } from "./ticks/partitions.ts";

/** A migrated store for tests; `close()` also drops the Postgres test database. */
export interface TestStore extends Store {
  /** Empties every table and drops every tick partition. */
  reset(): Promise<void>;
  /** The URL of the fresh Postgres database (undefined for PGlite). */
  readonly url: string | undefined;
}

/** One backend the suites run on. */
export interface StoreBackend {
  name: StoreKind;
  /** True when the backend is not available here (Postgres without DATABASE_URL). */
  ignore: boolean;
  open(): Promise<TestStore>;
}

/** The server URL tests use, or undefined. */
export const TEST_DATABASE_URL: string | undefined = Deno.env.get("DATABASE_URL") || undefined;

/** Postgres (when DATABASE_URL is set) and PGlite. */
export const STORE_BACKENDS: readonly StoreBackend[] = [
  { name: "postgres", ignore: TEST_DATABASE_URL === undefined, open: openFreshPostgres },
  { name: "pglite", ignore: false, open: () => openFreshPglite(undefined) },
];

/** A migrated PGlite store in `dir` (in memory when undefined). */
export async function openFreshPglite(dir: string | undefined): Promise<TestStore> {
  const store = await openPgliteStore(dir);
  await migrate(store);
  return testStore(store, undefined, () => store.close());
}

/** Creates `trading_test_<random>` on the DATABASE_URL server, migrates it, drops it on close. */
export async function openFreshPostgres(): Promise<TestStore> {
  if (TEST_DATABASE_URL === undefined) throw new Error("DATABASE_URL is not set");
  const name = `trading_test_${Date.now()}_${Math.floor(Math.random() * 1e9)}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const store = await openPostgresStore(url.href, { maxConnections: 4 });
  const dropDatabase = async () => {
    await store.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  try {
    await migrate(store);
  } catch (error) {
    await dropDatabase();
    throw error;
  }
  return testStore(store, url.href, dropDatabase);
}

function testStore(
  store: Store,
  url: string | undefined,
  close: () => Promise<void>,
): TestStore {
  const test: TestStore = {
    ...store,
    url,
    close,
    async reset() {
      const { rows } = await store.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i
           JOIN pg_class c ON c.oid = i.inhrelid
           JOIN pg_class p ON p.oid = i.inhparent
          WHERE p.relname = 'tick_data'`,
      );
      for (const row of rows) await store.exec(`DROP TABLE IF EXISTS "${row.name}"`);
      await store.exec(
        "TRUNCATE tick_archives, live_strategy_log, backfill_jobs, symbols, instruments CASCADE",
      );
      forgetDayPartitions(test);
    },
  };
  return test;
}

/**
 * Registers one Deno.test per backend named `<title> (<backend>)`, with one step per case; each
 * step starts from empty tables.
 */
export function storeSuite(
  title: string,
  cases: Record<string, (store: TestStore) => Promise<void>>,
): void {
  for (const backend of STORE_BACKENDS) {
    Deno.test({
      name: `${title} (${backend.name})`,
      ignore: backend.ignore,
      sanitizeOps: false,
      sanitizeResources: false,
      async fn(t) {
        const store = await backend.open();
        try {
          for (const [name, run] of Object.entries(cases)) {
            await t.step(name, async () => {
              await store.reset();
              await run(store);
            });
          }
        } finally {
          await store.close();
        }
      },
    });
  }
}
