import assert from "node:assert/strict";
import { type AnySchema, type CheckContext, type Infer, SchemaIssue } from "./_schema.ts";
import { bool, decimal, int, num, oneOf, str, url } from "./_schema_scalars.ts";
import { arr, obj, record } from "./_schema_tables.ts";

function context(runMode = "development"): CheckContext & { unknown: string[] } {
  const unknown: string[] = [];
  return { runMode, unknown, unknownKey: (path) => unknown.push(path) };
}

function issue(schema: AnySchema, raw: unknown): SchemaIssue {
  try {
    schema.parse(raw, "k", context());
  } catch (e) {
    assert.ok(e instanceof SchemaIssue);
    return e;
  }
  throw new assert.AssertionError({ message: `expected ${String(raw)} to be rejected` });
}

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true
  : false;

Deno.test("obj() infers required, optional and defaulted keys from the schema", () => {
  const schema = obj({
    name: str(),
    url: url({ protocols: ["https:"] }).optional(),
    size: int({ min: 1 }).default(10),
    mode: oneOf(["a", "b"] as const).default("a"),
    tags: arr(str()).default([]),
    nested: obj({ on: bool().default(false) }),
    free: record(num()).default({}),
  });
  type Config = Infer<typeof schema>;
  const typed: Equals<Config, {
    name: string;
    size: number;
    mode: "a" | "b";
    tags: string[];
    nested: { on: boolean };
    free: Record<string, number>;
    url?: string | undefined;
  }> = true;
  assert.ok(typed);
  assert.deepEqual(schema.parse({ name: "x" }, "", context()), {
    name: "x",
    size: 10,
    mode: "a",
    tags: [],
    nested: { on: false },
    free: {},
  });
});

Deno.test("obj() reports unknown keys to the context with their full path", () => {
  const ctx = context();
  obj({ inner: obj({ a: int() }) }).parse({ inner: { a: 1n, b: 2n }, c: 3n }, "root", ctx);
  assert.deepEqual(ctx.unknown.toSorted(), ["root.c", "root.inner.b"]);
});

Deno.test("a default may be computed from the run mode", () => {
  const schema = obj({
    format: oneOf(["pretty", "json"] as const)
      .default((ctx) => ctx.runMode === "production" ? "json" : "pretty"),
  });
  assert.equal(schema.parse({}, "", context("production")).format, "json");
  assert.equal(schema.parse({}, "", context("test")).format, "pretty");
});

Deno.test("int() takes TOML integers and integral numbers within range, nothing else", () => {
  const schema = int({ min: 1, max: 10 });
  assert.equal(schema.parse(5n, "k", context()), 5);
  assert.equal(schema.parse(5, "k", context()), 5);
  assert.equal(issue(schema, 1.5).message, "k: expected an integer between 1 and 10, got 1.5");
  assert.equal(issue(schema, 0n).message, "k: expected an integer between 1 and 10, got 0");
  assert.equal(issue(schema, "5").message, 'k: expected an integer between 1 and 10, got "5"');
  assert.match(issue(int(), 2n ** 60n).message, /expected an integer, got 1152921504606846976/);
  assert.equal(
    issue(schema, undefined).message,
    "k: expected an integer between 1 and 10, missing",
  );
});

Deno.test("fromEnv converts strings by type and rejects what does not fit", () => {
  assert.equal(int().fromEnv!("-12", "k"), -12n);
  assert.throws(() => int().fromEnv!("12.5", "k"), SchemaIssue);
  assert.equal(num().fromEnv!("1e-3", "k"), 0.001);
  assert.throws(() => num().fromEnv!("NaN", "k"), SchemaIssue);
  assert.equal(bool().fromEnv!("False", "k"), false);
  assert.equal(bool().fromEnv!("1", "k"), true);
  assert.throws(() => bool().fromEnv!("on", "k"), /expected a boolean \(true or false\), got "on"/);
  assert.deepEqual(arr(int()).fromEnv!("1, 2,,3", "k"), [1n, 2n, 3n]);
  assert.equal(arr(obj({ a: int() })).fromEnv, undefined);
  assert.equal(str().fromEnv!(" kept as is ", "k"), " kept as is ");
});

Deno.test("num() rejects NaN and infinities from TOML", () => {
  assert.match(issue(num(), NaN).message, /expected a number, got NaN/);
  assert.match(issue(num(), Infinity).message, /got Infinity/);
});

Deno.test("decimal() keeps amounts exact and rejects non-decimal text", () => {
  const schema = decimal({ min: "0" });
  assert.equal(schema.parse("100000.00", "k", context()), "100000");
  assert.equal(schema.parse(" 0.1 ", "k", context()), "0.1");
  assert.equal(schema.parse(12345678901234567890n, "k", context()), "12345678901234567890");
  assert.equal(schema.parse(0.1, "k", context()), "0.1");
  for (const bad of ["1e5", "0x10", "", "1,000", true]) issue(schema, bad);
  assert.match(issue(schema, "-1").message, /expected a decimal amount >= 0 /);
});

Deno.test("url() requires an allowed scheme", () => {
  const schema = url({ protocols: ["postgres:", "postgresql:"] });
  assert.equal(schema.parse("postgres://h/db", "k", context()), "postgres://h/db");
  assert.match(
    issue(schema, "mysql://h/db").message,
    /starting with postgres:\/\/ or postgresql:\/\//,
  );
  issue(schema, "not a url");
});

Deno.test("arr() checks items with their index and can forbid repeats", () => {
  const schema = arr(str({ pattern: /^[A-Z]+$/, expected: "caps" }), {
    unique: true,
    minLength: 1,
  });
  assert.deepEqual(schema.parse(["A", "B"], "k", context()), ["A", "B"]);
  assert.equal(issue(schema, ["A", "b"]).path, "k[1]");
  assert.equal(issue(schema, ["A", "A"]).path, "k[1]");
  assert.equal(issue(schema, []).path, "k");
});

Deno.test("record() quotes keys that are not bare in paths", () => {
  const e = issue(record(str()), { "futures@CME": 1n });
  assert.equal(e.path, 'k."futures@CME"');
});

Deno.test("refine() adds a rule and its description", () => {
  const pow2 = int({ min: 1 }).refine((n) => (n & (n - 1)) === 0, "a power of two");
  assert.equal(pow2.parse(64n, "k", context()), 64);
  assert.equal(issue(pow2, 48n).message, "k: expected a power of two, got 48");
});
