import assert from "node:assert/strict";
import { createMetrics, PROMETHEUS_CONTENT_TYPE } from "./metrics.ts";

Deno.test("render() gives HELP, TYPE, labels and counter increments", async () => {
  const metrics = createMetrics();
  const ticks = metrics.counter({
    name: "ingest_ticks_total",
    help: "Ticks received",
    labelNames: ["venue", "symbol"],
  });
  ticks.inc({ venue: "kraken", symbol: "BTCUSD" });
  ticks.inc({ venue: "kraken", symbol: "BTCUSD" }, 2);
  metrics.gauge({ name: "ring_fill_ratio", help: "Ring fill" }).set(0.5);
  metrics.histogram({ name: "parse_seconds", help: "Parse time", buckets: [0.001, 0.01] })
    .observe(0.005);

  const text = await metrics.render();
  assert.match(text, /^# HELP ingest_ticks_total Ticks received$/m);
  assert.match(text, /^# TYPE ingest_ticks_total counter$/m);
  assert.match(text, /^ingest_ticks_total\{venue="kraken",symbol="BTCUSD"\} 3$/m);
  assert.match(text, /^# TYPE ring_fill_ratio gauge$/m);
  assert.match(text, /^ring_fill_ratio 0\.5$/m);
  assert.match(text, /^parse_seconds_bucket\{le="0\.001"\} 0$/m);
  assert.match(text, /^parse_seconds_bucket\{le="0\.01"\} 1$/m);
  assert.equal(metrics.contentType, PROMETHEUS_CONTENT_TYPE);
  assert.equal(PROMETHEUS_CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
});

Deno.test("two registries are isolated from each other", async () => {
  const a = createMetrics();
  const b = createMetrics();
  a.counter({ name: "only_in_a_total", help: "A" }).inc();
  b.counter({ name: "shared_name_total", help: "B" }).inc(5);
  a.counter({ name: "shared_name_total", help: "A" }).inc(1);
  const textA = await a.render();
  const textB = await b.render();
  assert.match(textA, /^only_in_a_total 1$/m);
  assert.doesNotMatch(textB, /only_in_a_total/);
  assert.match(textA, /^shared_name_total 1$/m);
  assert.match(textB, /^shared_name_total 5$/m);
});

Deno.test("registering a name twice returns the existing metric", async () => {
  const metrics = createMetrics();
  const first = metrics.counter({ name: "orders_total", help: "Orders", labelNames: ["side"] });
  const second = metrics.counter({ name: "orders_total", help: "Orders", labelNames: ["side"] });
  assert.equal(first, second);
  first.inc({ side: "buy" });
  second.inc({ side: "buy" });
  assert.match(await metrics.render(), /^orders_total\{side="buy"\} 2$/m);
  assert.equal(
    metrics.histogram({ name: "h", help: "H" }),
    metrics.histogram({ name: "h", help: "H" }),
  );
});

Deno.test("registering a name again as another type or with other labels throws TypeError", () => {
  const metrics = createMetrics();
  metrics.counter({ name: "fills_total", help: "Fills", labelNames: ["side"] });
  assert.throws(() => metrics.gauge({ name: "fills_total", help: "Fills" }), TypeError);
  assert.throws(
    () => metrics.counter({ name: "fills_total", help: "Fills", labelNames: ["venue"] }),
    TypeError,
  );
});

Deno.test("prefix and default labels apply to every metric", async () => {
  const metrics = createMetrics({ prefix: "trading_", defaultLabels: { service: "ingest" } });
  metrics.counter({ name: "ticks_total", help: "Ticks" }).inc();
  assert.match(await metrics.render(), /^trading_ticks_total\{service="ingest"\} 1$/m);
});

Deno.test("default process metrics are opt-in and leave no open resources", async () => {
  assert.doesNotMatch(await createMetrics().render(), /process_start_time_seconds/);
  const metrics = createMetrics({ collectDefault: true, prefix: "svc_" });
  const text = await metrics.render();
  assert.match(text, /^# TYPE svc_process_start_time_seconds gauge$/m);
  assert.match(text, /^svc_process_resident_memory_bytes \d+$/m);
});
