/**
 * A second process for shared/ipc/registry_test.ts. Every mode prints one line per step. Modes:
 * - `race <ns> <id>`: prints `ready`, waits for a `go` line on stdin, registers, prints
 *   `registered <slot>`, waits for stdin to close, deregisters, prints `deregistered`
 * - `hold-lock <ns>`: takes the registry file's lock, prints `locked`, then waits to be killed
 * - `hang <ns> <id> <heartbeatSecs>`: registers, prints `registered <slot>`, then waits to be killed
 * - `exit <ns> <id> <heartbeatSecs>`: registers, prints `registered <slot>` and returns without
 *   deregistering (the process exits only if the heartbeat timer is unref'd)
 * - `flip <ns> <id>`: registers, prints `registered <slot>`, then rewrites its symbols between two
 *   lists until stdin closes, prints `flips <count>`
 * @module
 */
import { Registry } from "../../shared/ipc/registry.ts";
import { openShm } from "../../shared/ipc/shm.ts";
import { REGISTRY_NAME } from "../../shared/ipc/names.ts";

/** The two symbol lists of `flip`: a reader must always see exactly one of them. */
export const FLIP_A = ["AAAAAAAAAAAAAAAAAAAA", "BTCUSD"];
export const FLIP_B = ["ETHUSD", "XRPUSD", "SOLUSD", "ZZZZZZZZZZZZZZZZZZZZ", "ADAUSD"];

const encoder = new TextEncoder();

function say(line: string): void {
  Deno.stdout.writeSync(encoder.encode(`${line}\n`));
}

function waitForever(): void {
  setInterval(() => {}, 1 << 30);
}

/** Resolves with each stdin line (`onLine`) until stdin closes. */
async function readStdin(onLine: (line: string) => void): Promise<void> {
  let pending = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    pending += chunk;
    for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
      onLine(pending.slice(0, end));
      pending = pending.slice(end + 1);
    }
  }
}

function register(namespace: string, id: string, heartbeatSecs = 5, symbols = ["BTCUSD"]) {
  return Registry.open(namespace).register({
    instanceId: id,
    provider: "test",
    exchange: "KRAKEN",
    symbols,
    heartbeatSecs,
  });
}

if (import.meta.main) {
  const [mode, namespace, id, secs] = Deno.args;
  if (namespace === undefined) {
    throw new TypeError(
      "Usage: registry_child.ts race|hold-lock|hang|exit|flip <ns> [id] [heartbeatSecs]",
    );
  }
  if (mode === "race" && id !== undefined) {
    say("ready");
    let go: () => void = () => {};
    const started = new Promise<void>((resolve) => go = resolve);
    const closed = readStdin((line) => line === "go" && go());
    await started;
    const registration = await register(namespace, id);
    say(`registered ${registration.slot}`);
    await closed;
    await registration.deregister();
    say("deregistered");
  } else if (mode === "hold-lock") {
    await (await register(namespace, "creator")).deregister(); // creates the file
    const segment = openShm(namespace, REGISTRY_NAME);
    if (!segment.tryLock()) throw new Error("The registry lock is already held");
    say("locked");
    waitForever();
  } else if ((mode === "hang" || mode === "exit") && id !== undefined) {
    const registration = await register(namespace, id, Number(secs ?? 5));
    say(`registered ${registration.slot}`);
    if (mode === "hang") waitForever();
  } else if (mode === "flip" && id !== undefined) {
    const registration = await register(namespace, id, 5, FLIP_A);
    say(`registered ${registration.slot}`);
    let open = true;
    const closed = readStdin(() => {}).then(() => open = false);
    let flips = 0;
    while (open) {
      for (let i = 0; i < 1000; i++, flips++) {
        registration.updateSymbols(flips % 2 ? FLIP_A : FLIP_B);
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await closed;
    await registration.deregister();
    say(`flips ${flips}`);
  } else {
    throw new TypeError(`Unknown mode ${JSON.stringify(mode)}`);
  }
}
