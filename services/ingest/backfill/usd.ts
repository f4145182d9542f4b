/**
 * The Decimal that USD amounts of backfill jobs are summed with: 60 significant digits, so adding
 * costs stored with up to 20 places to totals of thousands of dollars never rounds.
 * @module
 */
import { Decimal as DecimalJs } from "decimal.js";

/** decimal.js with 60 significant digits. */
export const Decimal: typeof DecimalJs = DecimalJs.clone({ precision: 60 });
/** An amount. */
export type Decimal = DecimalJs;
