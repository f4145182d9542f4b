/** Long-running child processes for end-to-end tests: output captured as it comes, waits with deadlines. */
import { ROOT } from "./_run_script.ts";

/** A running `deno run -A <script>` whose stdout and stderr are collected while it runs. */
export class ChildProcess {
  readonly #child: Deno.ChildProcess;
  readonly #done: Promise<[void, void]>;
  stdout = "";
  stderr = "";

  constructor(script: string, args: string[], env: Record<string, string>) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--allow-all", `${ROOT}${script}`, ...args],
      cwd: ROOT,
      env: { NO_COLOR: "1", ...env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#done = Promise.all([
      collect(this.#child.stdout, (text) => this.stdout += text),
      collect(this.#child.stderr, (text) => this.stderr += text),
    ]);
  }

  get pid(): number {
    return this.#child.pid;
  }

  kill(signal: Deno.Signal): void {
    try {
      this.#child.kill(signal);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // already exited
    }
  }

  /** Waits for exit (killing it with SIGKILL after `timeoutMs`); returns the exit code. */
  async exit(timeoutMs = 30_000): Promise<number> {
    const timer = setTimeout(() => this.kill("SIGKILL"), timeoutMs);
    try {
      const status = await this.#child.status;
      await this.#done;
      return status.code;
    } finally {
      clearTimeout(timer);
    }
  }
}

async function collect(stream: ReadableStream<Uint8Array>, add: (text: string) => void) {
  const decoder = new TextDecoder();
  for await (const chunk of stream) add(decoder.decode(chunk, { stream: true }));
}

/** Polls `check` every 100 ms until it returns a value other than undefined/false. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const handedOut = new Set<number>();

/** A port nothing listens on right now, never the same twice in one process. */
export function freePort(): number {
  for (;;) {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

/** One Prometheus sample's value (labels as written, e.g. `{symbol="BTCUSD"}`), or undefined. */
export function metricValue(text: string, name: string, labels = ""): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name}${labels} `)) {
      return Number(line.slice(name.length + labels.length + 1));
    }
  }
  return undefined;
}
