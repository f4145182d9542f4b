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

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** 1536 -> `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** 1234567 -> `1,234,567`. */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
