/** Builders of nested schemas: arrays, tables with known keys, tables with free keys. */
import {
  type AnySchema,
  type Infer,
  isTable,
  joinPath,
  type ObjOutput,
  Schema,
  SchemaIssue,
  type Shape,
} from "./_schema.ts";

/** Options of {@linkcode arr}. */
export interface ArrOptions {
  minLength?: number;
  /** Rejects repeated elements (compared as JSON). */
  unique?: boolean;
}

/**
 * An array of `element`. From the environment, a comma-separated list (arrays of scalars only).
 */
export function arr<E extends AnySchema>(
  element: E,
  options: ArrOptions = {},
): Schema<Infer<E>[]> {
  const minLength = options.minLength ?? 0;
  const what = `an array${minLength > 0 ? ` of at least ${minLength}` : ""} of ${element.expected}`;
  const expected = options.unique ? `${what}, without repeats` : what;
  const fromEnv = element.kind === "scalar" && element.fromEnv
    ? (text: string, path: string) =>
      text.split(",").map((s) => s.trim()).filter((s) => s !== "").map((s, i) =>
        element.fromEnv!(s, `${path}[${i}]`)
      )
    : undefined;
  return new Schema<Infer<E>[], "required">({
    kind: "array",
    expected,
    element,
    fromEnv,
    check(raw, path, ctx) {
      if (!Array.isArray(raw) || raw.length < minLength) {
        throw new SchemaIssue(path, expected, raw);
      }
      const seen = new Set<string>();
      return raw.map((item, i) => {
        const itemPath = `${path}[${i}]`;
        const value = element.parse(item, itemPath, ctx);
        if (options.unique) {
          const key = JSON.stringify(value);
          if (seen.has(key)) throw new SchemaIssue(itemPath, `${expected} (repeated)`, item);
          seen.add(key);
        }
        return value;
      });
    },
  }, "required");
}

/** A table with known keys. An unknown key is reported to the context (a warning), not thrown. */
export function obj<S extends Shape>(shape: S): Schema<ObjOutput<S>> {
  const expected = "a table";
  return new Schema<ObjOutput<S>, "required">({
    kind: "object",
    expected,
    shape,
    check(raw, path, ctx) {
      if (!isTable(raw)) throw new SchemaIssue(path, expected, raw);
      for (const key of Object.keys(raw)) {
        if (!Object.hasOwn(shape, key)) ctx.unknownKey(joinPath(path, key));
      }
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(shape)) {
        const value = field.parse(raw[key], joinPath(path, key), ctx);
        if (value !== undefined) out[key] = value;
      }
      return out as ObjOutput<S>;
    },
  }, "required");
}

/** A table with free keys, every value checked by `value`. */
export function record<V extends AnySchema>(value: V): Schema<Record<string, Infer<V>>> {
  const expected = `a table of ${value.expected}`;
  return new Schema<Record<string, Infer<V>>, "required">({
    kind: "record",
    expected,
    element: value,
    check(raw, path, ctx) {
      if (!isTable(raw)) throw new SchemaIssue(path, expected, raw);
      const out: Record<string, Infer<V>> = {};
      for (const [key, item] of Object.entries(raw)) {
        out[key] = value.parse(item, joinPath(path, key), ctx);
      }
      return out;
    },
  }, "required");
}
