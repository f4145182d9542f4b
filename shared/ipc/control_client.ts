/** The client side of the control socket: one connection, requests in order, typed errors. */
import {
  closeQuietly,
  ControlError,
  type ControlReply,
  describe,
  LineSplitter,
  MAX_REPLY_BYTES,
  parseReply,
  writeLine,
} from "./_control_protocol.ts";

/** Options for {@linkcode ControlClient.connect}. */
export interface ControlClientOptions {
  /** How long a reply may take before the call fails with TIMEOUT (default 2000). */
  timeoutMs?: number;
}

/** One connection to a control socket; requests go one at a time, replies come back in order. */
export class ControlClient {
  readonly path: string;
  readonly timeoutMs: number;
  #conn: Deno.Conn;
  #closed = false;
  #splitter = new LineSplitter(MAX_REPLY_BYTES);
  #lines: string[] = [];
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(path: string, conn: Deno.Conn, timeoutMs: number) {
    this.path = path;
    this.#conn = conn;
    this.timeoutMs = timeoutMs;
  }

  /** Connects; ControlError UNREACHABLE (naming the path) when nothing listens there. */
  static async connect(path: string, options: ControlClientOptions = {}): Promise<ControlClient> {
    try {
      return new ControlClient(
        path,
        await Deno.connect({ transport: "unix", path }),
        options.timeoutMs ?? 2000,
      );
    } catch (error) {
      const message = `Cannot reach control socket "${path}": ${describe(error)}`;
      throw new ControlError("UNREACHABLE", message, { cause: error });
    }
  }

  /** Sends one request line (no "\n") and returns its reply; a TIMEOUT closes the client. */
  request(line: string): Promise<ControlReply> {
    if (/[\r\n]/.test(line)) {
      return Promise.reject(new TypeError(`Cannot send ${JSON.stringify(line)}: it spans lines`));
    }
    const result = this.#queue.then(() => this.#exchange(line));
    this.#queue = result.catch(() => {});
    return result;
  }

  async #exchange(line: string): Promise<ControlReply> {
    if (this.#closed) {
      throw new ControlError("UNREACHABLE", `Control client of "${this.path}" is closed`);
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.close(); // fails the pending read or write; a late reply must not answer the next request
    }, this.timeoutMs);
    try {
      await writeLine(this.#conn, line);
      const text = await this.#readLine();
      const reply = parseReply(text);
      if (reply !== undefined) return reply;
      throw new ControlError(
        "INTERNAL",
        `Malformed reply from "${this.path}": ${JSON.stringify(text)}`,
      );
    } catch (error) {
      this.close();
      if (timedOut) {
        throw new ControlError(
          "TIMEOUT",
          `No reply from "${this.path}" to ${line} within ${this.timeoutMs} ms`,
        );
      }
      if (error instanceof ControlError) throw error;
      const message = `Lost control socket "${this.path}": ${describe(error)}`;
      throw new ControlError("UNREACHABLE", message, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  async #readLine(): Promise<string> {
    const buffer = new Uint8Array(4096);
    while (this.#lines.length === 0) {
      const count = await this.#conn.read(buffer);
      if (count === null) throw new Error("the server closed the connection");
      for (const event of this.#splitter.push(buffer.subarray(0, count))) {
        if (event.kind !== "line") {
          throw new ControlError("INTERNAL", `Malformed reply from "${this.path}": ${event.kind}`);
        }
        this.#lines.push(event.line);
      }
    }
    return this.#lines.shift()!;
  }

  async #expect(line: string): Promise<string> {
    const reply = await this.request(line);
    if (!reply.ok) throw new ControlError(reply.code ?? "INTERNAL", reply.text);
    return reply.text;
  }

  /** Subscribes and returns the channel name; ControlError with the server's code otherwise. */
  subscribe(symbol: string): Promise<string> {
    return this.#expect(`SUBSCRIBE ${symbol}`);
  }

  /** Drops this connection's subscription to `symbol`. */
  async unsubscribe(symbol: string): Promise<void> {
    await this.#expect(`UNSUBSCRIBE ${symbol}`);
  }

  /** The instance's LIST answer, parsed from JSON. */
  async list(): Promise<unknown> {
    const text = await this.#expect("LIST");
    try {
      return JSON.parse(text);
    } catch {
      throw new ControlError(
        "INTERNAL",
        `LIST reply from "${this.path}" is not JSON: ${text.slice(0, 80)}`,
      );
    }
  }

  /** The server's process id. */
  async ping(): Promise<number> {
    const text = await this.#expect("PING");
    const match = /^PONG (\d+)$/.exec(text);
    if (match === null) {
      throw new ControlError(
        "INTERNAL",
        `PING reply from "${this.path}" is ${JSON.stringify(text)}`,
      );
    }
    return Number(match[1]);
  }

  /** Closes the connection; later calls fail with UNREACHABLE. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeQuietly(this.#conn);
  }
}
