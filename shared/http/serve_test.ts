import assert from "node:assert/strict";
import { createLogger, createMetrics } from "@shared/obs/mod.ts";
import { createServiceApp } from "./service_app.ts";
import { serveApp } from "./serve.ts";

Deno.test("serveApp() serves /health and /metrics on an ephemeral port until shutdown", async () => {
  const lines: string[] = [];
  const logger = createLogger({
    level: "info",
    format: "json",
    service: "ingest",
    sink: (line) => lines.push(line),
  });
  const app = createServiceApp({
    service: "ingest",
    version: "0.1.0",
    metrics: createMetrics(),
    logger,
  });
  const served = await serveApp(app, { port: 0, logger });
  try {
    assert.ok(served.port > 0);
    assert.equal(served.url, `http://127.0.0.1:${served.port}`);

    const health = await fetch(`${served.url}/health`);
    assert.equal(health.status, 200);
    assert.equal((await health.json()).status, "ok");

    const missing = await fetch(`${served.url}/missing`);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();

    const metrics = await fetch(`${served.url}/metrics`);
    assert.equal(metrics.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    assert.match(await metrics.text(), /route="\/health",status="200"\} 1$/m);
  } finally {
    await served.shutdown();
  }
  await served.shutdown(); // idempotent
  assert.ok(lines.some((line) => JSON.parse(line).msg === "Listening"));
  await assert.rejects(fetch(`${served.url}/health`));
});

Deno.test("serveApp() stops when its signal aborts", async () => {
  const controller = new AbortController();
  const app = createServiceApp({
    service: "trader",
    version: "0.1.0",
    metrics: createMetrics(),
    logger: createLogger({ level: "error", format: "json", service: "trader", sink: () => {} }),
  });
  const served = await serveApp(app, { port: 0, signal: controller.signal });
  const res = await fetch(`${served.url}/health`);
  await res.body?.cancel();
  controller.abort();
  await served.shutdown();
  await assert.rejects(fetch(`${served.url}/health`));
});

Deno.test("serveApp() rejects when the port is taken", async () => {
  const app = createServiceApp({
    service: "x",
    version: "0",
    metrics: createMetrics(),
    logger: createLogger({ level: "error", format: "json", service: "x", sink: () => {} }),
  });
  const first = await serveApp(app, { port: 0 });
  try {
    await assert.rejects(serveApp(app, { port: first.port }), Deno.errors.AddrInUse);
  } finally {
    await first.shutdown();
  }
});
