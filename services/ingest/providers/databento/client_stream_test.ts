// get_range downloads that do not end normally: a cut connection, a stalled body, cancel() and
// an AbortSignal. Each must end the reader's iteration with an error or stop it cleanly.
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { encodeMetadata, Schema, SType } from "@shared/dbn/mod.ts";
import { DatabentoError, DatabentoHistoricalClient } from "./mod.ts";
import { FAKE_API_KEY } from "./fake_server.ts";
import { ES, failure, RANGE, SEC, T0, withFake } from "./_test_helpers.ts";

Deno.test("a cut stream makes the reader iteration throw, never a short clean read", async () => {
  await withFake(async (fake, client) => {
    fake.addSyntheticTrades({ ...ES, symbol: "NQZ3", instrumentId: 7, count: 200_000 });
    fake.cutNextRangeAfter(300_000);
    const response = await client.getRange(
      {
        dataset: "GLBX.MDP3",
        schema: "trades",
        symbols: ["NQZ3"],
        start: T0,
        end: T0 + 10n ** 6n * SEC,
      },
      { batchBytes: 4096 },
    );
    let count = 0;
    const error = await (async () => {
      for await (const batch of response.reader.batches()) count += batch.count;
    })().then(() => undefined, (e) => e);
    assert.ok(error instanceof DatabentoError, `expected a DatabentoError, got ${error}`);
    assert.equal(error.code, "stream_interrupted");
    assert.match(
      error.message,
      /^Databento timeseries\.get_range download interrupted after \d+ bytes/,
    );
    assert.ok(count < 200_000, `${count} records arrived despite the cut`);
    assert.ok(response.bytesReceived() <= 300_000);
    // The next request is served whole.
    const again = await client.getRecordCount({
      ...RANGE,
      symbols: ["NQZ3"],
      end: T0 + 10n ** 6n * SEC,
    });
    assert.equal(again, 200_000);
  });
});

Deno.test("a stream cut inside the metadata header is requested again (nothing was read yet)", async () => {
  await withFake(async (fake, client, logs) => {
    fake.cutNextRangeAfter(10);
    const response = await client.getRange({ ...RANGE, end: T0 + 50n * SEC });
    let count = 0;
    for await (const batch of response.reader.batches()) count += batch.count;
    assert.equal(count, 50);
    assert.equal(fake.requestsTo("timeseries.get_range").length, 2);
    assert.ok(
      logs.some((line) => line.includes("cut inside the metadata header")),
      logs.join("\n"),
    );
  });
});

Deno.test("a header cut on every attempt rejects getRange() once the retries are spent", async () => {
  await withFake(async (fake) => {
    const client = new DatabentoHistoricalClient({
      apiKey: FAKE_API_KEY,
      baseUrl: fake.url,
      retries: 1,
      retryBaseMs: 1,
    });
    fake.cutNextRangeAfter(10, 2);
    const error = await failure(client.getRange({ ...RANGE, end: T0 + 50n * SEC }));
    assert.equal(error.code, "stream_interrupted");
    assert.equal(fake.requestsTo("timeseries.get_range").length, 2);
  });
});

Deno.test("HTTP failures and header cuts share one retry budget", async () => {
  await withFake(async (fake) => {
    const client = new DatabentoHistoricalClient({
      apiKey: FAKE_API_KEY,
      baseUrl: fake.url,
      retries: 2,
      retryBaseMs: 1,
    });
    fake.failNext("timeseries.get_range", 503, 1);
    fake.cutNextRangeAfter(10, 5);
    const error = await failure(client.getRange({ ...RANGE, end: T0 + 50n * SEC }));
    assert.equal(error.code, "stream_interrupted");
    assert.equal(fake.requestsTo("timeseries.get_range").length, 3);
  });
});

Deno.test("cancel() stops a download and is idempotent", async () => {
  await withFake(async (fake, client) => {
    fake.addSyntheticTrades({ ...ES, symbol: "BIG", instrumentId: 9, count: 2_000_000 });
    const response = await client.getRange(
      { ...RANGE, symbols: ["BIG"], end: T0 + 10_000_000n * SEC },
      { batchBytes: 4096 },
    );
    const iterator = response.reader.batches();
    const first = await iterator.next();
    assert.equal(first.done, false);
    await Promise.all([response.cancel(), response.cancel()]);
    await response.cancel();
    assert.ok(response.bytesReceived() < 2_000_000 * 48 / 4);
  });
});

Deno.test("an AbortSignal stops getRange() iteration with its reason", async () => {
  await withFake(async (fake, client) => {
    fake.addSyntheticTrades({ ...ES, symbol: "BIG", instrumentId: 9, count: 2_000_000 });
    const controller = new AbortController();
    const response = await client.getRange(
      { ...RANGE, symbols: ["BIG"], end: T0 + 10_000_000n * SEC },
      { signal: controller.signal, batchBytes: 4096 },
    );
    let batches = 0;
    const error = await (async () => {
      for await (const _ of response.reader.batches()) {
        if (++batches === 2) controller.abort(new Error("user stop"));
      }
    })().catch((e) => e);
    assert.ok(error instanceof Error);
    assert.equal(error.message, "user stop");
  });
});

Deno.test("a body that stalls longer than timeoutMs fails the iteration with code timeout", async () => {
  const metadata = encodeMetadata({
    version: 3,
    dataset: "GLBX.MDP3",
    schema: Schema.Trades,
    start: T0,
    end: T0 + SEC,
    limit: null,
    stypeIn: SType.RawSymbol,
    stypeOut: SType.InstrumentId,
    tsOut: false,
    symbolCstrLen: 71,
    symbols: ["ESZ3"],
    partial: [],
    notFound: [],
    mappings: [],
  });
  let cancelled = false;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(zlib.zstdCompressSync(metadata));
      },
      cancel() {
        cancelled = true;
      },
    });
    return new Response(body, { headers: { "request-id": "stall-1" } });
  });
  try {
    const client = new DatabentoHistoricalClient({
      apiKey: FAKE_API_KEY,
      baseUrl: `http://127.0.0.1:${server.addr.port}`,
      timeoutMs: 100,
    });
    const response = await client.getRange(RANGE);
    assert.equal(response.reader.metadata!.dataset, "GLBX.MDP3");
    const error = await failure((async () => {
      for await (const _ of response.reader) {
        // no records arrive
      }
    })());
    assert.equal(error.code, "timeout");
    assert.match(error.message, /stalled: no data for 100 ms/);
    assert.equal(error.requestId, "stall-1");
  } finally {
    await server.shutdown();
  }
  assert.ok(cancelled, "the server saw the download go away");
});

Deno.test("a 200 body that is not DBN is a bad_response", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("<html>maintenance</html>", { headers: { "request-id": "html-1" } }),
  );
  try {
    const client = new DatabentoHistoricalClient({
      apiKey: FAKE_API_KEY,
      baseUrl: `http://127.0.0.1:${server.addr.port}`,
    });
    const error = await failure(client.getRange(RANGE));
    assert.equal(error.code, "bad_response");
    assert.equal(error.requestId, "html-1");
    assert.match(error.message, /not a DBN stream/);
  } finally {
    await server.shutdown();
  }
});
