import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { createLogger, type Logger, type Metrics } from "@shared/obs/mod.ts";
import {
  type CheckStatus,
  type HealthCheck,
  type HealthChecksReport,
  runHealthChecks,
  validateHealthChecks,
} from "./health.ts";
import { requestMetrics } from "./_request_metrics.ts";

/** Options for {@linkcode createServiceApp}. */
export interface ServiceAppOptions {
  /** Service name reported by `/health`, e.g. "ingest". */
  service: string;
  version: string;
  /** The service's registry; `/metrics` renders it and HTTP metrics are added to it. */
  metrics: Metrics;
  /** Dependency probes run (concurrently) on every `/health` request. */
  checks?: Record<string, HealthCheck>;
  /** Defaults to a JSON logger on stderr at "warn". */
  logger?: Logger;
  /** Milliseconds clock for uptime; defaults to `Date.now`. */
  now?: () => number;
}

/** The body of `GET /health`. */
export interface HealthReport extends HealthChecksReport {
  service: string;
  version: string;
  uptimeSeconds: number;
}

/**
 * Creates the Hono app every service starts from: `GET /health`, `GET /metrics`, request metrics,
 * JSON 404s and JSON 500s. Services add their own routes to the returned app.
 */
export function createServiceApp(options: ServiceAppOptions): Hono {
  const { service, version, metrics } = options;
  const checks = { ...options.checks };
  validateHealthChecks(checks);
  const now = options.now ?? Date.now;
  const startedAt = now();
  const logger = (options.logger ?? createLogger({ level: "warn", format: "json", service }))
    .child({ component: "http" });
  const lastStatus = new Map<string, CheckStatus>();
  const unmatched = new WeakSet<Context>();

  const app = new Hono();
  app.use("*", requestMetrics({ metrics, logger, isUnmatched: (c) => unmatched.has(c) }));

  app.get("/health", async (c) => {
    const { status, checks: results } = await runHealthChecks(checks);
    for (const [name, result] of Object.entries(results)) {
      const previous = lastStatus.get(name) ?? "ok";
      if (result.status === previous) continue;
      lastStatus.set(name, result.status);
      const fields = { check: name, from: previous, to: result.status, detail: result.detail };
      if (result.status === "ok") logger.info("Health check recovered", fields);
      else logger.warn("Health check failing", fields);
    }
    const report: HealthReport = {
      status,
      service,
      version,
      uptimeSeconds: Math.max(0, Math.round(now() - startedAt) / 1000),
      checks: results,
    };
    c.header("Cache-Control", "no-store");
    return c.json(report, status === "down" ? 503 : 200);
  });

  app.get("/metrics", async (c) => {
    const body = await metrics.render();
    return c.body(body, 200, { "Content-Type": metrics.contentType, "Cache-Control": "no-store" });
  });

  app.notFound((c) => {
    unmatched.add(c);
    return c.json({ error: "Not found", path: c.req.path }, 404);
  });

  app.onError((error, c) => {
    const fields = { method: c.req.method, path: c.req.path, error };
    // A deliberate HTTP error (a validator's 400, a handler's 503) keeps its own response.
    if (error instanceof HTTPException) {
      if (error.status >= 500) logger.error("Request failed", fields);
      return error.getResponse();
    }
    logger.error("Request failed", fields);
    return c.json({ error: "Internal error" }, 500);
  });

  return app;
}
