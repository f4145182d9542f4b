/** `deno task ingest db migrate|stats|compress|schema`. */
import { intFlag, parseFlags, UsageError, writeStdout } from "@shared/cli/mod.ts";
import { formatTs } from "@shared/dbn/text/mod.ts";
import { validateSymbol } from "@shared/domain/mod.ts";
import {
  archiveRoot,
  fileName,
  loadMigrations,
  migrate,
  renderSchemaSql,
  type Store,
} from "@shared/storage/mod.ts";
import { compressDays, type CompressReport } from "@shared/storage/archive/compress.ts";
import { type StorageStats, storageStats } from "@shared/storage/archive/stats.ts";
import { getDataInfo, type SymbolDataInfo } from "@shared/storage/ticks/data_info.ts";
import {
  checked,
  CONFIG_HELP,
  CONFIG_OPTIONS,
  configFrom,
  expectPositionals,
  toJson,
  withStore,
} from "./_context.ts";
import { formatBytes, formatCount, formatTable } from "./_table.ts";

/** Help of `db`. */
export const DB_USAGE = `Usage: deno task ingest db <command> [options]

Commands:
  migrate                             apply pending migrations (config/migrations/)
  stats [--json] [--symbol S]         ticks per symbol, time ranges, table/partition/archive sizes
  compress [--older-than DAYS] [--dry-run]
                                      move day partitions older than DAYS (default:
                                      [database] archive_after_days) into .dbn.zst archives
  schema                              print the whole schema as one psql script

${CONFIG_HELP}`;

/** Runs `db <args>`; returns the exit code. */
export async function dbCommand(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "migrate":
      return await dbMigrate(rest);
    case "stats":
      return await dbStats(rest);
    case "compress":
      return await dbCompress(rest);
    case "schema":
      return await dbSchema(rest);
    case undefined:
      throw new UsageError("Missing command: db migrate|stats|compress|schema (see --help)");
    case "-h":
    case "--help":
      return help();
    default:
      throw new UsageError(
        `Unknown command "db ${command}" (expected migrate, stats, compress or schema)`,
      );
  }
}

async function dbMigrate(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    options: CONFIG_OPTIONS,
    allowPositionals: true,
  });
  if (values.help) return help();
  expectPositionals(positionals, 0, "db migrate");
  const config = configFrom(values);
  await withStore(config, async (store) => {
    const result = await migrate(store);
    for (const migration of result.applied) writeStdout(`applied ${fileName(migration)}\n`);
    writeStdout(
      result.applied.length === 0
        ? `schema up to date at version ${result.version}\n`
        : `schema at version ${result.version}\n`,
    );
  }, { migrate: false });
  return 0;
}

async function dbStats(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    options: { ...CONFIG_OPTIONS, json: { type: "boolean" }, symbol: { type: "string" } },
    allowPositionals: true,
  });
  if (values.help) return help();
  expectPositionals(positionals, 0, "db stats [--json] [--symbol S]");
  const symbol = values.symbol === undefined
    ? undefined
    : checked(() => validateSymbol(values.symbol!));
  const config = configFrom(values);
  const root = archiveRoot(config.database.data_dir);
  const [info, stats, location] = await withStore(config, async (store: Store) => {
    const info = await getDataInfo(store, { symbol });
    const stats = await storageStats(store, { root });
    return [info, stats, store.location] as const;
  });
  const archives = symbol === undefined
    ? stats.archives
    : stats.archives.filter((a) => a.symbol === symbol);
  if (values.json) {
    writeStdout(toJson({
      database: location,
      archiveRoot: root,
      symbols: info.map((i) => ({ ...i, first: isoOf(i.firstTs), last: isoOf(i.lastTs) })),
      tables: stats.tables,
      partitions: stats.partitions,
      archives,
    }));
  } else {
    writeStdout(renderStats(location, root, info, { ...stats, archives }));
  }
  return 0;
}

function isoOf(ns: bigint | null | undefined): string | null {
  return ns === null || ns === undefined ? null : formatTs(BigInt(ns));
}

function renderStats(
  location: string,
  root: string,
  info: SymbolDataInfo[],
  stats: StorageStats,
): string {
  const out = [`database: ${location}`, `archives: ${root}`, ""];
  if (info.length === 0) {
    out.push("no ticks stored", "");
  } else {
    out.push(`Ticks (${info.length} symbol${info.length === 1 ? "" : "s"})`);
    out.push(formatTable(
      [
        { header: "SYMBOL" },
        { header: "EXCHANGE" },
        { header: "TICKS", right: true },
        { header: "FIRST (UTC)" },
        { header: "LAST (UTC)" },
        { header: "ARCHIVED", right: true },
        { header: "ARCHIVED DAYS", right: true },
      ],
      info.map((i) => [
        i.symbol,
        i.exchange,
        formatCount(i.count),
        isoOf(i.firstTs) ?? "",
        isoOf(i.lastTs) ?? "",
        formatCount(i.archivedCount),
        formatCount(i.archivedDays),
      ]),
    ));
  }
  out.push("Tables");
  out.push(formatTable(
    [{ header: "TABLE" }, { header: "SIZE", right: true }],
    stats.tables.map((t) => [t.name, formatBytes(t.bytes)]),
  ));
  if (stats.partitions.length > 0) {
    out.push("Day partitions of tick_data");
    out.push(formatTable(
      [
        { header: "PARTITION" },
        { header: "DAY" },
        { header: "ROWS", right: true },
        { header: "SIZE", right: true },
      ],
      stats.partitions.map((p) => [p.name, p.day, formatCount(p.rows), formatBytes(p.bytes)]),
    ));
  }
  if (stats.archives.length > 0) {
    const byDay = new Map<string, { slices: number; rows: number; bytes: number }>();
    for (const a of stats.archives) {
      const day = byDay.get(a.day) ?? { slices: 0, rows: 0, bytes: 0 };
      day.slices++;
      day.rows += a.rows;
      day.bytes += a.bytes;
      byDay.set(a.day, day);
    }
    out.push("Archived days (.dbn.zst)");
    out.push(formatTable(
      [
        { header: "DAY" },
        { header: "SLICES", right: true },
        { header: "ROWS", right: true },
        { header: "SIZE", right: true },
      ],
      [...byDay].map(([day, d]) => [
        day,
        formatCount(d.slices),
        formatCount(d.rows),
        formatBytes(d.bytes),
      ]),
    ));
  }
  return out.join("\n");
}

async function dbCompress(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    options: {
      ...CONFIG_OPTIONS,
      "older-than": { type: "string" },
      "dry-run": { type: "boolean" },
    },
    allowPositionals: true,
  });
  if (values.help) return help();
  expectPositionals(positionals, 0, "db compress [--older-than DAYS] [--dry-run]");
  const olderThan = values["older-than"] === undefined
    ? undefined
    : intFlag("older-than", values["older-than"], 1, 36_500);
  const config = configFrom(values);
  const olderThanDays = olderThan ?? config.database.archive_after_days;
  const root = archiveRoot(config.database.data_dir);
  const report = await withStore(
    config,
    (store) => compressDays(store, { root, olderThanDays, dryRun: values["dry-run"] === true }),
  );
  writeStdout(renderCompress(report, olderThanDays, root));
  return 0;
}

function renderCompress(report: CompressReport, olderThanDays: number, root: string): string {
  if (report.days.length === 0) {
    return `nothing to compress: no day of tick_data is older than ${olderThanDays} day${
      olderThanDays === 1 ? "" : "s"
    }\n`;
  }
  const verb = report.dryRun ? "would compress" : "compressed";
  const lines = report.days.map((d) =>
    `${verb} ${d.day}: ${formatCount(d.slices)} slice${d.slices === 1 ? "" : "s"}, ${
      formatCount(d.rows)
    } rows${report.dryRun ? "" : `, ${formatBytes(d.bytes)}`}`
  );
  const days = `${report.days.length} day${report.days.length === 1 ? "" : "s"}`;
  lines.push(
    report.dryRun
      ? `dry run: ${days}, ${formatCount(report.rows)} rows would move to ${root}`
      : `${verb} ${days}: ${formatCount(report.rows)} rows into ${
        formatBytes(report.bytes)
      } under ${root}`,
  );
  return lines.join("\n") + "\n";
}

async function dbSchema(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    options: { help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) return help();
  expectPositionals(positionals, 0, "db schema");
  writeStdout(renderSchemaSql(await loadMigrations()));
  return 0;
}

function help(): number {
  writeStdout(DB_USAGE);
  return 0;
}
