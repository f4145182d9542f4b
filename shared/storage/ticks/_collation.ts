/**
 * The readers' total order compares exchange and trade_id byte by byte (compareTicks), which is
 * what a C-collated database does. Under a linguistic collation (en_US, ICU) the ORDER BY needs
 * `COLLATE "C"`, which costs an incremental sort, so we ask the database once per store.
 */
import type { Queryable } from "../store.ts";

const cache = new WeakMap<object, Promise<string>>();

/**
 * `""` when tick_data's exchange and trade_id already sort byte-wise, else ` COLLATE "C"`;
 * remembered per `cacheKey` (the store).
 */
export function orderCollation(db: Queryable, cacheKey: object = db): Promise<string> {
  let known = cache.get(cacheKey);
  if (known === undefined) {
    known = detect(db);
    cache.set(cacheKey, known);
    known.catch(() => cache.delete(cacheKey));
  }
  return known;
}

async function detect(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ byte_order: boolean | null }>(
    `SELECT bool_and(CASE
              WHEN c.collname IN ('C', 'POSIX', 'ucs_basic') THEN true
              WHEN c.collname <> 'default' THEN false
              WHEN d.datlocprovider = 'b' THEN true
              WHEN d.datlocprovider = 'c' THEN d.datcollate IN ('C', 'POSIX', 'C.UTF-8', 'C.utf8')
              ELSE false END) AS byte_order
       FROM pg_attribute a
       JOIN pg_collation c ON c.oid = a.attcollation
       JOIN pg_database d ON d.datname = current_database()
      WHERE a.attrelid = 'tick_data'::regclass AND a.attname IN ('exchange', 'trade_id')`,
  );
  return rows[0]?.byte_order === true ? "" : ' COLLATE "C"';
}
