// Raw exports of the bar kernel (assembly/bars).
/** Bar kernel exports of the core. */
// deno-lint-ignore no-empty-interface
export interface BarExports {}
