import assert from "node:assert/strict";
import { createLogger, createNullLogger } from "@shared/obs/mod.ts";
import { createAlertHandlers, LogAlertHandler } from "./handlers.ts";
import { WebhookAlertHandler } from "./webhook.ts";
import { alertingConfig } from "./_testing.ts";
import type { Alert } from "./types.ts";

function alert(overrides: Partial<Alert>): Alert {
  return {
    rule: "channel_backpressure",
    key: "BTCUSD",
    severity: "WARNING",
    state: "firing",
    message: "IPC channel for BTCUSD at 85% of its ring (threshold 80%)",
    value: 85,
    threshold: 80,
    atMs: 1_700_000_000_000,
    ...overrides,
  };
}

Deno.test("LogAlertHandler logs CRITICAL as error, WARNING as warn, INFO and resolved as info", async () => {
  const lines: string[] = [];
  const logger = createLogger({
    level: "info",
    format: "json",
    service: "trader",
    sink: (line) => lines.push(line),
  });
  const handler = new LogAlertHandler(logger);
  await handler.handle(alert({ severity: "CRITICAL", rule: "ipc_disconnected", value: undefined }));
  await handler.handle(alert({}));
  await handler.handle(alert({ severity: "INFO" }));
  await handler.handle(alert({ severity: "CRITICAL", state: "resolved", message: "Resolved" }));
  const records = lines.map((line) => JSON.parse(line));
  assert.deepEqual(records.map((r) => [r.level, r.severity, r.state]), [
    ["error", "CRITICAL", "firing"],
    ["warn", "WARNING", "firing"],
    ["info", "INFO", "firing"],
    ["info", "CRITICAL", "resolved"],
  ]);
  assert.equal(records[1].msg, "IPC channel for BTCUSD at 85% of its ring (threshold 80%)");
  assert.deepEqual([records[1].rule, records[1].key, records[1].value, records[1].threshold], [
    "channel_backpressure",
    "BTCUSD",
    85,
    80,
  ]);
  assert.equal("value" in records[0], false);
});

Deno.test("createAlertHandlers() gives the log handler, plus the webhook when webhook_url is set", async () => {
  const logger = createNullLogger();
  assert.deepEqual(createAlertHandlers(alertingConfig(), logger).map((h) => h.name), ["log"]);

  const bodies: unknown[] = [];
  const fakeFetch: typeof fetch = (_input, init) => {
    bodies.push(JSON.parse(String(init?.body)));
    return Promise.resolve(new Response(null, { status: 204 }));
  };
  const handlers = createAlertHandlers(
    alertingConfig({ webhook_url: "https://hooks.example.com/alerts", webhook_retries: 2 }),
    logger,
    { service: "trader-paper", fetch: fakeFetch },
  );
  assert.deepEqual(handlers.map((h) => h.name), ["log", "webhook"]);
  const webhook = handlers[1];
  assert.ok(webhook instanceof WebhookAlertHandler);
  await webhook.handle(alert({}));
  assert.deepEqual(bodies, [{
    service: "trader-paper",
    rule: "channel_backpressure",
    key: "BTCUSD",
    severity: "WARNING",
    state: "firing",
    message: "IPC channel for BTCUSD at 85% of its ring (threshold 80%)",
    value: 85,
    threshold: 80,
    at: "2023-11-14T22:13:20.000Z",
  }]);
  assert.deepEqual(webhook.stats(), { sent: 1, failed: 0, retries: 0 });
});
