/**
 * A small typed schema for configuration values (the core; builders are in
 * `_schema_scalars.ts` and `_schema_tables.ts`). The config's TypeScript type is inferred from
 * the schema (`Infer<typeof schema>`), so the shape is written down once.
 *
 * Raw values are what smol-toml produces with `integersAsBigInt: true` (integers as bigint,
 * floats as number) or what {@linkcode Schema.fromEnv} makes of an environment string.
 *
 * @module
 */
/** Whether an object key must be present, may be absent, or falls back to a default. */
export type Presence = "required" | "optional" | "default";

/** How a schema nests: env overrides can only set scalars and arrays of scalars. */
export type Kind = "scalar" | "array" | "object" | "record";

/** What a check needs besides the value: the run mode (for defaults) and an unknown-key sink. */
export interface CheckContext {
  readonly runMode: string;
  unknownKey(path: string): void;
}

/** A value that failed its schema: at `path`, `expected` was wanted and `got` was found. */
export class SchemaIssue extends Error {
  override readonly name = "SchemaIssue";
  readonly path: string;
  readonly expected: string;
  readonly got: unknown;
  readonly missing: boolean;

  constructor(path: string, expected: string, got: unknown, missing = false) {
    super(`${path}: expected ${expected}, ${missing ? "missing" : `got ${describeValue(got)}`}`);
    this.path = path;
    this.expected = expected;
    this.got = got;
    this.missing = missing;
  }
}

/** Any schema, whatever its value type. */
// deno-lint-ignore no-explicit-any
export type AnySchema = Schema<any, Presence>;
/** The fields of an `obj()` schema. */
export type Shape = Record<string, AnySchema>;
/** The value type a schema produces. */
export type Infer<S extends AnySchema> = S["_output"];
type Simplify<T> = { [K in keyof T]: T[K] };
type OptionalKeys<S extends Shape> = {
  [K in keyof S]: S[K]["presence"] extends "optional" ? K : never;
}[keyof S];
/** The value type of an `obj()` schema: optional fields become optional keys. */
export type ObjOutput<S extends Shape> = Simplify<
  & { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> }
  & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

/** How a {@linkcode Schema} checks values; builders fill it in. */
export interface SchemaDef<T> {
  kind: Kind;
  expected: string;
  check(raw: unknown, path: string, ctx: CheckContext): T;
  fromEnv?: (text: string, path: string) => unknown;
  shape?: Shape;
  element?: AnySchema;
}

type Fallback<T> = T | ((ctx: CheckContext) => T);

/** One node of a schema; build them with the builder functions, not with `new`. */
export class Schema<T, P extends Presence = "required"> {
  declare readonly _output: T;
  readonly presence: P;
  readonly kind: Kind;
  readonly expected: string;
  readonly shape: Shape | undefined;
  readonly element: AnySchema | undefined;
  /** Turns an environment string into a raw value; absent when the env cannot set this. */
  readonly fromEnv: ((text: string, path: string) => unknown) | undefined;
  readonly def: SchemaDef<T>;
  readonly fallback: Fallback<T> | undefined;

  constructor(def: SchemaDef<T>, presence: P, fallback?: Fallback<T>) {
    this.def = def;
    this.presence = presence;
    this.kind = def.kind;
    this.expected = def.expected;
    this.shape = def.shape;
    this.element = def.element;
    this.fromEnv = def.fromEnv;
    this.fallback = fallback;
  }

  /** Validates `raw` (undefined = absent) and returns the typed value. */
  parse(raw: unknown, path: string, ctx: CheckContext): T {
    if (raw === undefined) {
      if (this.presence === "optional") return undefined as T;
      if (this.presence === "default") {
        const fallback = this.fallback;
        return typeof fallback === "function"
          ? (fallback as (ctx: CheckContext) => T)(ctx)
          : structuredClone(fallback as T);
      }
      // A missing table is an empty one: its own defaults apply and its required keys complain.
      if (this.kind === "object" || this.kind === "record") return this.def.check({}, path, ctx);
      throw new SchemaIssue(path, this.expected, undefined, true);
    }
    return this.def.check(raw, path, ctx);
  }

  /** The key may be absent; the value is then `undefined`. */
  optional(): Schema<T | undefined, "optional"> {
    return new Schema<T | undefined, "optional">(this.def, "optional");
  }

  /** The key may be absent; the value is then `value` (or what it computes from the context). */
  default(value: Fallback<T>): Schema<T, "default"> {
    return new Schema(this.def, "default", value);
  }

  /** Adds a rule on the checked value; `expected` replaces the description. */
  refine(predicate: (value: T) => boolean, expected: string): Schema<T, P> {
    const inner = this.def;
    const def: SchemaDef<T> = {
      ...inner,
      expected,
      check(raw, path, ctx) {
        const value = inner.check(raw, path, ctx);
        if (!predicate(value)) throw new SchemaIssue(path, expected, raw);
        return value;
      },
    };
    return new Schema(def, this.presence, this.fallback);
  }
}

/** Joins a key onto a dotted path, quoting keys that are not bare TOML keys. */
export function joinPath(path: string, key: string): string {
  const part = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
  return path === "" ? part : `${path}.${part}`;
}

/** Describes a raw value for an error message: strings quoted, tables and arrays by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    return String(value);
  }
  if (value instanceof Date) return "a date-time";
  if (Array.isArray(value)) return "an array";
  if (value === null || value === undefined) return "nothing";
  return "a table";
}

/** A TOML table: a plain object, not an array or a date. */
export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Date);
}
