import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Logger, Metrics } from "@shared/obs/mod.ts";

/** Route label for requests no route matched, so scanners cannot grow the label set. */
export const UNMATCHED_ROUTE = "unmatched";

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Options for {@linkcode requestMetrics}. */
export interface RequestMetricsOptions {
  metrics: Metrics;
  /** True when the not-found handler answered this request. */
  isUnmatched: (c: Context) => boolean;
  logger: Logger;
}

/** Middleware counting and timing requests by method, matched route and status. */
export function requestMetrics(options: RequestMetricsOptions): MiddlewareHandler {
  const { metrics, isUnmatched, logger } = options;
  const labelNames = ["method", "route", "status"] as const;
  const requests = metrics.counter({
    name: "http_requests_total",
    help: "HTTP requests served, by method, matched route and status",
    labelNames,
  });
  const duration = metrics.histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request handling time in seconds, by method, matched route and status",
    labelNames,
    buckets: DURATION_BUCKETS,
  });
  return async function requestMetricsMiddleware(c, next) {
    const started = performance.now();
    let failed = false;
    try {
      await next();
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const labels = {
        method: KNOWN_METHODS.has(c.req.method) ? c.req.method : "OTHER",
        // After next() the route index points at the handler that answered.
        route: isUnmatched(c) ? UNMATCHED_ROUTE : routePath(c),
        status: failed ? "500" : String(c.res.status),
      };
      requests.inc(labels);
      duration.observe(labels, seconds);
      if (logger.isEnabled("debug")) {
        logger.debug("Request", {
          ...labels,
          path: c.req.path,
          ms: Math.round(seconds * 1e6) / 1e3,
        });
      }
    }
  };
}
