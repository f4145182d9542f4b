import assert from "node:assert/strict";
import { runHealthCheck, runHealthChecks, validateHealthChecks } from "./health.ts";

const ok = { run: () => ({ status: "ok" as const }) };
const degraded = { run: () => ({ status: "degraded" as const, detail: "Lagging 3 s" }) };
const down = { run: () => ({ status: "down" as const, detail: "Connection refused" }) };

Deno.test("runHealthChecks() is ok when every check is ok", async () => {
  const report = await runHealthChecks({ db: ok, cache: ok });
  assert.equal(report.status, "ok");
  assert.deepEqual(Object.keys(report.checks), ["db", "cache"]);
  assert.equal(typeof report.checks.db!.latencyMs, "number");
});

Deno.test("runHealthChecks() is ok with no checks", async () => {
  assert.deepEqual(await runHealthChecks({}), { status: "ok", checks: {} });
});

Deno.test("runHealthChecks() is degraded by a degraded check or a non-critical down check", async () => {
  assert.equal((await runHealthChecks({ db: ok, feed: degraded })).status, "degraded");
  assert.equal(
    (await runHealthChecks({ db: ok, redis: { ...down, critical: false } })).status,
    "degraded",
  );
});

Deno.test("runHealthChecks() is down when a critical check is down", async () => {
  const report = await runHealthChecks({ feed: degraded, db: down });
  assert.equal(report.status, "down");
  assert.equal(report.checks.db!.detail, "Connection refused");
  assert.equal(report.checks.feed!.status, "degraded");
});

Deno.test("runHealthChecks() runs checks concurrently", async () => {
  let started!: () => void;
  const secondStarted = new Promise<void>((resolve) => started = resolve);
  const report = await runHealthChecks({
    first: { run: async () => (await secondStarted, { status: "ok" }), timeoutMs: 5000 },
    second: { run: () => (started(), { status: "ok" }) },
  });
  assert.equal(report.status, "ok");
});

Deno.test("runHealthCheck() turns a throw into down with a one-line detail and no stack", async () => {
  const sync = await runHealthCheck({
    run: () => {
      throw new Error("Cannot reach Redis\n    at somewhere (file.ts:1:1)");
    },
  });
  assert.equal(sync.status, "down");
  assert.equal(sync.detail, "Cannot reach Redis at somewhere (file.ts:1:1)");
  const rejected = await runHealthCheck({ run: () => Promise.reject(new TypeError("Bad config")) });
  assert.deepEqual({ ...rejected, latencyMs: 0 }, {
    status: "down",
    detail: "Bad config",
    latencyMs: 0,
  });
});

Deno.test("runHealthCheck() counts a check that never settles as down after its timeout", async () => {
  const report = await runHealthCheck({ run: () => new Promise(() => {}), timeoutMs: 20 });
  assert.equal(report.status, "down");
  assert.equal(report.detail, "Check timed out after 20 ms");
  assert.ok(report.latencyMs >= 19);
});

Deno.test("runHealthCheck() clears its timer when the check answers first", async () => {
  // A leaked 60 s timer would fail this test under Deno's op sanitizer.
  const report = await runHealthCheck({ run: () => ({ status: "ok" }), timeoutMs: 60_000 });
  assert.equal(report.status, "ok");
});

Deno.test("runHealthCheck() keeps extra fields and rejects invalid results", async () => {
  const extra = await runHealthCheck({ run: () => ({ status: "ok", lagMs: 12, latencyMs: -1 }) });
  assert.equal(extra.lagMs, 12);
  assert.notEqual(extra.latencyMs, -1);
  const invalid = await runHealthCheck({ run: () => ({ status: "fine" }) as never });
  assert.equal(invalid.status, "down");
  assert.equal(invalid.detail, 'Check returned an invalid status "fine"');
  assert.equal((await runHealthCheck({ run: () => undefined as never })).status, "down");
});

Deno.test("validateHealthChecks() rejects a non-positive timeout", () => {
  assert.throws(() => validateHealthChecks({ db: { ...ok, timeoutMs: 0 } }), RangeError);
  validateHealthChecks({ db: { ...ok, timeoutMs: 10 } });
});
