import assert from "node:assert/strict";
import { createLogger, type LoggerOptions } from "./logger.ts";

const FIXED = new Date("2026-11-21T10:00:00.123Z");

function capture(options: Partial<LoggerOptions> = {}) {
  const lines: string[] = [];
  const logger = createLogger({
    level: "info",
    format: "json",
    service: "ingest",
    sink: (line) => lines.push(line),
    clock: () => FIXED,
    ...options,
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

Deno.test("json lines carry ts, level, service, msg and fields, one object per line", () => {
  const { logger, lines, records } = capture();
  logger.info("Connected", { url: "wss://ws.kraken.com/v2", attempts: 3 });
  assert.equal(lines.length, 1);
  assert.ok(!lines[0]!.includes("\n"));
  assert.deepEqual(records()[0], {
    ts: "2026-11-21T10:00:00.123Z",
    level: "info",
    service: "ingest",
    msg: "Connected",
    url: "wss://ws.kraken.com/v2",
    attempts: 3,
  });
  assert.ok(lines[0]!.startsWith('{"ts":"2026-11-21T10:00:00.123Z","level":"info"'));
});

Deno.test("events below the level are dropped without touching their fields", () => {
  const { logger, records } = capture({ level: "warn" });
  const fields = {
    get expensive(): string {
      throw new Error("fields of a dropped event must not be read");
    },
  };
  logger.trace("t", fields);
  logger.debug("d", fields);
  logger.info("i", fields);
  logger.warn("w");
  logger.error("e");
  assert.deepEqual(records().map((r) => r.level), ["warn", "error"]);
  assert.equal(logger.isEnabled("info"), false);
  assert.equal(logger.isEnabled("error"), true);
});

Deno.test("trace level writes every level", () => {
  const { logger, records } = capture({ level: "trace" });
  for (const level of ["trace", "debug", "info", "warn", "error"] as const) logger[level](level);
  assert.deepEqual(records().map((r) => r.msg), ["trace", "debug", "info", "warn", "error"]);
});

Deno.test("child() merges its fields into every line and call fields win", () => {
  const { logger, records } = capture({ fields: { pid: 7 } });
  const kraken = logger.child({ component: "kraken", symbol: "BTCUSD" });
  const nested = kraken.child({ channel: "trade" });
  nested.info("Subscribed", { symbol: "ETHUSD" });
  logger.info("Parent unchanged");
  const [first, second] = records();
  assert.equal(first!.component, "kraken");
  assert.equal(first!.channel, "trade");
  assert.equal(first!.symbol, "ETHUSD");
  assert.equal(first!.pid, 7);
  assert.equal(second!.component, undefined);
  assert.equal(second!.pid, 7);
});

Deno.test("fields cannot overwrite ts, level, service or msg", () => {
  const { logger, records } = capture();
  logger.info("Real", { msg: "forged", level: "error" });
  const record = records()[0]!;
  assert.equal(record.msg, "Real");
  assert.equal(record.level, "info");
  assert.equal(record._msg, "forged");
  assert.equal(record._level, "error");
});

Deno.test("pretty format writes one readable line with the component before the message", () => {
  const { logger, lines } = capture({ format: "pretty" });
  logger.child({ component: "kraken" }).info("Connected", {
    url: "wss://ws.kraken.com/v2",
    attempts: 3,
    ok: true,
    size: 12n,
  });
  logger.warn("Line\nbreak", { note: "a\nb" });
  assert.equal(
    lines[0],
    '2026-11-21T10:00:00.123Z INFO  ingest kraken: Connected url="wss://ws.kraken.com/v2" ' +
      "attempts=3 ok=true size=12",
  );
  assert.equal(lines[1], '2026-11-21T10:00:00.123Z WARN  ingest: Line\\nbreak note="a\\nb"');
});

Deno.test("secret-named fields are written as *** at any depth", () => {
  const { logger, lines, records } = capture();
  logger.info("Config", {
    apiKey: "k-123",
    api_secret: "s-456",
    venue: { name: "kraken", password: "hunter2", auth: { token: "t-789" } },
    headers: [{ Authorization: "Bearer x" }],
    signature: "sig",
  });
  const record = records()[0]!;
  assert.equal(record.apiKey, "***");
  assert.equal(record.api_secret, "***");
  assert.deepEqual(record.venue, { name: "kraken", password: "***", auth: { token: "***" } });
  assert.deepEqual(record.headers, [{ Authorization: "***" }]);
  assert.equal(record.signature, "***");
  for (const secret of ["k-123", "s-456", "hunter2", "t-789", "Bearer x", 'sig"']) {
    assert.ok(!lines[0]!.includes(secret), `line leaks ${secret}`);
  }
});

Deno.test("bigint fields are written as decimal strings in json", () => {
  const { logger, records } = capture();
  logger.info("Tick", { price: 9_223_372_036_854_775_807n, nested: { tsEvent: 1n } });
  const record = records()[0]!;
  assert.equal(record.price, "9223372036854775807");
  assert.deepEqual(record.nested, { tsEvent: "1" });
});

Deno.test("errors are written as name and message, with the stack only at debug", () => {
  class VenueError extends Error {
    override name = "VenueError";
    code = "transient";
  }
  const info = capture();
  info.logger.error("Failed", { error: new VenueError("Socket closed") });
  assert.deepEqual(info.records()[0]!.error, {
    name: "VenueError",
    message: "Socket closed",
    code: "transient",
  });

  const debug = capture({ level: "debug" });
  debug.logger.error("Failed", { error: new TypeError("Bad", { cause: new Error("Root") }) });
  const error = debug.records()[0]!.error as Record<string, unknown>;
  assert.equal(error.name, "TypeError");
  assert.match(String(error.stack), /logger_test\.ts/);
  assert.equal((error.cause as Record<string, unknown>).message, "Root");
});

Deno.test("awkward values still give one parseable line", () => {
  const { logger, records } = capture();
  const cycle: Record<string, unknown> = { name: "a" };
  cycle.self = cycle;
  logger.info("Odd", {
    cycle,
    when: new Date("2026-01-02T03:04:05Z"),
    nan: Number.NaN,
    map: new Map([["BTCUSD", 1]]),
    set: new Set([1, 2]),
    bytes: new Uint8Array(4),
    missing: undefined,
    fn: () => 1,
    ["__proto__"]: "kept",
  });
  const record = records()[0]!;
  assert.deepEqual(record.cycle, { name: "a", self: "[Circular]" });
  assert.equal(record.when, "2026-01-02T03:04:05.000Z");
  assert.equal(record.nan, "NaN");
  assert.deepEqual(record.map, { BTCUSD: 1 });
  assert.deepEqual(record.set, [1, 2]);
  assert.equal(record.bytes, "[Uint8Array 4 bytes]");
  assert.ok(!("missing" in record) && !("fn" in record));
  assert.equal(Object.getOwnPropertyDescriptor(record, "__proto__")?.value, "kept");
});
