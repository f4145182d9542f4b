// Lines from a byte stream (stdin), one at a time: works with a terminal and with piped input,
// unlike prompt(). Returns null at the end of the input.

/** Reads "\n"-separated lines (a trailing "\r" dropped) from a byte stream. */
export class LineReader {
  readonly #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  #done = false;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** The next line without its newline, or null when the input has ended. */
  async readLine(): Promise<string | null> {
    for (;;) {
      const newline = this.#buffer.indexOf("\n");
      if (newline >= 0) {
        const line = this.#buffer.slice(0, newline);
        this.#buffer = this.#buffer.slice(newline + 1);
        return line.replace(/\r$/, "");
      }
      if (this.#done) {
        if (this.#buffer === "") return null;
        const last = this.#buffer;
        this.#buffer = "";
        return last.replace(/\r$/, "");
      }
      const { value, done } = await this.#reader.read();
      if (done) this.#done = true;
      else this.#buffer += value;
    }
  }

  /** Stops reading and releases the stream. */
  async close(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}
