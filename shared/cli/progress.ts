/**
 * The progress bar of a long command (a backtest, a historical fetch): one stderr line redrawn
 * in place, shown only on a terminal and only once the run has taken longer than a second.
 * @module
 */

/** Options of {@linkcode Progress}. */
export interface ProgressOptions {
  /** Units the run will process, when known. */
  total?: number;
  /** What is counted, plural (default "ticks"; a fetch counts "records"). */
  unit?: string;
  /** Where the line goes (stderr). */
  write: (text: string) => void;
  /** Draw at all (stderr is a terminal and not --quiet). */
  enabled: boolean;
  /** Milliseconds clock (default performance.now). */
  now?: () => number;
  /** Show only after this many ms (default 1000). */
  delayMs?: number;
  /** Redraw at most this often, ms (default 100). */
  intervalMs?: number;
}

/** What {@linkcode progressLine} shows besides the count. */
export interface ProgressLineOptions {
  /** Default "ticks". */
  unit?: string;
  /** Bytes moved so far (e.g. compressed bytes downloaded), shown as `1.2 GiB`. */
  bytes?: number;
}

const WIDTH = 30;

/**
 * Tracks processed units; draws `[####----]  45%  1,234 / 2,000 ticks  812 ticks/s`, with
 * `  1.2 GiB` appended when bytes are reported.
 */
export class Progress {
  readonly #o: Required<Omit<ProgressOptions, "total">> & { total?: number };
  readonly #start: number;
  #lastDraw = -Infinity;
  #shown = false;

  constructor(options: ProgressOptions) {
    const now = options.now ?? (() => performance.now());
    this.#o = { delayMs: 1000, intervalMs: 100, unit: "ticks", ...options, now };
    this.#start = now();
  }

  /** Reports `done` units so far (and optionally `bytes`), from the runner's onProgress. */
  update(done: number, bytes?: number): void {
    if (!this.#o.enabled) return;
    const now = this.#o.now();
    if (now - this.#start < this.#o.delayMs || now - this.#lastDraw < this.#o.intervalMs) return;
    this.#lastDraw = now;
    this.#shown = true;
    const line = progressLine(done, this.#o.total, (now - this.#start) / 1000, {
      unit: this.#o.unit,
      bytes,
    });
    this.#o.write(`\r${line}\x1b[K`);
  }

  /** Clears the line if it was drawn; returns the elapsed seconds. */
  finish(): number {
    if (this.#shown) this.#o.write("\r\x1b[K");
    this.#shown = false;
    return (this.#o.now() - this.#start) / 1000;
  }
}

/** The text of one progress line. */
export function progressLine(
  done: number,
  total: number | undefined,
  seconds: number,
  options: ProgressLineOptions = {},
): string {
  const unit = options.unit ?? "ticks";
  const rate = `${count(Math.round(seconds > 0 ? done / seconds : 0))} ${unit}/s`;
  const bytes = options.bytes === undefined ? "" : `  ${formatBytes(options.bytes)}`;
  if (total === undefined || total <= 0) return `${count(done)} ${unit}  ${rate}${bytes}`;
  const fraction = Math.min(1, done / total);
  const filled = Math.round(fraction * WIDTH);
  const bar = `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}]`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${bar} ${percent}  ${count(done)} / ${count(total)} ${unit}  ${rate}${bytes}`;
}

/** 1234567 -> "1,234,567". */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** 1536 -> "1.5 KiB", 1288490189 -> "1.2 GiB" (binary units, one decimal). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}
