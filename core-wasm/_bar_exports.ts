// Raw exports of the bar kernel (assembly/bars).
/** Bar kernel exports of the core. */
export interface BarExports {
  barsRun(state: number, ts: number, price: number, size: number, from: number, to: number): bigint;
  barsCloseDue(state: number, now: bigint): bigint;
}
