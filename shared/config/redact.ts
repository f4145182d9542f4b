const SECRET_KEY_REGEXP = /api_?key|secret|password|passwd|token|credential/i;
const URL_PASSWORD_REGEXP = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@/?#\s]*@/i;

/** The mask that replaces a secret. */
export const REDACTED = "***";

/**
 * A deep copy of `config` fit to print: values of keys named like `*api_key*`, `*secret*`,
 * `*password*` or `*token*` become `"***"`, and so do passwords inside URLs
 * (`postgres://u:secret@h/db` -> `postgres://u:***@h/db`).
 */
export function redactConfig<T>(config: T): T {
  return redactValue(config, false) as T;
}

function redactValue(value: unknown, secretKey: boolean): unknown {
  if (secretKey && value !== undefined && value !== null && typeof value !== "object") {
    return REDACTED;
  }
  if (typeof value === "string") return value.replace(URL_PASSWORD_REGEXP, `$1${REDACTED}@`);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secretKey));
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map((
        [key, item],
      ) => [key, redactValue(item, secretKey || SECRET_KEY_REGEXP.test(key))]),
    );
  }
  return value;
}
