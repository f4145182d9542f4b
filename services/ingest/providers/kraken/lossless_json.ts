/**
 * Lossless JSON for Kraken WS v2 frames: every JSON number is replaced by its exact source text
 * (`0.10000000` stays "0.10000000", `13834774380200032777` keeps all its digits), because Kraken
 * sends prices and quantities as bare numbers whose trailing zeros the book checksum needs.
 *
 * Uses the `context.source` argument JSON.parse passes to a reviver (JSON.parse source text
 * access; V8 ships it, Deno 2.9 has it); where a runtime lacks it, a scanner quotes every number
 * outside strings before a plain JSON.parse.
 * @module
 */

type SourceReviver = (key: string, value: unknown, context?: { source?: string }) => unknown;
const parseWithReviver = JSON.parse as (text: string, reviver: SourceReviver) => unknown;

function keepSource(_key: string, value: unknown, context?: { source?: string }): unknown {
  return typeof value === "number" ? context?.source ?? String(value) : value;
}

/** True when this runtime's JSON.parse hands revivers the source text of primitives. */
export const HAS_SOURCE_TEXT: boolean = parseWithReviver("0.10", keepSource) === "0.10";

/**
 * Parses JSON text, turning every number into its exact source text (a string); throws
 * SyntaxError on invalid JSON.
 */
export function parseLossless(text: string): unknown {
  return HAS_SOURCE_TEXT ? parseWithReviver(text, keepSource) : parseQuoted(text);
}

/** The fallback: quote each number literal outside strings, then parse normally. */
export function parseQuoted(text: string): unknown {
  let out = "";
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) { // a string: skip to its closing quote
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) {
        i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      }
      i++;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < text.length && /[0-9eE.+-]/.test(text[end]!)) end++;
      const literal = text.slice(i, end);
      if (!isJsonNumber(literal)) {
        throw new SyntaxError(`Invalid number ${JSON.stringify(literal)}`);
      }
      out += `${text.slice(start, i)}"${literal}"`;
      start = i = end;
    } else {
      i++;
    }
  }
  return JSON.parse(out + text.slice(start));
}

const JSON_NUMBER_REGEXP = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** True when `text` is a JSON number literal. */
export function isJsonNumber(text: string): boolean {
  return JSON_NUMBER_REGEXP.test(text);
}

/**
 * A non-negative number's text as a plain decimal without exponent or sign ("1e-08" ->
 * "0.00000001", "0.10000000" unchanged); throws RangeError for anything else.
 */
export function plainDecimal(text: string): string {
  if (/^\d+(?:\.\d+)?$/.test(text)) return text;
  const match = /^(\d+)(?:\.(\d+))?[eE]([+-]?\d+)$/.exec(text);
  if (match === null || !isJsonNumber(text)) {
    throw new RangeError(`Invalid number ${JSON.stringify(text)}: expected a non-negative decimal`);
  }
  const digits = match[1]! + (match[2] ?? "");
  const exponent = Number(match[3]);
  if (Math.abs(exponent) > 64) throw new RangeError(`Invalid number ${JSON.stringify(text)}`);
  const point = match[1]!.length + exponent;
  if (point <= 0) return `0.${"0".repeat(-point)}${digits}`;
  const whole = point >= digits.length ? digits + "0".repeat(point - digits.length) : digits;
  const integer = whole.slice(0, point).replace(/^0+(?=\d)/, "");
  return point >= digits.length ? integer : `${integer}.${digits.slice(point)}`;
}
