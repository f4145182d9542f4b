/**
 * The Hono app factory every service uses: `/health`, `/metrics`, request metrics and JSON
 * errors, plus a `Deno.serve` wrapper.
 *
 * @module
 */
export {
  type CheckReport,
  type CheckResult,
  type CheckStatus,
  DEFAULT_CHECK_TIMEOUT_MS,
  type HealthCheck,
  type HealthChecksReport,
  runHealthCheck,
  runHealthChecks,
  validateHealthChecks,
} from "./health.ts";
export { createServiceApp, type HealthReport, type ServiceAppOptions } from "./service_app.ts";
export { type FetchApp, serveApp, type ServedApp, type ServeOptions } from "./serve.ts";
