import assert from "node:assert/strict";
import { createLogger, createNullLogger } from "@shared/obs/mod.ts";
import { AlertEvaluator } from "./evaluator.ts";
import { alertingConfig, channel, RecordingHandler, snapshot } from "./_testing.ts";
import type { AlertHandler, AlertRule, TraderSnapshot } from "./types.ts";

const T0 = 1_700_000_000_000;

/** An evaluator over a mutable snapshot and a settable clock. */
function harness(options: { cooldownSecs?: number; enabled?: boolean; rules?: AlertRule[] } = {}) {
  const clock = { nowMs: T0 };
  const state = { snap: snapshot(T0) };
  const recorder = new RecordingHandler();
  let snapshots = 0;
  const evaluator = new AlertEvaluator({
    config: alertingConfig({
      cooldown_secs: options.cooldownSecs ?? 300,
      enabled: options.enabled ?? true,
    }),
    snapshot: () => {
      snapshots++;
      return { ...state.snap, nowMs: clock.nowMs };
    },
    handlers: [recorder],
    ...(options.rules ? { rules: options.rules } : {}),
    logger: createNullLogger(),
    now: () => clock.nowMs,
  });
  return {
    clock,
    state,
    recorder,
    evaluator,
    snapshots: () => snapshots,
    at: (secs: number) => (clock.nowMs = T0 + secs * 1000),
  };
}

const DOWN = snapshot(T0, {
  channels: [channel("BTCUSD", { connected: false, reason: "writer stale" }), channel("ETHUSD")],
});

Deno.test("AlertEvaluator repeats a firing alert only after the cooldown and resolves it once", async () => {
  const h = harness({ cooldownSecs: 300 });
  h.state.snap = DOWN;
  const first = await h.evaluator.evaluate();
  assert.deepEqual(first.map((a) => [a.rule, a.key, a.severity, a.state]), [
    ["ipc_disconnected", "BTCUSD", "CRITICAL", "firing"],
  ]);
  assert.equal(first[0]!.atMs, T0);

  h.at(30);
  assert.deepEqual(await h.evaluator.evaluate(), []);
  h.at(299);
  assert.deepEqual(await h.evaluator.evaluate(), []);
  assert.deepEqual(h.evaluator.active().map((a) => [a.key, a.atMs, a.sinceMs]), [
    ["BTCUSD", T0 + 299_000, T0],
  ]);

  h.at(300);
  const repeat = await h.evaluator.evaluate();
  assert.deepEqual(repeat.map((a) => [a.key, a.state, a.sinceMs]), [["BTCUSD", "firing", T0]]);

  h.at(330);
  h.state.snap = snapshot(T0);
  const resolved = await h.evaluator.evaluate();
  assert.equal(resolved.length, 1);
  assert.equal(resolved[0]!.state, "resolved");
  assert.equal(resolved[0]!.severity, "CRITICAL");
  assert.equal(
    resolved[0]!.message,
    "Resolved after 330 s: IPC channel data_manager_BTCUSD_KRAKEN for BTCUSD disconnected " +
      "(writer stale)",
  );
  assert.deepEqual(h.evaluator.active(), []);

  h.at(360);
  assert.deepEqual(await h.evaluator.evaluate(), []);
  assert.equal(h.recorder.alerts.length, 3);
  const counts = h.evaluator.counts();
  assert.deepEqual(counts.fired, { ipc_disconnected: 2 });
  assert.deepEqual(counts.resolved, { ipc_disconnected: 1 });
  assert.equal(counts.rounds, 6);
});

Deno.test("AlertEvaluator dispatches a condition that returns after resolving at once", async () => {
  const h = harness({ cooldownSecs: 300 });
  h.state.snap = DOWN;
  await h.evaluator.evaluate();
  h.at(30);
  h.state.snap = snapshot(T0);
  await h.evaluator.evaluate();
  h.at(60);
  h.state.snap = DOWN;
  const again = await h.evaluator.evaluate();
  assert.deepEqual(again.map((a) => [a.state, a.sinceMs]), [["firing", T0 + 60_000]]);
});

Deno.test("AlertEvaluator with cooldown 0 dispatches a firing alert every round", async () => {
  const h = harness({ cooldownSecs: 0 });
  h.state.snap = DOWN;
  for (let round = 0; round < 3; round++) {
    h.at(round * 30);
    assert.equal((await h.evaluator.evaluate()).length, 1);
  }
});

Deno.test("AlertEvaluator when disabled neither snapshots nor dispatches, and start() schedules nothing", async () => {
  const h = harness({ enabled: false });
  h.state.snap = DOWN;
  h.evaluator.start(); // a leaked interval would fail this test's sanitizer
  assert.deepEqual(await h.evaluator.evaluate(), []);
  assert.equal(h.snapshots(), 0);
  assert.equal(h.evaluator.counts().rounds, 0);
  assert.deepEqual(h.recorder.alerts, []);
  await h.evaluator.stop();
});

Deno.test("AlertEvaluator counts and logs a throwing or rejecting handler and still feeds the others", async () => {
  const lines: string[] = [];
  const logger = createLogger({
    level: "info",
    format: "json",
    service: "test",
    sink: (line) => lines.push(line),
  });
  const throwing: AlertHandler = {
    name: "throws",
    handle() {
      throw new Error("Boom");
    },
  };
  const rejecting: AlertHandler = {
    name: "rejects",
    handle: () => Promise.reject(new Error("Webhook down")),
  };
  const recorder = new RecordingHandler();
  const evaluator = new AlertEvaluator({
    config: alertingConfig(),
    snapshot: () => DOWN,
    handlers: [throwing, rejecting, recorder],
    logger,
    now: () => T0,
  });
  const sent = await evaluator.evaluate();
  assert.equal(sent.length, 1);
  assert.equal(recorder.alerts.length, 1);
  const counts = evaluator.counts();
  assert.equal(counts.handlerFailures, 2);
  assert.deepEqual(counts.handlerFailuresByName, { throws: 1, rejects: 1 });
  assert.deepEqual(counts.fired, { ipc_disconnected: 1 });
  const failures = lines.map((line) => JSON.parse(line)).filter((r) =>
    r.msg === "Alert handler failed"
  );
  assert.deepEqual(failures.map((r) => [r.level, r.handler, r.rule, r.key]), [
    ["warn", "throws", "ipc_disconnected", "BTCUSD"],
    ["warn", "rejects", "ipc_disconnected", "BTCUSD"],
  ]);
});

Deno.test("AlertEvaluator keeps a failing rule's alerts and still runs the other rules", async () => {
  let fail = false;
  const flaky: AlertRule = {
    name: "flaky",
    severity: "WARNING",
    evaluate() {
      if (fail) throw new Error("Rule broke");
      return [{ key: "x", message: "Flaky fired" }, { key: "x", message: "Duplicate key" }];
    },
  };
  const steady: AlertRule = {
    name: "steady",
    severity: "INFO",
    evaluate: () => [{ key: "y", message: "Steady fired", value: 1, threshold: 0 }],
  };
  const h = harness({ rules: [flaky, steady], cooldownSecs: 0 });
  const first = await h.evaluator.evaluate();
  assert.deepEqual(first.map((a) => [a.rule, a.key, a.message]), [
    ["flaky", "x", "Flaky fired"],
    ["steady", "y", "Steady fired"],
  ]);
  fail = true;
  h.at(30);
  const second = await h.evaluator.evaluate();
  assert.deepEqual(second.map((a) => [a.rule, a.state]), [["steady", "firing"]]);
  assert.deepEqual(h.evaluator.active().map((a) => a.rule), ["flaky", "steady"]);
  assert.equal(h.evaluator.counts().ruleErrors, 1);
});

Deno.test("AlertEvaluator skips a round whose snapshot throws and counts it", async () => {
  const evaluator = new AlertEvaluator({
    config: alertingConfig(),
    snapshot: (): TraderSnapshot => {
      throw new Error("Not ready");
    },
    handlers: [],
    logger: createNullLogger(),
  });
  assert.deepEqual(await evaluator.evaluate(), []);
  assert.equal(evaluator.counts().snapshotErrors, 1);
});

Deno.test("AlertEvaluator diffs counters against the previous round's snapshot", async () => {
  const h = harness({ cooldownSecs: 0 });
  h.state.snap = snapshot(T0, { channels: [channel("BTCUSD", { lost: 10 })] });
  assert.deepEqual((await h.evaluator.evaluate()).map((a) => [a.rule, a.value]), [
    ["reader_overrun", 10],
  ]);
  h.at(30);
  const resolved = await h.evaluator.evaluate(); // no new losses: the overrun resolves
  assert.deepEqual(resolved.map((a) => [a.rule, a.state]), [["reader_overrun", "resolved"]]);
});

Deno.test("active() lists the most severe alerts first", async () => {
  const h = harness();
  h.state.snap = snapshot(T0, {
    channels: [
      channel("ETHUSD", { utilisationPct: 95 }),
      channel("BTCUSD", { connected: false }),
    ],
    queueUtilisationPct: 90,
  });
  await h.evaluator.evaluate();
  assert.deepEqual(h.evaluator.active().map((a) => [a.severity, a.rule, a.key]), [
    ["CRITICAL", "ipc_disconnected", "BTCUSD"],
    ["WARNING", "channel_backpressure", "ETHUSD"],
    ["WARNING", "channel_backpressure", "queue"],
  ]);
});

Deno.test("evaluate() calls made together run one after the other", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const events: string[] = [];
  const evaluator = new AlertEvaluator({
    config: alertingConfig({ cooldown_secs: 0 }),
    snapshot: () => {
      events.push("snapshot");
      return DOWN;
    },
    handlers: [{
      name: "slow",
      handle: async () => {
        events.push("handle");
        await gate;
        events.push("handled");
      },
    }],
    logger: createNullLogger(),
    now: () => T0,
  });
  const first = evaluator.evaluate();
  const second = evaluator.evaluate();
  await Promise.resolve();
  release();
  await Promise.all([first, second]);
  assert.deepEqual(events, ["snapshot", "handle", "handled", "snapshot", "handle", "handled"]);
});

Deno.test("start() evaluates every interval_secs and stop() clears the timer", async () => {
  const recorder = new RecordingHandler();
  const evaluator = new AlertEvaluator({
    config: alertingConfig({ interval_secs: 1 }),
    snapshot: () => DOWN,
    handlers: [recorder],
    logger: createNullLogger(),
  });
  evaluator.start();
  evaluator.start(); // idempotent: a second timer would leak past stop()
  const deadline = Date.now() + 20_000;
  while (recorder.alerts.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await evaluator.stop();
  assert.equal(recorder.alerts[0]?.rule, "ipc_disconnected");
  assert.ok(evaluator.counts().rounds >= 1);
});
