/** The last N latency samples (ns) and their percentiles, for /metrics and the live summary. */

/** A ring of samples. */
export class LatencyWindow {
  readonly #samples: Float64Array;
  #next = 0;
  #count = 0;

  constructor(size: number) {
    this.#samples = new Float64Array(size);
  }

  /** Samples held (at most the window size). */
  get count(): number {
    return this.#count;
  }

  add(ns: number): void {
    this.#samples[this.#next] = ns;
    this.#next = (this.#next + 1) % this.#samples.length;
    if (this.#count < this.#samples.length) this.#count++;
  }

  /** The samples held, oldest first. */
  samples(): Float64Array {
    if (this.#count < this.#samples.length) return this.#samples.slice(0, this.#count);
    const out = new Float64Array(this.#count);
    out.set(this.#samples.subarray(this.#next), 0);
    out.set(this.#samples.subarray(0, this.#next), this.#samples.length - this.#next);
    return out;
  }

  /** The p-th percentile (0-100) of the window, nearest rank; undefined when empty. */
  percentile(p: number): number | undefined {
    if (this.#count === 0) return undefined;
    const sorted = this.#samples.slice(0, this.#count).sort();
    const rank = Math.min(this.#count - 1, Math.max(0, Math.ceil((p / 100) * this.#count) - 1));
    return sorted[rank];
  }
}
