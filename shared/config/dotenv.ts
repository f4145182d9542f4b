import { ConfigError } from "./config_error.ts";

const NAME_REGEXP = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

/**
 * Parses a `.env` file: `KEY=VALUE` lines, an optional `export ` prefix, `#` comments, blank
 * lines, and single- or double-quoted values (double quotes understand `\n`, `\t`, `\"`, `\\`).
 * A later line wins over an earlier one. `file` is only used in error messages.
 *
 * @throws {ConfigError} `CONFIG_PARSE` naming the file and line; the line itself is not echoed,
 * since it may hold a secret.
 */
export function parseDotenv(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const fail = (why: string): never => {
      throw new ConfigError("CONFIG_PARSE", `${file}:${index + 1}: ${why} (expected KEY=VALUE)`, {
        file,
        line: index + 1,
      });
    };
    let line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    if (line.startsWith("export ")) line = line.slice("export ".length).trimStart();
    const eq = line.indexOf("=");
    if (eq < 0) fail('missing "="');
    const name = line.slice(0, eq).trim();
    if (!NAME_REGEXP.test(name)) fail("invalid variable name");
    const rest = line.slice(eq + 1).trimStart();
    const { value, after } = rest.startsWith('"')
      ? readDoubleQuoted(rest) ?? fail("unterminated double quote")
      : rest.startsWith("'")
      ? readSingleQuoted(rest) ?? fail("unterminated single quote")
      : { value: stripComment(rest), after: "" };
    if (after.trim() !== "" && !after.trim().startsWith("#")) fail("text after the closing quote");
    out[name] = value;
  });
  return out;
}

function readDoubleQuoted(rest: string): { value: string; after: string } | undefined {
  let value = "";
  for (let i = 1; i < rest.length; i++) {
    const ch = rest[i]!;
    if (ch === '"') return { value, after: rest.slice(i + 1) };
    if (ch === "\\" && i + 1 < rest.length) {
      const next = rest[i + 1]!;
      value += ESCAPES[next] ?? `\\${next}`;
      i++;
    } else {
      value += ch;
    }
  }
  return undefined;
}

function readSingleQuoted(rest: string): { value: string; after: string } | undefined {
  const end = rest.indexOf("'", 1);
  return end < 0 ? undefined : { value: rest.slice(1, end), after: rest.slice(end + 1) };
}

/** An unquoted value ends at ` #` (a `#` right after other text is part of the value). */
function stripComment(rest: string): string {
  const match = /\s#/.exec(rest);
  return (match ? rest.slice(0, match.index) : rest).trim();
}
