// Raw exports of the indicator kernels (assembly/indicators). Pointers are byte offsets into the
// core's memory; columns are f64.
/** Indicator kernel exports of the core. */
export interface IndicatorExports {
  indicatorNew(kind: number, period: number, multiplier: number): number;
  indicatorFree(ptr: number): void;
  indicatorReset(ptr: number): void;
  indicatorUpdate(ptr: number, x: number): number;
  indicatorUpdateHlc(ptr: number, high: number, low: number, close: number): number;
  indicatorUpdateMany(ptr: number, values: number, out: number, n: number): void;
  indicatorUpdateBands(
    ptr: number,
    values: number,
    middle: number,
    upper: number,
    lower: number,
    n: number,
  ): void;
  indicatorUpdateManyHlc(
    ptr: number,
    high: number,
    low: number,
    close: number,
    out: number,
    n: number,
  ): void;
  indicatorValue(ptr: number): number;
  indicatorUpper(ptr: number): number;
  indicatorLower(ptr: number): number;
  indicatorReady(ptr: number): number;
}
