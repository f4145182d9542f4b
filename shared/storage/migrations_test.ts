import assert from "node:assert/strict";
import { loadMigrations, migrate, renderSchemaSql } from "./migrations.ts";
import { StorageError } from "./storage_error.ts";
import { storeSuite } from "./testing.ts";

async function tempMigrations(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "migrations_" });
  for (const [name, sql] of Object.entries(files)) await Deno.writeTextFile(`${dir}/${name}`, sql);
  return dir;
}

storeSuite("migrations", {
  "the shipped migrations leave every table in place and re-running applies nothing": async (
    store,
  ) => {
    const again = await migrate(store);
    assert.deepEqual(again.applied, []);
    const { rows } = await store.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_name = ANY($1::text[]) ORDER BY 1`,
      [[
        "backfill_jobs",
        "instruments",
        "live_strategy_log",
        "symbols",
        "tick_archives",
        "tick_data",
      ]],
    );
    assert.equal(rows.length, 6);
  },
  "a new migration applies once, in order, and is recorded": async (store) => {
    const shipped = await loadMigrations();
    const files: Record<string, string> = {};
    for (const m of shipped) {
      files[`${String(m.version).padStart(4, "0")}_${m.name}.sql`] = m.sql;
    }
    const next = String(shipped.length + 1).padStart(4, "0");
    files[`${next}_extra.sql`] = "CREATE TABLE extra_test (id int4 PRIMARY KEY);";
    const dir = await tempMigrations(files);
    try {
      const first = await migrate(store, dir);
      assert.deepEqual(first.applied.map((m) => m.name), ["extra"]);
      assert.equal(first.version, shipped.length + 1);
      assert.deepEqual((await migrate(store, dir)).applied, []);
      const { rows } = await store.query<{ version: number }>(
        "SELECT version FROM schema_migrations ORDER BY version",
      );
      assert.deepEqual(rows.map((r) => r.version), [
        ...shipped.map((m) => m.version),
        shipped.length + 1,
      ]);
    } finally {
      await store.exec(
        "DROP TABLE IF EXISTS extra_test; DELETE FROM schema_migrations WHERE version > 1",
      );
      await Deno.remove(dir, { recursive: true });
    }
  },
  "a failing migration rolls back entirely and is not recorded": async (store) => {
    const shipped = await loadMigrations();
    const files: Record<string, string> = {};
    for (const m of shipped) files[`${String(m.version).padStart(4, "0")}_${m.name}.sql`] = m.sql;
    const next = String(shipped.length + 1).padStart(4, "0");
    files[`${next}_broken.sql`] =
      "CREATE TABLE half_done (id int4); SELECT no_such_column FROM half_done;";
    const dir = await tempMigrations(files);
    try {
      await assert.rejects(() => migrate(store, dir), (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.equal(error.code, "migration");
        assert.match(error.message, new RegExp(`${next}_broken\\.sql failed`));
        return true;
      });
      const table = await store.query("SELECT 1 FROM pg_class WHERE relname = 'half_done'");
      assert.equal(table.rows.length, 0);
      const recorded = await store.query(
        `SELECT 1 FROM schema_migrations WHERE version = ${shipped.length + 1}`,
      );
      assert.equal(recorded.rows.length, 0);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
  "a migration edited after it was applied is refused": async (store) => {
    const shipped = await loadMigrations();
    const dir = await tempMigrations({
      "0001_initial.sql": shipped[0]!.sql + "\n-- edited\n",
    });
    try {
      await assert.rejects(() => migrate(store, dir), /changed after it was applied/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("loadMigrations refuses gaps and badly named files", async () => {
  const gap = await tempMigrations({ "0001_a.sql": "", "0003_c.sql": "" });
  const badName = await tempMigrations({ "1_a.sql": "" });
  try {
    await assert.rejects(() => loadMigrations(gap), /without gaps; found 3 at position 2/);
    await assert.rejects(() => loadMigrations(badName), /1_a\.sql: not named NNNN_name\.sql/);
  } finally {
    await Deno.remove(gap, { recursive: true });
    await Deno.remove(badName, { recursive: true });
  }
});

Deno.test("renderSchemaSql wraps every migration and its history row in one transaction", async () => {
  const migrations = await loadMigrations();
  const sql = renderSchemaSql(migrations);
  assert.match(sql, /^-- The whole schema/);
  assert.match(sql, /\nBEGIN;\n/);
  assert.match(sql, /\nCOMMIT;\n$/);
  for (const m of migrations) {
    assert.ok(sql.includes(m.sql.trimEnd()));
    assert.ok(sql.includes(`VALUES (${m.version}, '${m.name}', '${m.checksum}')`));
  }
});
