/**
 * Copies cumulative plain-number counters (kept in hot paths) into Prometheus counters: each call
 * adds what grew since the last call for the same key.
 * @module
 */
import type { Counter } from "prom-client";

/** Returns `add(counter, key, total, labels?)`; `key` names one (counter, labels) series. */
export function counterSync(): (
  counter: Counter<string>,
  key: string,
  total: number,
  labels?: Record<string, string>,
) => void {
  const seen = new Map<string, number>();
  return (counter, key, total, labels = {}) => {
    const grown = total - (seen.get(key) ?? 0);
    seen.set(key, total);
    if (grown > 0) counter.inc(labels, grown);
  };
}
