import assert from "node:assert/strict";
import { HTTPException } from "hono/http-exception";
import { createLogger, createMetrics, type Logger } from "@shared/obs/mod.ts";
import { createServiceApp, type ServiceAppOptions } from "./service_app.ts";

function setup(options: Partial<ServiceAppOptions> = {}) {
  const lines: string[] = [];
  const logger: Logger = createLogger({
    level: "info",
    format: "json",
    service: "ingest",
    sink: (line) => lines.push(line),
  });
  const metrics = createMetrics();
  let clock = 1_000_000;
  const app = createServiceApp({
    service: "ingest",
    version: "0.1.0",
    metrics,
    logger,
    now: () => clock,
    ...options,
  });
  const logs = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { app, metrics, logs, advance: (ms: number) => clock += ms };
}

Deno.test("GET /health reports ok with service, version, uptime and checks", async () => {
  const { app, advance } = setup({ checks: { db: { run: () => ({ status: "ok" }) } } });
  advance(12_345);
  const res = await app.request("/health");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  const body = await res.json();
  assert.equal(body.status, "ok");
  assert.equal(body.service, "ingest");
  assert.equal(body.version, "0.1.0");
  assert.equal(body.uptimeSeconds, 12.345);
  assert.equal(body.checks.db.status, "ok");
  assert.equal(typeof body.checks.db.latencyMs, "number");
});

Deno.test("GET /health is degraded (200) when a non-critical check is down", async () => {
  const { app } = setup({
    checks: {
      db: { run: () => ({ status: "ok" }) },
      redis: { run: () => ({ status: "down", detail: "ECONNREFUSED" }), critical: false },
    },
  });
  const res = await app.request("/health");
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.status, "degraded");
  assert.equal(body.checks.redis.detail, "ECONNREFUSED");
});

Deno.test("GET /health is down (503) when a critical check throws, and logs the change once", async () => {
  const { app, logs } = setup({
    checks: {
      db: {
        run: () => {
          throw new Error("Connection refused");
        },
      },
    },
  });
  const res = await app.request("/health");
  assert.equal(res.status, 503);
  const body = await res.json();
  assert.equal(body.status, "down");
  assert.deepEqual(Object.keys(body.checks.db).sort(), ["detail", "latencyMs", "status"]);
  assert.equal(body.checks.db.detail, "Connection refused");
  await (await app.request("/health")).body?.cancel();
  const failing = logs().filter((l) => l.msg === "Health check failing");
  assert.equal(failing.length, 1);
  assert.equal(failing[0]!.check, "db");
});

Deno.test("GET /health is down (503) when a critical check times out", async () => {
  const { app } = setup({
    checks: {
      feed: { run: () => ({ status: "ok" }) },
      db: { run: () => new Promise(() => {}), timeoutMs: 15 },
    },
  });
  const res = await app.request("/health");
  assert.equal(res.status, 503);
  const body = await res.json();
  assert.equal(body.checks.db.detail, "Check timed out after 15 ms");
  assert.equal(body.checks.feed.status, "ok");
});

Deno.test("GET /metrics serves the Prometheus text format with request counts", async () => {
  const { app, metrics } = setup();
  metrics.counter({ name: "ingest_ticks_total", help: "Ticks" }).inc(4);
  await (await app.request("/health")).body?.cancel();
  const res = await app.request("/metrics");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const text = await res.text();
  assert.match(text, /^# TYPE http_requests_total counter$/m);
  assert.match(text, /^http_requests_total\{method="GET",route="\/health",status="200"\} 1$/m);
  assert.match(text, /^# TYPE http_request_duration_seconds histogram$/m);
  assert.match(
    text,
    /^http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} 1$/m,
  );
  assert.match(text, /^ingest_ticks_total 4$/m);
});

Deno.test("request metrics label the matched route, not the raw URL", async () => {
  const { app, metrics } = setup();
  app.get("/symbols/:symbol", (c) => c.json({ symbol: c.req.param("symbol") }));
  await (await app.request("/symbols/BTCUSD")).body?.cancel();
  await (await app.request("/symbols/ETHUSD")).body?.cancel();
  await (await app.request("/no/such/path")).body?.cancel();
  await (await app.request("/symbols/BTCUSD", { method: "BREW" })).body?.cancel();
  const text = await metrics.render();
  assert.match(
    text,
    /^http_requests_total\{method="GET",route="\/symbols\/:symbol",status="200"\} 2$/m,
  );
  assert.match(text, /^http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
  assert.match(text, /^http_requests_total\{method="OTHER",route="unmatched",status="404"\} 1$/m);
  assert.doesNotMatch(text, /BTCUSD|no\/such/);
});

Deno.test("unknown routes answer 404 JSON with the path", async () => {
  const { app } = setup();
  const res = await app.request("/nope?x=1");
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), { error: "Not found", path: "/nope" });
});

Deno.test("a throwing route answers 500 JSON without a stack and logs the error", async () => {
  const { app, logs, metrics } = setup();
  app.get("/boom", () => {
    throw new Error("Database exploded");
  });
  const res = await app.request("/boom");
  assert.equal(res.status, 500);
  const text = await res.text();
  assert.deepEqual(JSON.parse(text), { error: "Internal error" });
  assert.doesNotMatch(text, /exploded|at /);
  const logged = logs().find((l) => l.msg === "Request failed")!;
  assert.equal(logged.level, "error");
  assert.equal(logged.component, "http");
  assert.deepEqual(logged.error, { name: "Error", message: "Database exploded" });
  assert.match(await metrics.render(), /route="\/boom",status="500"\} 1$/m);
});

Deno.test("an HTTPException keeps its own status and response", async () => {
  const { app, logs } = setup();
  app.get("/bad", () => {
    throw new HTTPException(400, { message: "Bad symbol" });
  });
  const res = await app.request("/bad");
  assert.equal(res.status, 400);
  assert.equal(await res.text(), "Bad symbol");
  assert.equal(logs().length, 0);
});

Deno.test("two apps on one registry share the HTTP metrics instead of throwing", async () => {
  const metrics = createMetrics();
  const first = createServiceApp({ service: "a", version: "1", metrics });
  const second = createServiceApp({ service: "b", version: "1", metrics });
  await (await first.request("/health")).body?.cancel();
  await (await second.request("/health")).body?.cancel();
  assert.match(await metrics.render(), /route="\/health",status="200"\} 2$/m);
});

Deno.test("createServiceApp() rejects a check with a bad timeout", () => {
  assert.throws(
    () => setup({ checks: { db: { run: () => ({ status: "ok" }), timeoutMs: -1 } } }),
    RangeError,
  );
});
