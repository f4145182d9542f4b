/**
 * A second process for shared/ipc/control_test.ts. Modes:
 * - `ping <socket>`: prints `PONG <pid>` with the server's pid (or `ERR <code>` and exits 2)
 * - `hold <socket> <symbol>`: subscribes, prints `SUBSCRIBED <channel>`, then waits to be killed
 * - `serve <socket>`: serves a handler that streams BTCUSD, prints `READY <pid>`, then waits to be killed
 * @module
 */
import { ControlClient, ControlError, serveControl } from "../../shared/ipc/control.ts";

const encoder = new TextEncoder();

function say(line: string): void {
  Deno.stdout.writeSync(encoder.encode(`${line}\n`));
}

function waitForever(): void {
  setInterval(() => {}, 1 << 30);
}

const [mode, path, symbol] = Deno.args;
if (path === undefined) {
  throw new TypeError("Usage: control_child.ts ping|hold|serve <socket> [symbol]");
}

try {
  if (mode === "ping") {
    const client = await ControlClient.connect(path);
    say(`PONG ${await client.ping()}`);
    client.close();
  } else if (mode === "hold" && symbol !== undefined) {
    const client = await ControlClient.connect(path);
    say(`SUBSCRIBED ${await client.subscribe(symbol)}`);
    waitForever();
  } else if (mode === "serve") {
    await serveControl(path, {
      subscribe: (requested) => `child_${requested}`,
      unsubscribe: () => {},
      list: () => ["BTCUSD"],
    });
    say(`READY ${Deno.pid}`);
    waitForever();
  } else {
    throw new TypeError(`Unknown mode ${JSON.stringify(mode)}`);
  }
} catch (error) {
  say(error instanceof ControlError ? `ERR ${error.code}` : `ERR ${(error as Error).name}`);
  Deno.exit(2);
}
