import assert from "node:assert/strict";
import { IpcError } from "./ipc_error.ts";
import { controlSocketPath, namespaceDir, REGISTRY_NAME, segmentPath } from "./names.ts";
import { type Registration, Registry, REGISTRY_SLOT_BYTES, REGISTRY_SLOTS } from "./registry.ts";
import { emptyRegistry, REGISTRY_BYTES, slotOffset } from "./_registry_layout.ts";
import { openShm, type ShmSegment } from "./shm.ts";
import { testWithNamespace } from "./testing.ts";
import { FLIP_A, FLIP_B } from "../../tests/ipc/registry_child.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CHILD = `${ROOT}tests/ipc/registry_child.ts`;
const BASE = { provider: "databento", exchange: "KRAKEN", symbols: ["BTCUSD", "ETHUSD"] };

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function isIpcError(code: string, pattern?: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof IpcError, String(error));
    assert.equal(error.code, code, error.message);
    assert.ok(!error.message.includes("\n"), error.message);
    if (pattern !== undefined) assert.match(error.message, pattern);
    return true;
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns something other than undefined, failing after `timeoutMs`. */
async function waitFor<T>(
  what: string,
  check: () => T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await delay(10);
  }
}

/** A raw view of one slot, through a mapping of our own. */
function rawSlot(segment: ShmSegment, slot: number): DataView {
  return new DataView(segment.buffer, slotOffset(slot), REGISTRY_SLOT_BYTES);
}

function text(view: DataView, offset: number, width: number): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset + offset, width);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(bytes.subarray(0, end < 0 ? width : end));
}

/** A registry child process with its output lines collected as they come. */
class Child {
  readonly process: Deno.ChildProcess;
  readonly lines: string[] = [];
  stderr = "";
  #stdin: WritableStreamDefaultWriter<Uint8Array>;
  #done: Promise<unknown>;
  #stdinClosed = false;

  constructor(args: string[]) {
    this.process = new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--config", `${ROOT}deno.json`, "--allow-all", CHILD, ...args],
      env: { NO_COLOR: "1" },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#stdin = this.process.stdin.getWriter();
    let pending = "";
    this.#done = Promise.all([
      this.#collect(this.process.stdout, (chunk) => {
        pending += chunk;
        for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n")) {
          this.lines.push(pending.slice(0, end));
          pending = pending.slice(end + 1);
        }
      }),
      this.#collect(this.process.stderr, (chunk) => this.stderr += chunk),
    ]);
  }

  async #collect(
    stream: ReadableStream<Uint8Array>,
    onText: (text: string) => void,
  ): Promise<void> {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) onText(chunk);
  }

  /** The first output line starting with `prefix`, waiting for it. */
  line(prefix: string): Promise<string> {
    return waitFor(`"${prefix}" from child ${this.process.pid} (stderr: ${this.stderr})`, () => {
      return this.lines.find((line) => line.startsWith(prefix));
    });
  }

  async send(line: string): Promise<void> {
    await this.#stdin.write(new TextEncoder().encode(`${line}\n`));
  }

  async closeStdin(): Promise<void> {
    if (this.#stdinClosed) return;
    this.#stdinClosed = true;
    await this.#stdin.close().catch(() => {});
  }

  kill(): void {
    try {
      this.process.kill("SIGKILL");
    } catch {
      // already exited
    }
  }

  /** Closes stdin and waits for the exit and the end of the output. */
  async finish(): Promise<Deno.CommandStatus> {
    await this.closeStdin();
    const status = await this.process.status;
    await this.#done;
    return status;
  }
}

/** Runs `body` with the children it spawns killed and reaped afterwards, whatever happens. */
async function withChildren(
  body: (spawn: (args: string[]) => Child) => Promise<void>,
): Promise<void> {
  const children: Child[] = [];
  try {
    await body((args) => {
      const child = new Child(args);
      children.push(child);
      return child;
    });
  } finally {
    for (const child of children) child.kill();
    for (const child of children) await child.finish();
  }
}

testWithNamespace(
  "the registry file is a 64-byte header and 64 slots of 432 bytes, mode 0600",
  async (ns) => {
    assert.equal(REGISTRY_SLOTS, 64);
    assert.equal(REGISTRY_SLOT_BYTES, 432);
    assert.equal(REGISTRY_BYTES, 27_712);
    const registry = Registry.open(ns);
    assert.deepEqual(registry.list(), []);
    assert.equal(exists(namespaceDir(ns)), false, "reading a missing registry creates nothing");
    const before = BigInt(Date.now()) * 1_000_000n;
    const registration = await registry.register({ ...BASE, instanceId: "east-1" });
    const after = BigInt(Date.now() + 1) * 1_000_000n;
    const path = segmentPath(ns, REGISTRY_NAME);
    assert.equal(registration.slot, 0);
    assert.equal(Deno.statSync(path).size, 27_712);
    assert.equal(Deno.statSync(path).mode! & 0o777, 0o600);
    assert.deepEqual([...Deno.readDirSync(namespaceDir(ns))].map((entry) => entry.name), [
      REGISTRY_NAME,
    ]);
    const bytes = Deno.readFileSync(path);
    const header = new DataView(bytes.buffer, 0, 64);
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 8)), "DMREGIST");
    assert.deepEqual([1, 64, 432].map((_, i) => header.getUint32(8 + 4 * i, true)), [1, 64, 432]);
    assert.ok(bytes.subarray(20, 64).every((byte) => byte === 0));
    const segment = openShm(ns, REGISTRY_NAME);
    try {
      const slot = rawSlot(segment, 0);
      assert.equal(slot.getUint32(0, true) % 2, 0, "seqlock even after the write");
      assert.ok(slot.getUint32(0, true) > 0);
      assert.equal(slot.getUint32(4, true), 1);
      assert.equal(slot.getUint32(8, true), Deno.pid);
      assert.equal(slot.getUint32(12, true), 0);
      const heartbeat = slot.getBigUint64(16, true);
      assert.ok(heartbeat >= before && heartbeat <= after, `${before} <= ${heartbeat} <= ${after}`);
      assert.equal(slot.getBigUint64(24, true), heartbeat);
      assert.equal(text(slot, 32, 32), "east-1");
      assert.equal(text(slot, 64, 16), "databento");
      assert.equal(text(slot, 80, 16), "KRAKEN");
      assert.equal(text(slot, 96, 48), "data_manager_east-1__");
      assert.equal(slot.getUint16(144, true), 2);
      assert.equal(text(slot, 148, 284), "BTCUSD,ETHUSD");
      assert.ok(
        new Uint8Array(segment.buffer, slotOffset(1), 63 * 432).every((byte) => byte === 0),
      );
      await registration.deregister();
      assert.equal(slot.getUint32(0, true) % 2, 0);
      assert.ok(new Uint8Array(segment.buffer, slotOffset(0) + 4, 428).every((byte) => byte === 0));
    } finally {
      segment.close();
      registry.close();
    }
  },
);

testWithNamespace(
  "register() fills list() and findSymbol() returns live running entries, freshest first",
  async (ns) => {
    const t0 = Date.now();
    const older = Registry.open(ns, { now: () => t0 });
    const newer = Registry.open(ns, { now: () => t0 + 1000 });
    const reader = Registry.open(ns, { now: () => t0 + 2000 });
    const a = await older.register({ ...BASE });
    const b = await newer.register({
      ...BASE,
      instanceId: "alt",
      provider: "kraken",
      symbols: ["BTCUSD"],
    });
    try {
      const entries = reader.list();
      assert.deepEqual(entries.map((entry) => [entry.slot, entry.instanceId]), [[0, undefined], [
        1,
        "alt",
      ]]);
      const [first, second] = entries;
      assert.equal(first!.channelPrefix, "data_manager_");
      assert.equal(first!.controlSocket, controlSocketPath(ns, undefined));
      assert.deepEqual(first!.symbols, ["BTCUSD", "ETHUSD"]);
      assert.equal(first!.symbolsTruncated, false);
      assert.equal(first!.provider, "databento");
      assert.equal(first!.exchange, "KRAKEN");
      assert.equal(first!.pid, Deno.pid);
      assert.equal(first!.status, "running");
      assert.equal(first!.stale, false);
      assert.equal(first!.ageMs, 2000);
      assert.equal(first!.heartbeatNs, BigInt(t0) * 1_000_000n);
      assert.equal(second!.channelPrefix, "data_manager_alt__");
      assert.equal(second!.controlSocket, controlSocketPath(ns, "alt"));
      assert.equal(second!.provider, "kraken");
      assert.equal(second!.ageMs, 1000);
      assert.deepEqual(reader.findSymbol("BTCUSD").map((entry) => entry.instanceId), [
        "alt",
        undefined,
      ]);
      assert.deepEqual(reader.findSymbol("ETHUSD").map((entry) => entry.instanceId), [undefined]);
      assert.deepEqual(reader.findSymbol("XRPUSD"), []);
      assert.throws(() => reader.findSymbol("btc/usd"), isIpcError("invalid_name"));
      b.markStopping();
      assert.equal(reader.list()[1]!.status, "stopping");
      assert.deepEqual(reader.findSymbol("BTCUSD").map((entry) => entry.instanceId), [undefined]);
    } finally {
      await a.deregister();
      await b.deregister();
      for (const registry of [older, newer, reader]) registry.close();
    }
  },
);

testWithNamespace(
  "a live slot with the same instance id (or the same lack of one) is refused as busy",
  async (ns) => {
    const first = Registry.open(ns);
    const second = Registry.open(ns);
    const held: Registration[] = [];
    try {
      held.push(await first.register({ ...BASE, instanceId: "x" }));
      await assert.rejects(
        second.register({ ...BASE, instanceId: "x" }),
        isIpcError("busy", /"x".*pid \d+/),
      );
      held.push(await second.register({ ...BASE }));
      await assert.rejects(first.register({ ...BASE }), isIpcError("busy", /with no id/));
      held.push(await second.register({ ...BASE, instanceId: "y" }));
      assert.deepEqual(first.list().map((entry) => entry.instanceId), ["x", undefined, "y"]);
    } finally {
      for (const registration of held) await registration.deregister();
      first.close();
      second.close();
    }
  },
);

testWithNamespace(
  "register() reclaims every stale slot first (staleAfterSecs with an injected clock)",
  async (ns) => {
    const live = Registry.open(ns);
    const later = Registry.open(ns, { staleAfterSecs: 30, now: () => Date.now() + 31_000 });
    const x = await live.register({ ...BASE, instanceId: "x" });
    const y = await live.register({ ...BASE, instanceId: "y" });
    try {
      assert.deepEqual(live.list().map((entry) => entry.stale), [false, false]);
      const seen = later.list();
      assert.deepEqual(seen.map((entry) => entry.stale), [true, true]);
      assert.ok(seen[0]!.ageMs >= 31_000);
      assert.deepEqual(later.findSymbol("BTCUSD"), []);
      const z = await later.register({ ...BASE, instanceId: "x", symbols: ["XRPUSD"] });
      assert.equal(z.slot, 0);
      assert.deepEqual(later.list().map((entry) => [entry.instanceId, entry.symbols]), [["x", [
        "XRPUSD",
      ]]]);
      assert.throws(() => x.heartbeat(), isIpcError("not_found", /reclaimed/));
      assert.equal(x.lost, true);
      assert.throws(() => y.updateSymbols(["BTCUSD"]), isIpcError("not_found"));
      await x.deregister();
      await y.deregister();
      assert.equal(
        later.list().length,
        1,
        "a lost registration's deregister leaves the new owner alone",
      );
      await z.deregister();
      assert.deepEqual(later.list(), []);
    } finally {
      live.close();
      later.close();
    }
  },
);

testWithNamespace("deregister() frees the slot and closes the registration", async (ns) => {
  const registry = Registry.open(ns);
  try {
    const registration = await registry.register({ ...BASE, instanceId: "x" });
    assert.equal(registry.list().length, 1);
    await registration.deregister();
    assert.deepEqual(registry.list(), []);
    assert.throws(() => registration.heartbeat(), isIpcError("closed"));
    assert.throws(() => registration.updateSymbols(["BTCUSD"]), isIpcError("closed"));
    await registration.deregister();
    const again = await registry.register({ ...BASE, instanceId: "x" });
    assert.equal(again.slot, 0);
    await again.deregister();
  } finally {
    registry.close();
  }
});

testWithNamespace("a file of another layout, size or magic is refused in one line", (ns) => {
  const path = segmentPath(ns, REGISTRY_NAME);
  Deno.mkdirSync(namespaceDir(ns));
  const cases: [string, Uint8Array, string, RegExp][] = [];
  const valid = emptyRegistry();
  cases.push(["shorter than the header", valid.slice(0, 10), "truncated", /10 bytes/]);
  cases.push(["cut inside the slots", valid.slice(0, 1000), "truncated", /1000 bytes/]);
  const magic = valid.slice();
  magic.set(new TextEncoder().encode("DMCHANNL"));
  cases.push(["another magic", magic, "layout", /not a registry/]);
  const version = valid.slice();
  new DataView(version.buffer).setUint32(8, 2, true);
  cases.push(["version 2", version, "layout", /version 2/]);
  const slotBytes = valid.slice();
  new DataView(slotBytes.buffer).setUint32(16, 400, true);
  cases.push(["400-byte slots", slotBytes, "layout", /400 bytes/]);
  const longer = new Uint8Array(REGISTRY_BYTES + 8);
  longer.set(valid);
  cases.push(["longer", longer, "layout", /27720 bytes/]);
  for (const [label, bytes, code, pattern] of cases) {
    Deno.writeFileSync(path, bytes);
    assert.throws(() => Registry.open(ns), isIpcError(code, pattern), label);
    assert.throws(
      () => Registry.open(ns),
      (error: unknown) => (error as Error).message.includes(path),
      label,
    );
  }
  Deno.writeFileSync(path, valid);
  Registry.open(ns).close();
});

testWithNamespace(
  "invalid names and options are refused before any file or folder is created",
  async (ns) => {
    const registry = Registry.open(ns);
    const bad: [Partial<typeof BASE> & { instanceId?: string; heartbeatSecs?: number }, string][] =
      [
        [{ instanceId: "../x" }, "invalid_name"],
        [{ instanceId: "a__b" }, "invalid_name"],
        [{ instanceId: "" }, "invalid_name"],
        [{ instanceId: "x".repeat(33) }, "invalid_name"],
        [{ provider: "" }, "invalid_name"],
        [{ provider: "a/b" }, "invalid_name"],
        [{ exchange: "kraken" }, "invalid_name"],
        [{ symbols: ["BTCUSD", "btc/usd"] }, "invalid_name"],
        [{ symbols: ["../ETC"] }, "invalid_name"],
      ];
    for (const [options, code] of bad) {
      await assert.rejects(
        registry.register({ ...BASE, ...options }),
        isIpcError(code),
        JSON.stringify(options),
      );
    }
    for (const heartbeatSecs of [0, -1, Number.NaN, 30, 31]) {
      await assert.rejects(registry.register({ ...BASE, heartbeatSecs }), RangeError);
    }
    assert.throws(() => Registry.open("../x"), isIpcError("invalid_name"));
    assert.throws(() => Registry.open(ns, { staleAfterSecs: 0 }), RangeError);
    assert.equal(exists(namespaceDir(ns)), false, "the namespace folder was created");
    registry.close();
  },
);

testWithNamespace(
  "64 live slots fill the registry; the 65th register() is busy until one leaves",
  async (ns) => {
    const registry = Registry.open(ns);
    const held: Registration[] = [];
    try {
      for (let i = 0; i < 64; i++) {
        held.push(
          await registry.register({ ...BASE, instanceId: `i${i}` }),
        );
      }
      assert.deepEqual(held.map((registration) => registration.slot), [...Array(64).keys()]);
      await assert.rejects(
        registry.register({ ...BASE, instanceId: "extra" }),
        isIpcError("busy", /full/),
      );
      await held.splice(17, 1)[0]!.deregister();
      const extra = await registry.register({ ...BASE, instanceId: "extra" });
      held.push(extra);
      assert.equal(extra.slot, 17);
      assert.equal(registry.list().length, 64);
    } finally {
      for (const registration of held) await registration.deregister();
      registry.close();
    }
  },
);

testWithNamespace(
  "symbols that do not fit 284 bytes are cut at a symbol and flagged truncated",
  async (ns) => {
    const registry = Registry.open(ns);
    const symbols = Array.from({ length: 40 }, (_, i) => `S${String(i).padStart(19, "0")}`);
    const registration = await registry.register({ ...BASE, symbols });
    try {
      const [entry] = registry.list();
      assert.equal(entry!.symbolsTruncated, true);
      assert.deepEqual(entry!.symbols, symbols.slice(0, 13)); // 13 * 21 - 1 = 272 bytes, 14 would be 293
      const segment = openShm(ns, REGISTRY_NAME);
      assert.equal(rawSlot(segment, 0).getUint16(144, true), 40);
      assert.equal(rawSlot(segment, 0).getUint32(12, true), 1);
      segment.close();
      registration.updateSymbols(["XRPUSD"]);
      const [updated] = registry.list();
      assert.equal(updated!.symbolsTruncated, false);
      assert.deepEqual(updated!.symbols, ["XRPUSD"]);
      assert.deepEqual(registry.findSymbol("XRPUSD").map((found) => found.slot), [0]);
      assert.throws(
        () => registration.updateSymbols(["XRPUSD", "bad one"]),
        isIpcError("invalid_name"),
      );
      assert.deepEqual(registry.list()[0]!.symbols, ["XRPUSD"]);
    } finally {
      await registration.deregister();
      registry.close();
    }
  },
);

testWithNamespace(
  "a slot held odd by a writer is skipped, then taken over once its heartbeat is stale",
  async (ns) => {
    const registry = Registry.open(ns);
    const registration = await registry.register({ ...BASE, instanceId: "x" });
    const segment = openShm(ns, REGISTRY_NAME);
    const words = new Uint32Array(segment.buffer, slotOffset(0), 1);
    const held: Registration[] = [registration];
    try {
      const even = Atomics.load(words, 0);
      Atomics.store(words, 0, even + 1);
      assert.deepEqual(registry.list(), [], "a half-written slot is not listed");
      assert.throws(() => registration.heartbeat(), isIpcError("busy"));
      assert.throws(() => registration.updateSymbols(["XRPUSD"]), isIpcError("busy"));
      held.push(await registry.register({ ...BASE, instanceId: "y" }));
      assert.equal(held[1]!.slot, 1, "a live half-written slot stays taken");
      Atomics.store(words, 0, even);
      assert.deepEqual(registry.list().map((entry) => entry.instanceId), ["x", "y"]);
      Atomics.store(words, 0, even + 1);
      const later = Registry.open(ns, { now: () => Date.now() + 60_000 });
      held.push(await later.register({ ...BASE, instanceId: "z" }));
      assert.equal(held[2]!.slot, 0, "a stale half-written slot (its writer died) is reclaimed");
      assert.equal(Atomics.load(words, 0) % 2, 0);
      assert.deepEqual(later.list().map((entry) => entry.instanceId), ["z"]);
      later.close();
    } finally {
      for (const each of held) await each.deregister();
      segment.close();
      registry.close();
    }
  },
);

testWithNamespace("the heartbeat timer refreshes the slot every heartbeatSecs", async (ns) => {
  const registry = Registry.open(ns, { staleAfterSecs: 1 });
  const registration = await registry.register({ ...BASE, heartbeatSecs: 0.05 });
  try {
    const first = registry.list()[0]!.heartbeatNs;
    await waitFor("a newer heartbeat", () => registry.list()[0]!.heartbeatNs > first || undefined);
    registry.close();
    assert.throws(() => registration.heartbeat(), isIpcError("closed"));
  } finally {
    await registration.deregister();
    registry.close();
  }
});

testWithNamespace(
  "8 processes registering at once get distinct slots and all appear in list()",
  async (ns) => {
    await withChildren(async (spawn) => {
      const children = Array.from({ length: 8 }, (_, i) => spawn(["race", ns, `proc-${i}`]));
      for (const child of children) await child.line("ready");
      await Promise.all(children.map((child) => child.send("go")));
      const slots = await Promise.all(
        children.map(async (child) => Number((await child.line("registered ")).split(" ")[1])),
      );
      assert.equal(new Set(slots).size, 8, `slots ${slots}`);
      const registry = Registry.open(ns);
      const entries = registry.list();
      assert.deepEqual(
        entries.map((entry) => entry.instanceId).sort(),
        children.map((_, i) => `proc-${i}`).sort(),
      );
      for (const [i, child] of children.entries()) {
        const entry = entries.find((each) => each.instanceId === `proc-${i}`)!;
        assert.equal(entry.pid, child.process.pid);
        assert.equal(entry.slot, slots[i]);
      }
      for (const child of children) await child.closeStdin();
      for (const child of children) assert.equal((await child.finish()).code, 0, child.stderr);
      assert.deepEqual(registry.list(), []);
      registry.close();
    });
  },
);

testWithNamespace(
  "a process killed while holding the registry lock does not block a later register()",
  async (ns) => {
    await withChildren(async (spawn) => {
      const child = spawn(["hold-lock", ns]);
      await child.line("locked");
      const probe = openShm(ns, REGISTRY_NAME);
      assert.equal(probe.tryLock(), false, "the child holds the lock");
      child.kill();
      await child.finish();
      const registry = Registry.open(ns);
      const registration = await registry.register({ ...BASE, instanceId: "after" });
      assert.deepEqual(registry.list().map((entry) => entry.instanceId), ["after"]);
      await registration.deregister();
      probe.close();
      registry.close();
    });
  },
);

testWithNamespace(
  "a process killed without deregistering goes stale and its slot is reclaimed",
  async (ns) => {
    await withChildren(async (spawn) => {
      const child = spawn(["hang", ns, "crashy", "0.1"]);
      const slot = Number((await child.line("registered ")).split(" ")[1]);
      const registry = Registry.open(ns, { staleAfterSecs: 1 });
      const first = registry.list()[0]!;
      assert.equal(first.pid, child.process.pid);
      await waitFor(
        "a heartbeat from the child",
        () => registry.list()[0]!.heartbeatNs > first.heartbeatNs || undefined,
      );
      await assert.rejects(
        registry.register({ ...BASE, instanceId: "crashy", heartbeatSecs: 0.1 }),
        isIpcError("busy"),
      );
      child.kill();
      await child.finish();
      await waitFor(
        "the dead child's slot to go stale",
        () => registry.list()[0]!.stale || undefined,
      );
      const registration = await registry.register({
        ...BASE,
        instanceId: "crashy",
        heartbeatSecs: 0.1,
      });
      assert.equal(registration.slot, slot);
      assert.deepEqual(registry.list().map((entry) => [entry.instanceId, entry.pid]), [[
        "crashy",
        Deno.pid,
      ]]);
      await registration.deregister();
      registry.close();
    });
  },
);

testWithNamespace(
  "the heartbeat timer is unref'd: a process that registers and returns exits",
  async (ns) => {
    await withChildren(async (spawn) => {
      const child = spawn(["exit", ns, "brief", "0.1"]);
      await child.line("registered ");
      const exited = await Promise.race([
        child.process.status,
        delay(30_000).then(() => undefined),
      ]);
      assert.ok(
        exited !== undefined,
        "the child kept running: its heartbeat timer holds the event loop",
      );
      assert.equal(exited.code, 0, child.stderr);
      const registry = Registry.open(ns);
      assert.deepEqual(registry.list().map((entry) => [entry.instanceId, entry.pid]), [[
        "brief",
        child.process.pid,
      ]]);
      registry.close();
    });
  },
);

testWithNamespace("readers never see a torn slot while another process rewrites it", async (ns) => {
  await withChildren(async (spawn) => {
    const child = spawn(["flip", ns, "flipper"]);
    await child.line("registered ");
    const registry = Registry.open(ns);
    const seen = { a: 0, b: 0 };
    await waitFor("both symbol lists, many times", () => {
      for (let i = 0; i < 200; i++) {
        const [entry] = registry.list();
        if (entry === undefined) continue; // a reader may give up on a busy slot, never read it torn
        assert.equal(entry.instanceId, "flipper");
        const symbols = entry.symbols.join(",");
        if (symbols === FLIP_A.join(",")) seen.a++;
        else if (symbols === FLIP_B.join(",")) seen.b++;
        else assert.fail(`Torn read: ${symbols}`);
      }
      return seen.a >= 500 && seen.b >= 500 ? true : undefined;
    });
    await child.closeStdin();
    assert.equal((await child.finish()).code, 0, child.stderr);
    assert.match(child.lines.join("\n"), /flips \d+/);
    registry.close();
  });
});
