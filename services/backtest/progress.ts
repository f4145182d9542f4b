/**
 * The progress bar of a long backtest: one stderr line redrawn in place, shown only on a terminal
 * and only once the run has taken longer than a second.
 * @module
 */

/** Options of {@linkcode Progress}. */
export interface ProgressOptions {
  /** Ticks the run will process, when known. */
  total?: number;
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

const WIDTH = 30;

/** Tracks processed ticks; draws `[####----]  45%  1,234 / 2,000 ticks  812 ticks/s`. */
export class Progress {
  readonly #o: Required<Omit<ProgressOptions, "total">> & { total?: number };
  readonly #start: number;
  #lastDraw = -Infinity;
  #shown = false;

  constructor(options: ProgressOptions) {
    const now = options.now ?? (() => performance.now());
    this.#o = { delayMs: 1000, intervalMs: 100, ...options, now };
    this.#start = now();
  }

  /** Reports `ticks` done so far (called by the runner's onProgress). */
  update(ticks: number): void {
    if (!this.#o.enabled) return;
    const now = this.#o.now();
    if (now - this.#start < this.#o.delayMs || now - this.#lastDraw < this.#o.intervalMs) return;
    this.#lastDraw = now;
    this.#shown = true;
    this.#o.write(`\r${progressLine(ticks, this.#o.total, (now - this.#start) / 1000)}\x1b[K`);
  }

  /** Clears the line if it was drawn; returns the elapsed seconds. */
  finish(): number {
    if (this.#shown) this.#o.write("\r\x1b[K");
    this.#shown = false;
    return (this.#o.now() - this.#start) / 1000;
  }
}

/** The text of one progress line. */
export function progressLine(ticks: number, total: number | undefined, seconds: number): string {
  const rate = `${count(Math.round(seconds > 0 ? ticks / seconds : 0))} ticks/s`;
  if (total === undefined || total <= 0) return `${count(ticks)} ticks  ${rate}`;
  const fraction = Math.min(1, ticks / total);
  const filled = Math.round(fraction * WIDTH);
  const bar = `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}]`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${bar} ${percent}  ${count(ticks)} / ${count(total)} ticks  ${rate}`;
}

/** 1234567 -> "1,234,567". */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}
