import assert from "node:assert/strict";
import { openStore } from "./open_store.ts";
import { arrayLiteral } from "./postgres_store.ts";
import { redactUrl, StorageError, toStorageError } from "./storage_error.ts";
import { quoteIdent } from "./store.ts";
import { storeSuite, TEST_DATABASE_URL } from "./testing.ts";

const DATABASE = {
  data_dir: "./data",
  max_connections: 2,
  min_connections: 0,
  connect_timeout_secs: 2,
  batch_size: 1000,
  archive_after_days: 30,
};

Deno.test("a database that is down fails at start-up with one line and the password masked", async () => {
  const url = "postgres://trader:hunter2@127.0.0.1:1/trading_core";
  await assert.rejects(() => openStore({ ...DATABASE, url }), (error: unknown) => {
    assert.ok(error instanceof StorageError);
    assert.equal(error.code, "unavailable");
    assert.equal(error.retryable, true);
    assert.match(
      error.message,
      /^cannot connect to postgres:\/\/trader:\*\*\*@127\.0\.0\.1:1\/trading_core: /,
    );
    assert.ok(!error.message.includes("hunter2"));
    assert.ok(!error.message.includes("\n"));
    return true;
  });
});

Deno.test("the embedded store lives under data_dir and keeps its data across restarts", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "pglite_" });
  try {
    const first = await openStore({ ...DATABASE, data_dir: dataDir }, { migrate: true });
    assert.equal(first.kind, "pglite");
    assert.equal(first.location, `${dataDir}/pglite`);
    await first.query(
      "INSERT INTO instruments (instrument_id, symbol, exchange) VALUES ($1, $2, $3)",
      [42, "BTCUSD", "KRAKEN"],
    );
    await first.close();
    const second = await openStore({ ...DATABASE, data_dir: dataDir }, { migrate: true });
    const { rows } = await second.query<{ instrument_id: bigint }>(
      "SELECT instrument_id FROM instruments WHERE symbol = $1",
      ["BTCUSD"],
    );
    assert.deepEqual(rows, [{ instrument_id: 42n }]);
    await second.close();
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test({
  name: "openStore picks Postgres when the url is set",
  ignore: TEST_DATABASE_URL === undefined,
  async fn() {
    const store = await openStore({ ...DATABASE, url: TEST_DATABASE_URL });
    try {
      assert.equal(store.kind, "postgres");
      assert.deepEqual((await store.query("SELECT 1::int8 AS one")).rows, [{ one: 1n }]);
    } finally {
      await store.close();
    }
  },
});

storeSuite("store", {
  "int8 comes back as bigint beyond 2^53, numeric as an exact string": async (store) => {
    const { rows } = await store.query<{ big: bigint; exact: string }>(
      "SELECT $1::int8 AS big, $2::numeric AS exact",
      [1_763_683_200_123_456_789n, "0.000000001"],
    );
    assert.deepEqual(rows, [{ big: 1_763_683_200_123_456_789n, exact: "0.000000001" }]);
  },
  "array parameters bind to typed arrays, quotes and backslashes intact": async (store) => {
    const { rows } = await store.query<{ n: bigint; s: string }>(
      "SELECT * FROM unnest($1::int8[], $2::text[]) AS t(n, s) ORDER BY n",
      [[-9_223_372_036_854_775_807n, 2n], ['a"b\\c', "{x,y}"]],
    );
    assert.deepEqual(rows, [
      { n: -9_223_372_036_854_775_807n, s: 'a"b\\c' },
      { n: 2n, s: "{x,y}" },
    ]);
  },
  "a failed transaction leaves nothing behind": async (store) => {
    await assert.rejects(() =>
      store.transaction(async (tx) => {
        await tx.query(
          "INSERT INTO instruments (instrument_id, symbol, exchange) VALUES ($1, $2, $3)",
          [7, "ETHUSD", "KRAKEN"],
        );
        await tx.query("SELECT 1/0");
      })
    );
    assert.equal((await store.query("SELECT * FROM instruments")).rows.length, 0);
  },
  "a constraint violation is a typed constraint error": async (store) => {
    await assert.rejects(
      () =>
        store.query(
          "INSERT INTO instruments (instrument_id, symbol, exchange) VALUES ($1, $2, $3)",
          [-1, "ETHUSD", "KRAKEN"],
        ),
      (error: unknown) => error instanceof StorageError && error.code === "constraint",
    );
  },
  "copyFrom loads COPY text lines": async (store) => {
    await store.copyFrom("instruments", ["instrument_id", "symbol", "exchange"], [
      "1\tBTCUSD\tKRAKEN\n2\tETHUSD\tKRAKEN\n",
      "3\tSOLUSD\tKRAKEN\n",
    ]);
    const { count } = await store.query("SELECT * FROM instruments");
    assert.equal(count, 3);
  },
});

Deno.test("driver errors are classified by SQLSTATE and socket code", () => {
  const withCode = (code: string) => Object.assign(new Error("boom"), { code });
  assert.equal(toStorageError(withCode("ECONNREFUSED"), "q").code, "connection_lost");
  assert.equal(toStorageError(withCode("CONNECTION_CLOSED"), "q").retryable, true);
  assert.equal(toStorageError(withCode("57P01"), "q").code, "connection_lost");
  assert.equal(toStorageError(withCode("08006"), "q").code, "connection_lost");
  assert.equal(toStorageError(withCode("40001"), "q").code, "conflict");
  assert.equal(toStorageError(withCode("23505"), "q").code, "constraint");
  assert.equal(toStorageError(withCode("23505"), "q").retryable, false);
  assert.equal(toStorageError(withCode("42P01"), "q").code, "query");
  assert.equal(toStorageError(new Error("a\n  b"), "ctx").message, "ctx: a b");
});

Deno.test("redactUrl masks only the password", () => {
  assert.equal(redactUrl("postgres://u:p%40ss@h:5432/db"), "postgres://u:***@h:5432/db");
  assert.equal(redactUrl("postgres://u@h/db"), "postgres://u@h/db");
});

Deno.test("arrayLiteral quotes strings and spells NULL", () => {
  assert.equal(arrayLiteral([1n, null, 'a"b', "c\\d"]), '{1,NULL,"a\\"b","c\\\\d"}');
  assert.equal(arrayLiteral([]), "{}");
});

Deno.test("quoteIdent accepts only plain identifiers", () => {
  assert.equal(quoteIdent("tick_data"), '"tick_data"');
  assert.throws(() => quoteIdent('x"; DROP TABLE y; --'), /not a plain SQL identifier/);
});
