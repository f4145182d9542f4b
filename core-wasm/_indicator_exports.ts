// Raw exports of the indicator kernels (assembly/indicators).
/** Indicator kernel exports of the core. */
// deno-lint-ignore no-empty-interface
export interface IndicatorExports {}
