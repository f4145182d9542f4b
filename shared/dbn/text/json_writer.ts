/**
 * A streaming JSON builder with the two layouts of the `json-writer` crate that Databento uses:
 * compact (`{"a":1,"b":[2]}`) and pretty (newline before every entry, four-space indent,
 * `": "` after keys, empty containers as `{}` / `[]`).
 * @module
 */
import { jsonString } from "./escape.ts";

const INDENT = "    ";

/** Builds one JSON value; keys and values must be written in output order. */
export class JsonWriter {
  #out = "";
  #empty: boolean[] = [];
  readonly #pretty: boolean;

  /** `pretty` selects the indented layout (Databento's `should_pretty_print`). */
  constructor(pretty = false) {
    this.#pretty = pretty;
  }

  /** Opens an object, as a value of the pending key or array slot. */
  beginObject(): this {
    this.#out += "{";
    this.#empty.push(true);
    return this;
  }

  /** Closes the innermost object. */
  endObject(): this {
    return this.#close("}");
  }

  /** Opens an array, as a value of the pending key or array slot. */
  beginArray(): this {
    this.#out += "[";
    this.#empty.push(true);
    return this;
  }

  /** Closes the innermost array. */
  endArray(): this {
    return this.#close("]");
  }

  /** Writes an object key; the next call writes its value. */
  key(name: string): this {
    this.#separate();
    this.#out += jsonString(name) + (this.#pretty ? ": " : ":");
    return this;
  }

  /** Starts the next array element; the next call writes it. */
  item(): this {
    this.#separate();
    return this;
  }

  /** Writes a string value. */
  string(value: string): this {
    this.#out += jsonString(value);
    return this;
  }

  /** Writes a raw JSON fragment: a number, `true`, `false`, `null`, or pre-escaped text. */
  raw(fragment: string): this {
    this.#out += fragment;
    return this;
  }

  /** Writes `"name":"value"` (or `null` when `value` is null). */
  field(name: string, value: string | null): this {
    this.key(name);
    return value === null ? this.raw("null") : this.string(value);
  }

  /** Returns the text written so far. */
  toString(): string {
    return this.#out;
  }

  #separate(): void {
    const depth = this.#empty.length;
    const first = this.#empty[depth - 1] ?? true;
    if (depth > 0) this.#empty[depth - 1] = false;
    if (this.#pretty) this.#out += (first ? "\n" : ",\n") + INDENT.repeat(depth);
    else if (!first) this.#out += ",";
  }

  #close(bracket: string): this {
    const empty = this.#empty.pop();
    if (empty === undefined) throw new RangeError(`Cannot close "${bracket}": nothing is open`);
    if (this.#pretty && !empty) this.#out += "\n" + INDENT.repeat(this.#empty.length);
    this.#out += bracket;
    return this;
  }
}
