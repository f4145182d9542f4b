import { ConfigError } from "./config_error.ts";
import type { SchemaIssue } from "./_schema.ts";

/** Where a value came from: a TOML file, a `.env` file or the environment. */
export interface Origin {
  /** Leads every message about the value, e.g. `config/test.toml`. */
  label: string;
  file?: string;
  envVar?: string;
}

/** The one-line {@linkcode ConfigError} for a schema issue found in a value from `origin`. */
export function issueToError(issue: SchemaIssue, origin: Origin): ConfigError {
  const code = issue.missing ? "CONFIG_MISSING" : "CONFIG_INVALID";
  return new ConfigError(code, `${origin.label}: ${issue.message}`, {
    file: origin.file,
    envVar: origin.envVar,
    key: issue.path,
    expected: issue.expected,
    cause: issue,
  });
}
