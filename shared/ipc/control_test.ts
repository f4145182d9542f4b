import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  ControlClient,
  ControlError,
  ControlFailure,
  type ControlHandler,
  serveControl,
} from "./control.ts";
import { LineSplitter, parseReply, parseRequest } from "./_control_protocol.ts";
import { IpcError } from "./ipc_error.ts";
import { channelName, controlSocketPath, namespaceDir } from "./names.ts";

const CHILD = fileURLToPath(new URL("../../tests/ipc/control_child.ts", import.meta.url));
const CONFIG = fileURLToPath(new URL("../../deno.json", import.meta.url));
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Generous: only a broken server misses it, so it never decides a passing run. */
const REPLY_DEADLINE_MS = 10_000;

/** Streams BTCUSD and ETHUSD; BOOMUSD makes it throw something unexpected. Counts open subscriptions. */
class FakeHandler implements ControlHandler {
  readonly open = new Map<string, number>();
  readonly calls: string[] = [];

  subscribe(symbol: string): Promise<string> {
    this.calls.push(`subscribe ${symbol}`);
    if (symbol === "BOOMUSD") return Promise.reject(new Error("disk on fire\nsecond line"));
    if (symbol !== "BTCUSD" && symbol !== "ETHUSD") {
      throw new ControlFailure("NOT_SUBSCRIBED", `"${symbol}" is not streamed here`);
    }
    this.open.set(symbol, (this.open.get(symbol) ?? 0) + 1);
    return Promise.resolve(channelName({ symbol, exchange: "KRAKEN", instanceId: "t1" }));
  }

  unsubscribe(symbol: string): void {
    this.calls.push(`unsubscribe ${symbol}`);
    const count = this.open.get(symbol) ?? 0;
    if (count <= 1) this.open.delete(symbol);
    else this.open.set(symbol, count - 1);
  }

  list(): unknown {
    return { symbols: [...this.open.keys()].sort(), heartbeatNs: 12n };
  }
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs `fn` with a fresh namespace dir and the socket path of instance "t1" in it; removes the dir. */
async function withSocket(fn: (path: string) => Promise<void>): Promise<void> {
  const namespace = `ipc_test_${crypto.randomUUID().slice(0, 8)}`;
  Deno.mkdirSync(namespaceDir(namespace), { recursive: true, mode: 0o700 });
  try {
    await fn(controlSocketPath(namespace, "t1"));
  } finally {
    Deno.removeSync(namespaceDir(namespace), { recursive: true });
  }
}

/** A raw connection for sending bytes the client would refuse to send. */
class Raw {
  #reader: LineSplitter = new LineSplitter(1 << 20);
  #lines: string[] = [];
  private constructor(readonly conn: Deno.Conn) {}

  static async open(path: string): Promise<Raw> {
    return new Raw(await Deno.connect({ transport: "unix", path }));
  }

  async send(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    for (let sent = 0; sent < bytes.length;) sent += await this.conn.write(bytes.subarray(sent));
  }

  /** The next reply line, or null at end of stream; a reply that never comes fails the test. */
  async line(): Promise<string | null> {
    const buffer = new Uint8Array(4096);
    const timer = setTimeout(() => this.conn.close(), REPLY_DEADLINE_MS);
    try {
      while (this.#lines.length === 0) {
        const count = await this.conn.read(buffer);
        if (count === null) return null;
        for (const event of this.#reader.push(buffer.subarray(0, count))) {
          assert.equal(event.kind, "line", "replies are UTF-8 lines");
          if (event.kind === "line") this.#lines.push(event.line);
        }
      }
    } finally {
      clearTimeout(timer);
    }
    return this.#lines.shift()!;
  }

  close(): void {
    this.conn.close();
  }
}

/** A child process running tests/ipc/control_child.ts, read line by line. */
class Child {
  readonly process: Deno.ChildProcess;
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #text = "";

  constructor(args: string[]) {
    this.process = new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--config", CONFIG, "--allow-all", CHILD, ...args],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#reader = this.process.stdout.getReader();
  }

  /** The child's next stdout line; a child that never prints one is killed and fails the test. */
  async line(): Promise<string> {
    const timer = setTimeout(() => this.#kill(), REPLY_DEADLINE_MS);
    try {
      while (!this.#text.includes("\n")) {
        const { value, done } = await this.#reader.read();
        if (done) throw new Error(`Child ended before a line (got ${JSON.stringify(this.#text)})`);
        this.#text += decoder.decode(value);
      }
    } finally {
      clearTimeout(timer);
    }
    const end = this.#text.indexOf("\n");
    const line = this.#text.slice(0, end);
    this.#text = this.#text.slice(end + 1);
    return line;
  }

  /** Kills the child (when still running) and waits for it and its stdout. */
  async stop(): Promise<Deno.CommandStatus> {
    this.#kill();
    const status = await this.process.status;
    await this.#reader.cancel();
    return status;
  }

  #kill(): void {
    try {
      this.process.kill("SIGKILL");
    } catch {
      // Already exited
    }
  }
}

Deno.test("parseRequest() accepts the four verbs and refuses everything else with a code", () => {
  assert.deepEqual(parseRequest("SUBSCRIBE BTCUSD"), { verb: "SUBSCRIBE", symbol: "BTCUSD" });
  assert.deepEqual(parseRequest("UNSUBSCRIBE ETHUSD"), { verb: "UNSUBSCRIBE", symbol: "ETHUSD" });
  assert.deepEqual(parseRequest("LIST"), { verb: "LIST" });
  assert.deepEqual(parseRequest(" PING "), { verb: "PING" });
  const code = (line: string) => {
    try {
      parseRequest(line);
    } catch (error) {
      return (error as ControlFailure).code;
    }
    return "accepted";
  };
  for (const line of ["", "ping", "HELLO", "SUBSCRIBE", "SUBSCRIBE A B", "LIST x", "PING 1"]) {
    assert.equal(code(line), "BAD_REQUEST", line);
  }
  for (const line of ["SUBSCRIBE btcusd", "UNSUBSCRIBE ../x", "SUBSCRIBE " + "A".repeat(40)]) {
    assert.equal(code(line), "UNKNOWN_SYMBOL", line);
  }
});

Deno.test("parseReply() reads OK, PONG and ERR lines and rejects anything else", () => {
  assert.deepEqual(parseReply("OK"), { ok: true, text: "" });
  assert.deepEqual(parseReply("OK data_manager_BTCUSD_KRAKEN"), {
    ok: true,
    text: "data_manager_BTCUSD_KRAKEN",
  });
  assert.deepEqual(parseReply("PONG 42"), { ok: true, text: "PONG 42" });
  assert.deepEqual(parseReply("ERR NOT_OPEN nope"), { ok: false, code: "NOT_OPEN", text: "nope" });
  for (const line of ["", "ok", "PONG", "ERR", "ERR WHAT x", "HELLO"]) {
    assert.equal(parseReply(line), undefined, line);
  }
});

Deno.test("LineSplitter joins chunks, drops CR, flags bad UTF-8 and overflows at once", () => {
  const splitter = new LineSplitter(8);
  assert.deepEqual(splitter.push(encoder.encode("PI")), []);
  assert.deepEqual(splitter.push(encoder.encode("NG\r\nLIST\n12345678\n")), [
    { kind: "line", line: "PING" },
    { kind: "line", line: "LIST" },
    { kind: "line", line: "12345678" },
  ]);
  assert.deepEqual(splitter.push(new Uint8Array([0xff, 0x0a])), [{ kind: "not_utf8" }]);
  assert.deepEqual(splitter.push(encoder.encode("123456789")), [{ kind: "too_long" }]);
  const crlf = new LineSplitter(8);
  assert.deepEqual(crlf.push(encoder.encode("12345678\r")), []);
  assert.deepEqual(crlf.push(encoder.encode("\n")), [{ kind: "line", line: "12345678" }]);
  assert.deepEqual(crlf.push(encoder.encode("12345678\rX")), [{ kind: "too_long" }]);
});

Deno.test("serveControl() answers every verb over a real socket", async () => {
  await withSocket(async (path) => {
    const handler = new FakeHandler();
    const server = await serveControl(path, handler);
    const client = await ControlClient.connect(path);
    try {
      assert.equal(await client.ping(), Deno.pid);
      assert.equal(await client.subscribe("BTCUSD"), "data_manager_t1__BTCUSD_KRAKEN");
      assert.deepEqual(await client.list(), { symbols: ["BTCUSD"], heartbeatNs: "12" });
      await client.unsubscribe("BTCUSD");
      assert.deepEqual(handler.calls, ["subscribe BTCUSD", "unsubscribe BTCUSD"]);
      assert.equal(handler.open.size, 0);
    } finally {
      client.close();
      await server.close();
    }
  });
});

Deno.test("serveControl() answers every error code, and the client throws ControlError with it", async () => {
  await withSocket(async (path) => {
    const handler = new FakeHandler();
    const server = await serveControl(path, handler);
    const client = await ControlClient.connect(path);
    try {
      const cases: [string, string][] = [
        ["FETCH BTCUSD", "BAD_REQUEST"],
        ["SUBSCRIBE", "BAD_REQUEST"],
        ["PING now", "BAD_REQUEST"],
        ["SUBSCRIBE btc/usd", "UNKNOWN_SYMBOL"],
        ["SUBSCRIBE DOGEUSD", "NOT_SUBSCRIBED"],
        ["UNSUBSCRIBE ETHUSD", "NOT_OPEN"],
        ["SUBSCRIBE BOOMUSD", "INTERNAL"],
      ];
      for (const [line, code] of cases) {
        const reply = await client.request(line);
        assert.equal(reply.ok, false, line);
        assert.equal(reply.code, code, line);
        assert.ok(reply.text.length > 0, line);
      }
      assert.equal((await client.request("SUBSCRIBE BOOMUSD")).text, "disk on fire second line");
      await assert.rejects(
        client.subscribe("DOGEUSD"),
        (e) => e instanceof ControlError && e.code === "NOT_SUBSCRIBED",
      );
      await assert.rejects(
        client.unsubscribe("BTCUSD"),
        (e) => e instanceof ControlError && e.code === "NOT_OPEN",
      );
      assert.equal(handler.open.size, 0);
    } finally {
      client.close();
      await server.close();
    }
  });
});

Deno.test("one connection carries several requests and gets the replies in order", async () => {
  await withSocket(async (path) => {
    const server = await serveControl(path, new FakeHandler());
    const raw = await Raw.open(path);
    const client = await ControlClient.connect(path);
    try {
      await raw.send(
        "PING\nSUBSCRIBE BTCUSD\nSUBSCRIBE BTCUSD\r\nLIST\nUNSUBSCRIBE BTCUSD\nNOPE\n",
      );
      const replies = [];
      for (let i = 0; i < 6; i++) replies.push(await raw.line());
      assert.deepEqual(replies, [
        `PONG ${Deno.pid}`,
        "OK data_manager_t1__BTCUSD_KRAKEN",
        "OK data_manager_t1__BTCUSD_KRAKEN",
        'OK {"symbols":["BTCUSD"],"heartbeatNs":"12"}',
        "OK",
        'ERR BAD_REQUEST Unknown verb "NOPE": expected SUBSCRIBE, UNSUBSCRIBE, LIST or PING',
      ]);
      const concurrent = await Promise.all([
        client.ping(),
        client.subscribe("ETHUSD"),
        client.request("LIST"),
      ]);
      assert.deepEqual(concurrent, [Deno.pid, "data_manager_t1__ETHUSD_KRAKEN", {
        ok: true,
        text: '{"symbols":["ETHUSD"],"heartbeatNs":"12"}',
      }]);
    } finally {
      raw.close();
      client.close();
      await server.close();
    }
  });
});

Deno.test("a closed connection releases exactly the subscriptions it still held", async () => {
  await withSocket(async (path) => {
    const handler = new FakeHandler();
    const server = await serveControl(path, handler);
    const first = await ControlClient.connect(path);
    const second = await ControlClient.connect(path);
    try {
      await first.subscribe("BTCUSD");
      await first.subscribe("BTCUSD");
      await first.subscribe("ETHUSD");
      await second.subscribe("BTCUSD");
      assert.deepEqual(Object.fromEntries(handler.open), { BTCUSD: 2, ETHUSD: 1 });
      first.close();
      await waitFor("the closed connection's release", () => !handler.open.has("ETHUSD"));
      assert.deepEqual(Object.fromEntries(handler.open), { BTCUSD: 1 });
      assert.deepEqual(await second.list(), { symbols: ["BTCUSD"], heartbeatNs: "12" });
    } finally {
      second.close();
      await server.close();
    }
    assert.equal(handler.open.size, 0);
  });
});

Deno.test("garbage bytes get BAD_REQUEST; an overlong line also closes its connection", async () => {
  await withSocket(async (path) => {
    const handler = new FakeHandler();
    const server = await serveControl(path, handler);
    const raw = await Raw.open(path);
    const long = await Raw.open(path);
    try {
      await raw.send(new Uint8Array([0xc3, 0x28, 0x0a]));
      assert.equal(await raw.line(), "ERR BAD_REQUEST Line is not valid UTF-8");
      const noise = Uint8Array.from({ length: 600 }, (_, i) => (i * 97 + 13) % 256);
      await raw.send(noise);
      await raw.send(`\n${"X".repeat(1024)}\nPING\n`);
      const lines = noise.filter((byte) => byte === 0x0a).length + 1;
      for (let i = 0; i < lines; i++) assert.match((await raw.line()) ?? "", /^ERR BAD_REQUEST /);
      assert.match(
        (await raw.line()) ?? "",
        /^ERR BAD_REQUEST Unknown verb/,
        "1024 bytes is still a line",
      );
      assert.equal(await raw.line(), `PONG ${Deno.pid}`);

      await long.send("SUBSCRIBE ETHUSD\n");
      assert.equal(await long.line(), "OK data_manager_t1__ETHUSD_KRAKEN");
      await long.send("P".repeat(1025));
      assert.equal(await long.line(), "ERR BAD_REQUEST Line longer than 1024 bytes");
      assert.equal(await long.line(), null);
      await waitFor("the overlong connection's release", () => handler.open.size === 0);
      await raw.send("PING\n");
      assert.equal(await raw.line(), `PONG ${Deno.pid}`);
    } finally {
      raw.close();
      long.close();
      await server.close();
    }
  });
});

Deno.test("a live server keeps its path; a killed server's stale socket is replaced", async () => {
  await withSocket(async (path) => {
    const child = new Child(["serve", path]);
    try {
      const ready = await child.line();
      assert.match(ready, /^READY \d+$/);
      await assert.rejects(
        serveControl(path, new FakeHandler()),
        (e) =>
          e instanceof IpcError && e.code === "busy" &&
          e.message.includes(`pid ${child.process.pid}`),
      );
    } finally {
      assert.equal((await child.stop()).signal, "SIGKILL");
    }
    assert.ok(Deno.lstatSync(path).isSocket, "the killed server leaves its socket file behind");
    const server = await serveControl(path, new FakeHandler());
    const client = await ControlClient.connect(path);
    try {
      assert.equal(await client.ping(), Deno.pid);
      await assert.rejects(
        serveControl(path, new FakeHandler()),
        (e) => e instanceof IpcError && e.code === "busy",
      );
      assert.equal(
        await client.ping(),
        Deno.pid,
        "the refused second server left the first one alone",
      );
    } finally {
      client.close();
      await server.close();
    }
    assert.throws(() => Deno.lstatSync(path), Deno.errors.NotFound);
  });
});

Deno.test("serveControl() refuses a path that holds a file which is not a socket", async () => {
  await withSocket(async (path) => {
    Deno.writeTextFileSync(path, "keep me");
    await assert.rejects(
      serveControl(path, new FakeHandler()),
      (e) => e instanceof IpcError && e.code === "exists",
    );
    assert.equal(Deno.readTextFileSync(path), "keep me");
  });
});

Deno.test("close() drops connections, releases their subscriptions and unlinks the socket", async () => {
  await withSocket(async (path) => {
    const handler = new FakeHandler();
    const server = await serveControl(path, handler);
    const client = await ControlClient.connect(path);
    try {
      await client.subscribe("BTCUSD");
      await server.close();
      assert.equal(handler.open.size, 0);
      assert.throws(() => Deno.lstatSync(path), Deno.errors.NotFound);
      await assert.rejects(
        client.ping(),
        (e) => e instanceof ControlError && e.code === "UNREACHABLE",
      );
      await server.close();
    } finally {
      client.close();
    }
  });
});

Deno.test("ControlClient reports UNREACHABLE for a missing socket and TIMEOUT for a silent one", async () => {
  await withSocket(async (path) => {
    await assert.rejects(
      ControlClient.connect(path),
      (e) => e instanceof ControlError && e.code === "UNREACHABLE" && e.message.includes(path),
    );
    const silent = Deno.listen({ transport: "unix", path });
    const client = await ControlClient.connect(path, { timeoutMs: 50 });
    const accepted = await silent.accept();
    // Should the client never give up, hanging up makes it fail with UNREACHABLE instead of hanging
    let hungUp = false;
    const guard = setTimeout(() => {
      hungUp = true;
      accepted.close();
    }, REPLY_DEADLINE_MS);
    try {
      await assert.rejects(client.ping(), (e) => e instanceof ControlError && e.code === "TIMEOUT");
      assert.equal(hungUp, false, "the client gave up on its own");
      await assert.rejects(
        client.ping(),
        (e) => e instanceof ControlError && e.code === "UNREACHABLE",
      );
    } finally {
      clearTimeout(guard);
      client.close();
      try {
        accepted.close();
      } catch {
        // The guard closed it
      }
      silent.close();
    }
  });
});

Deno.test("a client in another process gets PONG; a killed subscriber's subscription is released", async () => {
  await withSocket(async (path) => {
    const handler = new FakeHandler();
    const server = await serveControl(path, handler);
    const pinger = new Child(["ping", path]);
    const holder = new Child(["hold", path, "ETHUSD"]);
    try {
      assert.equal(await pinger.line(), `PONG ${Deno.pid}`);
      assert.equal((await pinger.process.status).code, 0);
      assert.equal(await holder.line(), "SUBSCRIBED data_manager_t1__ETHUSD_KRAKEN");
      assert.equal(handler.open.get("ETHUSD"), 1);
      await holder.stop();
      await waitFor("the killed subscriber's release", () => handler.open.size === 0);
      assert.deepEqual(handler.calls, ["subscribe ETHUSD", "unsubscribe ETHUSD"]);
    } finally {
      await pinger.stop();
      await holder.stop();
      await server.close();
    }
  });
});
