/**
 * Byte-exact escaping as Databento's encoders do it: JSON strings as the `json-writer` crate
 * writes them, single `c_char` bytes as Rust's `std::ascii::escape_default`, and CSV fields as
 * the `csv` crate's default writer quotes them.
 * @module
 */

const HEX = "0123456789ABCDEF";
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "/": "\\/",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};
/** Quotes and escapes a JSON string: \u00XX (upper-case hex) for controls, "/" as "\/". */
export function jsonString(value: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x20 && code !== 0x22 && code !== 0x5c && code !== 0x2f) continue;
    const c = value[i]!;
    out += value.slice(from, i) +
      (SHORT_ESCAPES[c] ?? `\\u00${HEX[code >> 4]}${HEX[code & 15]}`);
    from = i + 1;
  }
  return `${out}${value.slice(from)}"`;
}

/** Escapes one byte like Rust's `std::ascii::escape_default` (\t \r \n \' \" \\ \xNN). */
export function asciiEscape(byte: number): string {
  switch (byte) {
    case 0x09:
      return "\\t";
    case 0x0d:
      return "\\r";
    case 0x0a:
      return "\\n";
    case 0x27:
      return "\\'";
    case 0x22:
      return '\\"';
    case 0x5c:
      return "\\\\";
  }
  if (byte >= 0x20 && byte < 0x7f) return String.fromCharCode(byte);
  return `\\x${byte.toString(16).padStart(2, "0")}`;
}

/** Quotes a CSV field when it holds the delimiter, a double quote, CR or LF (quotes doubled). */
export function csvField(value: string, delimiter = ","): string {
  const needsQuotes = value.includes(delimiter) || value.includes('"') || value.includes("\n") ||
    value.includes("\r");
  return needsQuotes ? `"${value.replaceAll('"', '""')}"` : value;
}
