/**
 * The control socket's line protocol, without any I/O: the error types, request parsing, reply
 * formatting and parsing, and a splitter that cuts a byte stream into bounded lines.
 * @module
 */
import { validateSymbol } from "@shared/domain/mod.ts";

/** Longest request line in bytes, not counting its "\n". */
export const MAX_LINE_BYTES = 1024;
/** Longest reply line a client accepts (LIST can be long), not counting its "\n". */
export const MAX_REPLY_BYTES = 1 << 20;

/** Why a request failed, as the wire spells it. */
export type ControlCode =
  | "BAD_REQUEST" // unknown verb, missing or extra argument, line too long, not UTF-8
  | "UNKNOWN_SYMBOL" // not a valid canonical symbol
  | "NOT_SUBSCRIBED" // a valid symbol this instance does not stream
  | "NOT_OPEN" // UNSUBSCRIBE of a symbol this connection has not subscribed
  | "INTERNAL"; // the handler threw something unexpected

const CODES: ReadonlySet<string> = new Set<ControlCode>([
  "BAD_REQUEST",
  "UNKNOWN_SYMBOL",
  "NOT_SUBSCRIBED",
  "NOT_OPEN",
  "INTERNAL",
]);

/** A refused request; handlers throw it to answer `ERR <code> <message>`. */
export class ControlFailure extends Error {
  readonly code: ControlCode;

  constructor(code: ControlCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ControlFailure";
    this.code = code;
  }
}

/** What a client call can fail with: the server's code, or TIMEOUT / UNREACHABLE on the client side. */
export type ControlErrorCode = ControlCode | "TIMEOUT" | "UNREACHABLE";

/** A failed client call (see {@linkcode ControlErrorCode}). */
export class ControlError extends Error {
  readonly code: ControlErrorCode;

  constructor(code: ControlErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ControlError";
    this.code = code;
  }
}

/** One parsed request line. */
export type ControlRequest =
  | { verb: "SUBSCRIBE" | "UNSUBSCRIBE"; symbol: string }
  | { verb: "LIST" | "PING" };

const ARITY: Readonly<Record<string, number>> = { SUBSCRIBE: 1, UNSUBSCRIBE: 1, LIST: 0, PING: 0 };

/** Parses one request line (without "\n"); throws ControlFailure BAD_REQUEST or UNKNOWN_SYMBOL. */
export function parseRequest(line: string): ControlRequest {
  const words = line.trim().split(/ +/);
  const verb = words[0] ?? "";
  const arity = ARITY[verb];
  if (verb === "") throw new ControlFailure("BAD_REQUEST", "Empty request");
  if (arity === undefined) {
    throw new ControlFailure(
      "BAD_REQUEST",
      `Unknown verb ${JSON.stringify(verb)}: expected SUBSCRIBE, UNSUBSCRIBE, LIST or PING`,
    );
  }
  if (words.length - 1 !== arity) {
    const what = arity === 0 ? "no argument" : "one symbol";
    throw new ControlFailure(
      "BAD_REQUEST",
      `${verb} takes ${what}, got ${words.length - 1} argument(s)`,
    );
  }
  if (verb === "LIST" || verb === "PING") return { verb };
  const symbol = words[1] ?? "";
  try {
    validateSymbol(symbol);
  } catch (error) {
    throw new ControlFailure("UNKNOWN_SYMBOL", (error as Error).message);
  }
  return { verb: verb as "SUBSCRIBE" | "UNSUBSCRIBE", symbol };
}

/** Makes any text safe for one reply line (no CR or LF). */
export function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}

/** Formats `ERR <code> <message>`. */
export function formatError(code: ControlCode, message: string): string {
  return `ERR ${code} ${oneLine(message)}`;
}

/** Serializes LIST's payload on one line; bigints become decimal strings, undefined becomes null. */
export function listJson(value: unknown): string {
  const json = JSON.stringify(
    value,
    (_key, item) => typeof item === "bigint" ? item.toString() : item,
  );
  return json ?? "null";
}

/** A reply line, parsed. */
export interface ControlReply {
  ok: boolean;
  /** Set when `ok` is false. */
  code?: ControlCode;
  /** What follows `OK ` or the error code; the whole line for `PONG <pid>`. */
  text: string;
}

/** Parses one reply line; undefined when it is not a reply this protocol defines. */
export function parseReply(line: string): ControlReply | undefined {
  if (line === "OK") return { ok: true, text: "" };
  if (line.startsWith("OK ")) return { ok: true, text: line.slice(3) };
  if (/^PONG \d+$/.test(line)) return { ok: true, text: line };
  const match = /^ERR ([A-Z_]+)(?: (.*))?$/.exec(line);
  if (match === null || !CODES.has(match[1] ?? "")) return undefined;
  return { ok: false, code: match[1] as ControlCode, text: match[2] ?? "" };
}

/** What {@linkcode LineSplitter.push} found: a full line, a line that was not UTF-8, or an overflow. */
export type LineEvent =
  | { kind: "line"; line: string }
  | { kind: "not_utf8" }
  | { kind: "too_long" };

/**
 * Cuts a byte stream into "\n"-terminated lines of at most `maxBytes` bytes (a trailing "\r" is
 * dropped). An overflow is reported as soon as it is seen, so a peer cannot make us buffer more.
 */
export class LineSplitter {
  readonly maxBytes: number;
  #buffer: Uint8Array;
  #length = 0;
  #decoder = new TextDecoder("utf-8", { fatal: true });

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
    this.#buffer = new Uint8Array(Math.min(maxBytes + 1, 4096));
  }

  /** Bytes received that do not yet end a line. */
  get pending(): number {
    return this.#length;
  }

  /** Adds received bytes and returns every event they complete, in order. */
  push(chunk: Uint8Array): LineEvent[] {
    const events: LineEvent[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      if (!this.#append(chunk.subarray(start, end))) {
        events.push({ kind: "too_long" });
        return events;
      }
      if (newline === -1) break;
      events.push(this.#take());
      start = newline + 1;
    }
    return events;
  }

  #append(bytes: Uint8Array): boolean {
    const needed = this.#length + bytes.length;
    if (needed > this.maxBytes) {
      // Only a "\r" may pass the limit, since it goes with the "\n" that must come next
      const last = bytes.length > 0 ? bytes[bytes.length - 1] : this.#buffer[this.#length - 1];
      if (needed > this.maxBytes + 1 || last !== 0x0d) return false;
    }
    if (needed > this.#buffer.length) {
      const grown = new Uint8Array(
        Math.min(Math.max(needed, this.#buffer.length * 2), this.maxBytes + 1),
      );
      grown.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = grown;
    }
    this.#buffer.set(bytes, this.#length);
    this.#length = needed;
    return true;
  }

  #take(): LineEvent {
    let length = this.#length;
    this.#length = 0;
    if (length > 0 && this.#buffer[length - 1] === 0x0d) length--;
    try {
      return { kind: "line", line: this.#decoder.decode(this.#buffer.subarray(0, length)) };
    } catch {
      return { kind: "not_utf8" };
    }
  }
}

const encoder = new TextEncoder();

export async function writeLine(conn: Deno.Conn, line: string): Promise<void> {
  const bytes = encoder.encode(`${line}\n`);
  for (let written = 0; written < bytes.length;) {
    written += await conn.write(bytes.subarray(written));
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function closeQuietly(resource: { close(): void }): void {
  try {
    resource.close();
  } catch {
    // Already closed
  }
}
