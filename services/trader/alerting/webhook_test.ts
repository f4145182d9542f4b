import assert from "node:assert/strict";
import { WebhookAlertHandler } from "./webhook.ts";
import type { Alert } from "./types.ts";

const ALERT: Alert = {
  rule: "ipc_disconnected",
  key: "BTCUSD",
  severity: "CRITICAL",
  state: "firing",
  message: "IPC channel for BTCUSD disconnected (writer pid 1234 stale for 31 s)",
  value: 31,
  atMs: Date.UTC(2024, 0, 2, 3, 4, 5, 678),
};

interface Received {
  method: string;
  contentType: string | null;
  body: string;
}

/** Runs `fn` against a local HTTP server answering request n (1-based) with `respond(n)`. */
async function withServer(
  respond: (n: number) => Response,
  fn: (url: string, received: Received[]) => Promise<void>,
): Promise<void> {
  const received: Received[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    received.push({
      method: req.method,
      contentType: req.headers.get("content-type"),
      body: await req.text(),
    });
    return respond(received.length);
  });
  try {
    await fn(`http://127.0.0.1:${server.addr.port}/hooks/secret-token`, received);
  } finally {
    await server.shutdown();
  }
}

function recordingSleep(): { delays: number[]; sleep: (ms: number) => Promise<void> } {
  const delays: number[] = [];
  return { delays, sleep: (ms) => (delays.push(ms), Promise.resolve()) };
}

const NO_JITTER = { random: () => 0 };

Deno.test("WebhookAlertHandler retries two 503s with backoff and POSTs the documented JSON", async () => {
  await withServer(
    (n) => new Response(n <= 2 ? "busy" : "ok", { status: n <= 2 ? 503 : 200 }),
    async (url, received) => {
      const { delays, sleep } = recordingSleep();
      const handler = new WebhookAlertHandler({
        url,
        retries: 3,
        timeoutMs: 5000,
        sleep,
        backoff: NO_JITTER,
      });
      await handler.handle(ALERT);
      assert.equal(received.length, 3);
      assert.deepEqual(delays, [250, 500]);
      assert.deepEqual(handler.stats(), { sent: 1, failed: 0, retries: 2 });
      for (const request of received) {
        assert.equal(request.method, "POST");
        assert.equal(request.contentType, "application/json");
        assert.deepEqual(JSON.parse(request.body), {
          service: "trader",
          rule: "ipc_disconnected",
          key: "BTCUSD",
          severity: "CRITICAL",
          state: "firing",
          message: "IPC channel for BTCUSD disconnected (writer pid 1234 stale for 31 s)",
          value: 31,
          threshold: null,
          at: "2024-01-02T03:04:05.678Z",
        });
      }
    },
  );
});

Deno.test("WebhookAlertHandler does not retry a 400 and rejects with one line", async () => {
  await withServer(() => new Response("bad", { status: 400 }), async (url, received) => {
    const { delays, sleep } = recordingSleep();
    const handler = new WebhookAlertHandler({ url, retries: 3, timeoutMs: 5000, sleep });
    await assert.rejects(handler.handle(ALERT), (error: Error) => {
      assert.match(error.message, /^Alert webhook http:\/\/127\.0\.0\.1:\d+ failed for /);
      assert.match(
        error.message,
        /ipc_disconnected\/BTCUSD after 1 attempt: HTTP 400 Bad Request$/,
      );
      assert.doesNotMatch(error.message, /secret-token|\n/);
      return true;
    });
    assert.equal(received.length, 1);
    assert.deepEqual(delays, []);
    assert.deepEqual(handler.stats(), { sent: 0, failed: 1, retries: 0 });
  });
});

Deno.test("WebhookAlertHandler counts a failure once its retries are exhausted", async () => {
  await withServer(() => new Response("down", { status: 503 }), async (url, received) => {
    const { delays, sleep } = recordingSleep();
    const handler = new WebhookAlertHandler({
      url,
      retries: 2,
      timeoutMs: 5000,
      sleep,
      backoff: NO_JITTER,
    });
    await assert.rejects(
      handler.handle(ALERT),
      /after 3 attempts: HTTP 503 Service Unavailable$/,
    );
    assert.equal(received.length, 3);
    assert.deepEqual(delays, [250, 500]);
    assert.deepEqual(handler.stats(), { sent: 0, failed: 1, retries: 2 });
  });
});

Deno.test("WebhookAlertHandler retries a 429 and waits at least its Retry-After", async () => {
  await withServer(
    (n) =>
      n === 1
        ? new Response("slow down", { status: 429, headers: { "retry-after": "2" } })
        : new Response("ok"),
    async (url, received) => {
      const { delays, sleep } = recordingSleep();
      const handler = new WebhookAlertHandler({ url, retries: 1, timeoutMs: 5000, sleep });
      await handler.handle(ALERT);
      assert.equal(received.length, 2);
      assert.deepEqual(delays, [2000]);
    },
  );
});

Deno.test("WebhookAlertHandler retries a refused connection without quoting the URL's path", async () => {
  let port = 0;
  await withServer(() => new Response("ok"), (url) => {
    port = Number(new URL(url).port);
    return Promise.resolve();
  });
  const { delays, sleep } = recordingSleep();
  const handler = new WebhookAlertHandler({
    url: `http://127.0.0.1:${port}/hooks/secret-token`,
    retries: 2,
    timeoutMs: 5000,
    sleep,
    backoff: NO_JITTER,
  });
  await assert.rejects(handler.handle(ALERT), (error: Error) => {
    assert.match(error.message, /after 3 attempts: network error: /);
    assert.doesNotMatch(error.message, /secret-token|\n/);
    return true;
  });
  assert.deepEqual(delays, [250, 500]);
  assert.deepEqual(handler.stats(), { sent: 0, failed: 1, retries: 2 });
});

Deno.test("WebhookAlertHandler retries an attempt that times out", async () => {
  let calls = 0;
  const hanging: typeof fetch = (_input, init) => {
    calls++;
    if (calls > 1) return Promise.resolve(new Response("ok"));
    return new Promise((_resolve, reject) => {
      init?.signal?.addEventListener(
        "abort",
        () => reject(new DOMException("Aborted", "AbortError")),
      );
    });
  };
  const { sleep } = recordingSleep();
  const handler = new WebhookAlertHandler({
    url: "https://hooks.example.com/t/123",
    retries: 1,
    timeoutMs: 20,
    fetch: hanging,
    sleep,
  });
  await handler.handle(ALERT);
  assert.equal(calls, 2);
  assert.deepEqual(handler.stats(), { sent: 1, failed: 0, retries: 1 });

  const never: typeof fetch = (_input, init) =>
    new Promise((_resolve, reject) => {
      init?.signal?.addEventListener("abort", () =>
        reject(new DOMException("Aborted", "AbortError")));
    });
  const stuck = new WebhookAlertHandler({
    url: "https://hooks.example.com/t/123",
    retries: 0,
    timeoutMs: 20,
    fetch: never,
    sleep,
  });
  await assert.rejects(stuck.handle(ALERT), /after 1 attempt: timeout after 20 ms$/);
});

Deno.test("WebhookAlertHandler rejects a URL that is not http(s) without quoting it", () => {
  assert.throws(
    () => new WebhookAlertHandler({ url: "ftp://x/secret", retries: 1, timeoutMs: 1000 }),
    (error: Error) => error instanceof TypeError && !error.message.includes("secret"),
  );
});
