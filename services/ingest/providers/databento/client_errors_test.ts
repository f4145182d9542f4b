// Failures of the Databento client: HTTP errors mapped to DatabentoError with the API's detail,
// retries of transient failures only, cut streams that throw, a missing key, bad bodies.
import assert from "node:assert/strict";
import { DatabentoError, DatabentoHistoricalClient } from "./mod.ts";
import { FAKE_API_KEY } from "./fake_server.ts";
import { failure, RANGE, SEC, T0, withFake } from "./_test_helpers.ts";

Deno.test("a wrong key fails with code unauthorized, the API detail and no key in the message", async () => {
  const wrongKey = "db-WrongKeyWrongKeyWrongKeyABCDE";
  await withFake(async (fake, client, logs) => {
    // A server that echoes the key back: the client must still never print it.
    fake.failNext("timeseries.get_range", 401, 1, `Authentication failed for ${wrongKey}`);
    const error = await failure(client.getRange(RANGE));
    assert.equal(error.code, "unauthorized");
    assert.equal(error.status, 401);
    assert.equal(error.requestId, "fake-1");
    assert.match(error.detail, /Authentication failed/);
    assert.equal(
      error.message,
      `Databento 401 Unauthorized on timeseries.get_range: ${error.detail}; check DATABENTO_API_KEY (request-id fake-1)`,
    );
    assert.ok(!error.message.includes(wrongKey));
    assert.ok(!logs.join("\n").includes(wrongKey));
    assert.equal(fake.requests.length, 1);
    assert.equal(fake.requests[0]!.authorized, false);
  }, { apiKey: wrongKey });
});

Deno.test("402 and 422 with object-shaped details give the message and docs link", async () => {
  await withFake(async (fake, client) => {
    fake.failNext("metadata.get_cost", 402, 1, {
      case: "billing_insufficient",
      message: "Insufficient funds for this request.",
      docs: "https://databento.com/docs/billing",
      payload: {},
    });
    const paid = await failure(client.getCost(RANGE));
    assert.equal(paid.code, "payment_required");
    assert.equal(
      paid.detail,
      "Insufficient funds for this request. (see https://databento.com/docs/billing)",
    );
    assert.match(
      paid.message,
      /^Databento 402 Payment Required on metadata\.get_cost: Insufficient funds/,
    );
    assert.match(paid.message, /the account cannot pay for this request/);
    assert.ok(!paid.message.includes("\n"));

    const invalid = await failure(client.getRange({ ...RANGE, start: "yesterday" }));
    assert.equal(invalid.code, "invalid_request");
    assert.equal(invalid.status, 422);
    assert.match(invalid.detail, /Invalid datetime for 'start'/);
    assert.match(invalid.detail, /\(see https:\/\/databento\.com\/docs\//);
    assert.equal(fake.requests.length, 2);
  });
});

Deno.test("503 twice then 200 succeeds after two retries, logged at warn", async () => {
  await withFake(async (fake, client, logs) => {
    fake.failNext("timeseries.get_range", 503, 2, "Service temporarily unavailable");
    const response = await client.getRange({ ...RANGE, end: T0 + 3n * SEC });
    let count = 0;
    for await (const _ of response.reader) count++;
    assert.equal(count, 3);
    assert.equal(fake.requestsTo("timeseries.get_range").length, 3);
    assert.equal(response.requestId, "fake-3");
    const retries = logs.map((l) => JSON.parse(l)).filter((l) => l.msg.includes("retrying"));
    assert.equal(retries.length, 2);
    assert.equal(retries[0].level, "warn");
    assert.equal(retries[0].status, 503);
  });
});

Deno.test("503 forever fails after retries + 1 attempts", async () => {
  await withFake(async (fake, client) => {
    fake.failNext("metadata.get_record_count", 503, 100);
    const error = await failure(client.getRecordCount(RANGE));
    assert.equal(error.code, "server");
    assert.equal(error.status, 503);
    assert.match(error.message, /\(after 4 attempts\)$/);
    assert.equal(fake.requestsTo("metadata.get_record_count").length, 4);
  });
});

Deno.test("429 is retried after Retry-After; 400 and 404 are not retried", async () => {
  await withFake(async (fake, client) => {
    fake.failNext("metadata.get_billable_size", 429, 1, "Too many requests", { retryAfter: "0" });
    assert.equal(await client.getBillableSize({ ...RANGE, end: T0 + 2n * SEC }), 96);
    assert.equal(fake.requestsTo("metadata.get_billable_size").length, 2);

    fake.failNext("metadata.get_record_count", 400, 5, "Bad request");
    const bad = await failure(client.getRecordCount(RANGE));
    assert.equal(bad.code, "invalid_request");
    assert.doesNotMatch(bad.message, /attempts/);
    assert.equal(fake.requestsTo("metadata.get_record_count").length, 1);

    fake.failNext("metadata.list_datasets", 404, 5, "Not Found");
    assert.equal((await failure(client.listDatasets())).code, "not_found");
    assert.equal(fake.requestsTo("metadata.list_datasets").length, 1);
  });
});

Deno.test("X-Warning headers are logged at warn", async () => {
  await withFake(async (_fake, client, logs) => {
    await client.listDatasets();
    const warnings = logs.map((l) => JSON.parse(l)).filter((l) => l.msg === "Databento warning");
    assert.deepEqual(warnings.map((w) => [w.level, w.warning]), [
      ["warn", "DeprecationWarning: the fake is old"],
    ]);
  }, { warnings: ["DeprecationWarning: the fake is old"] });
});

Deno.test("a missing key is DatabentoError no_api_key naming DATABENTO_API_KEY", () => {
  const config = { hist_url: "http://127.0.0.1:1", timeout_secs: 1, retries: 0 };
  for (const apiKey of [undefined, "", "  "]) {
    const error = (() => {
      try {
        DatabentoHistoricalClient.fromConfig({ ...config, api_key: apiKey });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof DatabentoError);
    assert.equal(error.code, "no_api_key");
    assert.match(error.message, /DATABENTO_API_KEY/);
  }
  assert.throws(
    () => new DatabentoHistoricalClient({ apiKey: "", baseUrl: "http://127.0.0.1:1" }),
    (e: unknown) => e instanceof DatabentoError && e.code === "no_api_key",
  );
});

Deno.test("fromConfig() takes the URL, timeout and retries of [databento]", async () => {
  await withFake(async (fake) => {
    fake.failNext("metadata.list_datasets", 500, 10);
    const client = DatabentoHistoricalClient.fromConfig({
      hist_url: `${fake.url}/`,
      api_key: FAKE_API_KEY,
      timeout_secs: 5,
      retries: 0,
    });
    assert.equal(client.baseUrl, fake.url);
    assert.equal((await failure(client.listDatasets())).code, "server");
    assert.equal(fake.requests.length, 1);
  });
});

Deno.test("more than 2000 symbols or an empty list fail before anything is sent", async () => {
  await withFake(async (fake, client) => {
    const many = Array.from({ length: 2001 }, (_, i) => `S${i}`);
    assert.equal(
      (await failure(client.getCost({ ...RANGE, symbols: many }))).code,
      "invalid_request",
    );
    assert.equal(
      (await failure(client.getRange({ ...RANGE, symbols: [] }))).code,
      "invalid_request",
    );
    assert.equal((await failure(client.getRange({ ...RANGE, limit: 0 }))).code, "invalid_request");
    assert.equal(fake.requests.length, 0);
  });
});

Deno.test("a refused connection is a network error, retried", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const client = new DatabentoHistoricalClient({
    apiKey: FAKE_API_KEY,
    baseUrl: `http://127.0.0.1:${port}`,
    retries: 1,
    retryBaseMs: 1,
  });
  const error = await failure(client.listDatasets());
  assert.equal(error.code, "network");
  assert.match(
    error.message,
    /^Databento network error on metadata\.list_datasets: .*\(after 2 attempts\)$/,
  );
});

Deno.test("no response headers within timeoutMs is a timeout", async () => {
  const held: Deno.Conn[] = [];
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    const client = new DatabentoHistoricalClient({
      apiKey: FAKE_API_KEY,
      baseUrl: `http://127.0.0.1:${listener.addr.port}`,
      timeoutMs: 50,
      retries: 0,
    });
    const error = await failure(client.getRecordCount(RANGE));
    assert.equal(error.code, "timeout");
    assert.match(error.message, /timed out after 50 ms/);
  } finally {
    listener.close();
    await accepting;
    for (const conn of held) conn.close();
  }
});

Deno.test("getCost() keeps the exact decimal text and rejects a non-number", async () => {
  const bodies = ["1.5e-3", "0.1", "  12.000000001\n", '"0.5"', "NaN"];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(bodies.shift()!, { headers: { "content-type": "application/json" } }),
  );
  try {
    const client = new DatabentoHistoricalClient({
      apiKey: FAKE_API_KEY,
      baseUrl: `http://127.0.0.1:${server.addr.port}`,
    });
    assert.equal(await client.getCost(RANGE), "0.0015");
    assert.equal(await client.getCost(RANGE), "0.1");
    assert.equal(await client.getCost(RANGE), "12.000000001");
    assert.equal((await failure(client.getCost(RANGE))).code, "bad_response");
    assert.equal((await failure(client.getCost(RANGE))).code, "bad_response");
  } finally {
    await server.shutdown();
  }
});
