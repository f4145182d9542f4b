/** Plain-text tables and sizes for the ingest commands' human-readable output. */

/** A column: its header, and whether its cells are right-aligned (numbers). */
export interface Column {
  header: string;
  right?: boolean;
}

/** Columns padded to their widest cell, two spaces apart, one line per row plus a header. */
export function formatTable(columns: readonly Column[], rows: readonly string[][]): string {
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...rows.map((row) => (row[i] ?? "").length))
  );
  const line = (cells: readonly string[]) =>
    columns.map((column, i) => {
      const cell = cells[i] ?? "";
      return column.right ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
    }).join("  ").trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join("\n") + "\n";
}

export { count as formatCount, formatBytes } from "@shared/cli/mod.ts";
