import { setOwn } from "./_set_own.ts";

/** Field names whose values are never written: they may hold credentials. */
export const SECRET_KEY_REGEXP =
  /secret|password|passwd|api_?key|private_?key|token|signature|authorization/i;

/** The text written in place of a secret value. */
export const REDACTED = "***";

const MAX_DEPTH = 16;

/** Returns true when a field with this name must be masked. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_REGEXP.test(key);
}

/**
 * Returns a deep copy of plain objects and arrays with every secret-named field replaced by "***".
 * Other values (class instances, Maps, Dates, ...) are kept as they are.
 */
export function redact<T>(value: T): T {
  return redactValue(value, [], 0) as T;
}

function redactValue(value: unknown, ancestors: unknown[], depth: number): unknown {
  if (value === null || typeof value !== "object") return value;
  if (ancestors.includes(value) || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    ancestors.push(value);
    const out = value.map((item) => redactValue(item, ancestors, depth + 1));
    ancestors.pop();
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  ancestors.push(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    setOwn(out, key, isSecretKey(key) ? REDACTED : redactValue(item, ancestors, depth + 1));
  }
  ancestors.pop();
  return out;
}
