// The fake Databento server spoken to over plain fetch: auth, error shapes, request ids, the
// get_range body (zstd DBN v3, or plain), symbol resolution, merges, lazy synthetic data.
import assert from "node:assert/strict";
import { FIXTURE_DIR } from "@shared/dbn/_fixtures.ts";
import { type DbnRecord, encodeRecord } from "@shared/dbn/mod.ts";
import { isZstd, openDbn } from "@shared/dbn/stream/mod.ts";
import { parseDatetime } from "./mod.ts";
import {
  FAKE_API_KEY,
  FakeDatabento,
  syntheticTrade,
  type SyntheticTradesOptions,
} from "./fake_server.ts";

const T0 = 1_700_000_000_000_000_000n;
const SEC = 1_000_000_000n;
const AUTH = { authorization: `Basic ${btoa(`${FAKE_API_KEY}:`)}` };
const ES: SyntheticTradesOptions = {
  dataset: "GLBX.MDP3",
  symbol: "ESZ3",
  instrumentId: 101,
  startNs: T0,
  stepNs: SEC,
  count: 1000,
};

async function withFake(fn: (fake: FakeDatabento) => Promise<void>): Promise<void> {
  const fake = await FakeDatabento.start();
  try {
    await fn(fake);
  } finally {
    await fake.close();
  }
}

function post(fake: FakeDatabento, method: string, form: Record<string, string>, headers = AUTH) {
  return fetch(`${fake.url}/v0/${method}`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
}

async function decode(body: Uint8Array): Promise<{ records: DbnRecord[]; metadata: unknown }> {
  const reader = await openDbn(body);
  const records: DbnRecord[] = [];
  for await (const record of reader) records.push(record);
  return { records, metadata: reader.metadata };
}

Deno.test("FAKE_API_KEY has Databento's key shape", () => {
  assert.equal(FAKE_API_KEY.length, 32);
  assert.ok(FAKE_API_KEY.startsWith("db-"));
});

Deno.test("the fake answers 401 with a JSON detail and a request-id on every answer", async () => {
  await withFake(async (fake) => {
    fake.addSyntheticTrades(ES);
    const wrong = { authorization: `Basic ${btoa("db-nope:")}` };
    for (const headers of [wrong, {} as typeof AUTH]) {
      const res = await post(fake, "metadata.get_record_count", { dataset: "GLBX.MDP3" }, headers);
      assert.equal(res.status, 401);
      assert.match(res.headers.get("request-id")!, /^fake-\d+$/);
      assert.equal(typeof (await res.json()).detail, "string");
    }
    const missing = await fetch(`${fake.url}/v0/metadata.nothing`, { headers: AUTH });
    assert.equal(missing.status, 404);
    assert.ok(missing.headers.get("request-id"));
    await missing.body?.cancel();
    assert.deepEqual(fake.requests.map((r) => r.authorized), [false, false, true]);
    assert.deepEqual(fake.requests[0]!.params, { dataset: "GLBX.MDP3" });
  });
});

Deno.test("the fake validates parameters with 422 details naming the parameter", async () => {
  await withFake(async (fake) => {
    fake.addSyntheticTrades(ES);
    const base = { dataset: "GLBX.MDP3", schema: "trades", start: String(T0) };
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ ...base, dataset: "XXXX.YYY" }, "dataset", /Invalid dataset 'XXXX\.YYY'/],
      [{ ...base, schema: "mbo" }, "schema", /Invalid schema 'mbo'/],
      [{ ...base, schema: "bogus" }, "schema", /Invalid schema 'bogus'/],
      [{ ...base, start: "2023-13-01" }, "start", /Invalid datetime for 'start'/],
      [{ ...base, end: "soon" }, "end", /Invalid datetime for 'end'/],
      [{ ...base, end: String(T0) }, "start", /start .* must be before end/],
      [{ ...base, limit: "-1" }, "limit", /Invalid limit/],
      [{ ...base, symbols: "NOPE,NADA" }, "symbols", /None of the symbols could be resolved/],
    ];
    for (const [form, param, message] of cases) {
      const res = await post(fake, "timeseries.get_range", form);
      assert.equal(res.status, 422, JSON.stringify(form));
      const { detail } = await res.json();
      assert.equal(detail.payload.param, param);
      assert.match(detail.message, message);
      assert.ok(detail.docs.startsWith("https://databento.com/docs/"));
    }
  });
});

Deno.test("get_range streams zstd DBN v3 by default and plain DBN with compression=none", async () => {
  await withFake(async (fake) => {
    fake.addSyntheticTrades(ES);
    const form = {
      dataset: "GLBX.MDP3",
      symbols: "ESZ3",
      start: String(T0),
      end: String(T0 + 3n * SEC),
    };
    const zstd = await post(fake, "timeseries.get_range", form);
    assert.equal(zstd.headers.get("content-type"), "application/octet-stream");
    const zstdBytes = new Uint8Array(await zstd.arrayBuffer());
    assert.ok(isZstd(zstdBytes));
    const plain = await post(fake, "timeseries.get_range", { ...form, compression: "none" });
    const plainBytes = new Uint8Array(await plain.arrayBuffer());
    assert.equal(new TextDecoder().decode(plainBytes.subarray(0, 3)), "DBN");
    assert.equal(plainBytes[3], 3);
    const expected = [0, 1, 2].map((i) => syntheticTrade(ES, i));
    assert.deepEqual((await decode(zstdBytes)).records, expected);
    assert.deepEqual((await decode(plainBytes)).records, expected);
  });
});

Deno.test("synthetic trades are written byte for byte as the codec encodes them", async () => {
  await withFake(async (fake) => {
    const options = {
      ...ES,
      startNs: 4_294_967_000n, // crosses a u32 boundary of ts on the way
      stepNs: 123_456_789n,
      count: 50,
      basePrice: 2n ** 40n,
      priceScale: 1_000_003n,
      publisherId: 7,
    };
    fake.addSyntheticTrades(options);
    const res = await post(fake, "timeseries.get_range", {
      dataset: "GLBX.MDP3",
      start: "0",
      end: String(10n ** 12n),
      compression: "none",
    });
    const body = new Uint8Array(await res.arrayBuffer());
    const records = body.subarray(body.length - 50 * 48);
    const expected = Array.from(
      { length: 50 },
      (_, i) => encodeRecord(syntheticTrade(options, i), { version: 3, tsOut: false }),
    );
    for (let i = 0; i < 50; i++) {
      assert.deepEqual(records.subarray(i * 48, (i + 1) * 48), expected[i], `record ${i}`);
    }
  });
});

Deno.test("holes and huge counts are arithmetic: counts cost nothing until streamed", async () => {
  await withFake(async (fake) => {
    fake.addSyntheticTrades({
      ...ES,
      count: 5_000_000_000, // five billion 1-second slots
      holes: [
        { fromNs: T0 + 10n * SEC, toNs: T0 + 20n * SEC },
        { fromNs: T0 + 15n * SEC, toNs: T0 + 25n * SEC + 1n },
      ],
    });
    const count = async (form: Record<string, string>) =>
      Number(await (await post(fake, "metadata.get_record_count", form)).text());
    const base = { dataset: "GLBX.MDP3", symbols: "ESZ3", schema: "trades" };
    assert.equal(
      await count({ ...base, start: String(T0), end: String(T0 + 5_000_000_000n * SEC) }),
      4_999_999_984,
    );
    assert.equal(
      await count({ ...base, start: String(T0 + 5n * SEC), end: String(T0 + 30n * SEC) }),
      9,
    );
    const res = await post(fake, "timeseries.get_range", {
      ...base,
      start: String(T0 + 8n * SEC),
      end: String(T0 + 28n * SEC),
    });
    const { records } = await decode(new Uint8Array(await res.arrayBuffer()));
    assert.deepEqual(records, [8, 9, 26, 27].map((i) => syntheticTrade(ES, i)));
  });
});

Deno.test("several sources of one dataset and schema merge by ts_recv", async () => {
  await withFake(async (fake) => {
    await fake.addFile(new URL("test_data.trades.v1.dbn.zst", FIXTURE_DIR));
    // Around the fixture's two trades (ts_recv ...099150057 and ...108142648).
    const synthetic = { ...ES, startNs: 1609160400050000000n, stepNs: 25_000_000n, count: 3 };
    fake.addSyntheticTrades(synthetic);
    const res = await post(fake, "timeseries.get_range", {
      dataset: "GLBX.MDP3",
      start: "2020-12-28",
    });
    const { records, metadata } = await decode(new Uint8Array(await res.arrayBuffer()));
    const order = records.map((r) => r.instrumentId);
    assert.deepEqual(order, [101, 101, 5482, 101, 5482]);
    const times = records.map((r) => (r as { tsRecv: bigint }).tsRecv);
    assert.deepEqual(times, [...times].sort((a, b) => (a < b ? -1 : 1)));
    const { mappings, end, symbols } = metadata as {
      mappings: { rawSymbol: string }[];
      end: bigint;
      symbols: string[];
    };
    assert.deepEqual(mappings.map((m) => m.rawSymbol), ["ESH1", "ESZ3"]);
    assert.deepEqual(symbols, ["ALL_SYMBOLS"]);
    assert.equal(end, parseDatetime("2020-12-29")!.ns); // forward-filled by one day
  });
});

Deno.test("get_cost and get_billable_size follow the record count exactly", async () => {
  await withFake(async (fake) => {
    await fake.addFile(new URL("test_data.mbp-1.v3.dbn.zst", FIXTURE_DIR));
    const form = { dataset: "GLBX.MDP3", schema: "mbp-1", symbols: "ESH1", start: "2020-12-28" };
    assert.equal(await (await post(fake, "metadata.get_record_count", form)).text(), "2");
    assert.equal(await (await post(fake, "metadata.get_billable_size", form)).text(), "160");
    assert.equal(await (await post(fake, "metadata.get_cost", form)).text(), "0.0000008");
    const limited = { ...form, limit: "1" };
    assert.equal(await (await post(fake, "metadata.get_billable_size", limited)).text(), "80");
  });
});

Deno.test("symbology.resolve maps both ways and reports partial and missing symbols", async () => {
  await withFake(async (fake) => {
    fake.addSyntheticTrades({ ...ES, count: 3 }); // 2023-11-14 only
    const resolve = async (form: Record<string, string>) =>
      await (await post(fake, "symbology.resolve", { dataset: "GLBX.MDP3", ...form })).json();
    const both = await resolve({
      symbols: "ESZ3,NOPE",
      start_date: "2023-11-13",
      end_date: "2023-11-16",
    });
    assert.deepEqual(both.result, { ESZ3: [{ d0: "2023-11-14", d1: "2023-11-15", s: "101" }] });
    assert.deepEqual(both.partial, ["ESZ3"]);
    assert.deepEqual(both.not_found, ["NOPE"]);
    assert.equal(both.status, 1);
    const back = await resolve({
      symbols: "101",
      stype_in: "instrument_id",
      stype_out: "raw_symbol",
      start_date: "2023-11-14",
    });
    assert.deepEqual(back.result, { "101": [{ d0: "2023-11-14", d1: "2023-11-15", s: "ESZ3" }] });
    assert.equal(back.status, 0);
    assert.equal(back.message, "OK");
  });
});

Deno.test("failNext() and cutNextRangeAfter() apply once, in order", async () => {
  await withFake(async (fake) => {
    fake.addSyntheticTrades(ES);
    fake.failNext("/v0/metadata.list_datasets", 503, 2, { message: "down" });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${fake.url}/v0/metadata.list_datasets`, { headers: AUTH });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    assert.deepEqual(statuses, [503, 503, 200]);

    fake.cutNextRangeAfter(100);
    const form = { dataset: "GLBX.MDP3", start: String(T0), end: String(T0 + 900n * SEC) };
    const cut = await post(fake, "timeseries.get_range", form);
    assert.equal(cut.status, 200);
    await assert.rejects(() => cut.arrayBuffer());
    const whole = await post(fake, "timeseries.get_range", form);
    assert.equal((await decode(new Uint8Array(await whole.arrayBuffer()))).records.length, 900);
  });
});

Deno.test("parseDatetime() reads the API's datetime forms", () => {
  assert.deepEqual(parseDatetime("1609160400000000000"), {
    ns: 1609160400000000000n,
    resolutionNs: 1n,
  });
  assert.deepEqual(parseDatetime("2020-12-28"), {
    ns: 1609113600000000000n,
    resolutionNs: 86_400n * SEC,
  });
  assert.equal(parseDatetime("2020-12-28T13:00")!.ns, 1609160400000000000n);
  assert.equal(parseDatetime("2020-12-28T13:00:00.5Z")!.ns, 1609160400500000000n);
  assert.equal(parseDatetime("2020-12-28T08:00:00-05:00")!.ns, 1609160400000000000n);
  assert.equal(parseDatetime("2020-12-28T13:00:00.000000001")!.resolutionNs, 1n);
  for (const bad of ["2020-02-30", "2020-12-28T25:00", "yesterday", "", "-5", "2020-12-28T13"]) {
    assert.equal(parseDatetime(bad), undefined, bad);
  }
});
