// The Databento client against the fake server: get_range returns exactly the served records,
// filters apply, the wire form matches DBN.md B1, estimates agree with what get_range delivers.
import assert from "node:assert/strict";
import { FIXTURE_DIR, readFixture } from "@shared/dbn/_fixtures.ts";
import type { DbnRecord, TradeMsg } from "@shared/dbn/mod.ts";
import { openDbn } from "@shared/dbn/stream/mod.ts";
import { DatabentoError, DatabentoHistoricalClient, type RangeResponse } from "./mod.ts";
import {
  FAKE_API_KEY,
  FakeDatabento,
  syntheticTrade,
  type SyntheticTradesOptions,
} from "./fake_server.ts";
import { ES, SEC, T0, withFake as withFakeOf } from "./_test_helpers.ts";

/** A fake serving nothing yet, and a client on it. */
function withFake(
  fn: (fake: FakeDatabento, client: DatabentoHistoricalClient) => Promise<void>,
): Promise<void> {
  return withFakeOf(fn, { trades: null });
}

async function records(response: RangeResponse): Promise<DbnRecord[]> {
  const out: DbnRecord[] = [];
  for await (const record of response.reader) out.push(record);
  return out;
}

async function fixtureRecords(name: string): Promise<DbnRecord[]> {
  const reader = await openDbn(readFixture(name).bytes, { upgrade: true });
  const out: DbnRecord[] = [];
  for await (const record of reader) out.push(record);
  return out;
}

const NQ: SyntheticTradesOptions = { ...ES, symbol: "NQZ3", instrumentId: 202, startNs: T0 + 1n };

for (
  const name of [
    "test_data.trades.v3.dbn.zst",
    "test_data.mbp-1.v3.dbn.zst",
    "test_data.ohlcv-1m.v3.dbn.zst",
    "test_data.trades.v1.dbn.zst",
    "test_data.definition.v2.dbn.zst",
  ]
) {
  Deno.test(`getRange() returns exactly the records of ${name}`, async () => {
    await withFake(async (fake, client) => {
      await fake.addFile(new URL(name, FIXTURE_DIR));
      const source = (await openDbn(readFixture(name).bytes, { upgrade: true })).metadata!;
      const response = await client.getRange({
        dataset: source.dataset,
        schema: readFixture(name).schema,
        symbols: source.symbols,
        start: source.start,
        end: source.end ?? undefined,
      });
      const metadata = response.reader.metadata!;
      assert.equal(metadata.version, 3);
      assert.equal(metadata.dataset, source.dataset);
      assert.equal(metadata.schema, source.schema);
      assert.deepEqual(metadata.symbols, source.symbols);
      assert.deepEqual(metadata.mappings, source.mappings);
      assert.equal(response.requestId, "fake-1");
      const got = await records(response);
      assert.deepEqual(got, await fixtureRecords(name));
      assert.ok(got.length > 0);
      assert.ok(response.bytesReceived() > 0);
    });
  });
}

Deno.test("getRange() sends the documented form, Basic auth and Accept header", async () => {
  await withFake(async (fake, client) => {
    fake.addSyntheticTrades(ES);
    const response = await client.getRange({
      dataset: "GLBX.MDP3",
      schema: "trades",
      symbols: ["ESZ3", "NQZ3"],
      start: T0,
      end: T0 + 10n * SEC,
      limit: 5,
    });
    await records(response);
    const request = fake.requestsTo("timeseries.get_range")[0]!;
    assert.equal(request.method, "POST");
    assert.deepEqual(request.params, {
      dataset: "GLBX.MDP3",
      start: "1700000000000000000",
      end: "1700000010000000000",
      symbols: "ESZ3,NQZ3",
      schema: "trades",
      stype_in: "raw_symbol",
      stype_out: "instrument_id",
      limit: "5",
      encoding: "dbn",
      compression: "zstd",
    });
    assert.equal(request.headers.authorization, `Basic ${btoa(`${FAKE_API_KEY}:`)}`);
    assert.equal(request.headers.accept, "application/octet-stream");
    assert.equal(request.headers["content-type"], "application/x-www-form-urlencoded");
    assert.match(request.headers["user-agent"]!, /^trading-platform\/0\.1 Deno\/\d/);
    assert.equal(request.authorized, true);
  });
});

Deno.test("getRange() passes ISO datetimes on as given (the Python client's example form)", async () => {
  await withFake(async (fake, client) => {
    await fake.addFile(new URL("test_data.trades.v3.dbn.zst", FIXTURE_DIR));
    // The fake serves raw_symbol and instrument_id only, so "continuous" is refused; the form
    // that went out is what matters here.
    const error = await client.getRange({
      dataset: "GLBX.MDP3",
      start: "2020-12-28T12:00",
      end: "2020-12-29",
      symbols: ["ES.c.0"],
      schema: "trades",
      stypeIn: "continuous",
    }).catch((e) => e);
    assert.ok(error instanceof DatabentoError && error.code === "invalid_request");
    assert.deepEqual(fake.requests[0]!.params, {
      dataset: "GLBX.MDP3",
      start: "2020-12-28T12:00",
      end: "2020-12-29",
      symbols: "ES.c.0",
      schema: "trades",
      stype_in: "continuous",
      stype_out: "instrument_id",
      encoding: "dbn",
      compression: "zstd",
    });
  });
});

Deno.test("getRange() filters by symbols, [start, end) and limit, merging sources by time", async () => {
  await withFake(async (fake, client) => {
    fake.addSyntheticTrades(ES);
    fake.addSyntheticTrades(NQ);
    const base = { dataset: "GLBX.MDP3", schema: "trades" };
    const es = await records(
      await client.getRange({
        ...base,
        symbols: ["ESZ3"],
        start: T0 + 10n * SEC,
        end: T0 + 20n * SEC,
      }),
    );
    assert.deepEqual(es, Array.from({ length: 10 }, (_, k) => syntheticTrade(ES, 10 + k)));

    const both = await records(
      await client.getRange({ ...base, start: T0 + 5n * SEC, end: T0 + 7n * SEC + 1n }),
    ) as TradeMsg[];
    assert.deepEqual(both, [
      syntheticTrade(ES, 5),
      syntheticTrade(NQ, 5),
      syntheticTrade(ES, 6),
      syntheticTrade(NQ, 6),
      syntheticTrade(ES, 7),
    ]);

    const limited = await client.getRange({ ...base, start: T0, end: T0 + 100n * SEC, limit: 3 });
    assert.equal(limited.reader.metadata!.limit, 3n);
    assert.deepEqual(await records(limited), [
      syntheticTrade(ES, 0),
      syntheticTrade(NQ, 0),
      syntheticTrade(ES, 1),
    ]);

    const partly = await client.getRange({
      ...base,
      symbols: ["NQZ3", "NOPE"],
      start: T0,
      end: T0 + 2n * SEC,
    });
    assert.deepEqual(partly.reader.metadata!.notFound, ["NOPE"]);
    assert.deepEqual(await records(partly), [syntheticTrade(NQ, 0), syntheticTrade(NQ, 1)]);
  });
});

Deno.test("estimates agree with what getRange() delivers", async () => {
  await withFake(async (fake, client) => {
    fake.addSyntheticTrades({ ...ES, holes: [{ fromNs: T0 + 20n * SEC, toNs: T0 + 30n * SEC }] });
    const params = {
      dataset: "GLBX.MDP3",
      schema: "trades",
      symbols: ["ESZ3"],
      start: T0 + 15n * SEC,
      end: "2023-11-14T22:14:20Z", // T0 + 60 s
    };
    const count = await client.getRecordCount(params);
    const size = await client.getBillableSize(params);
    const cost = await client.getCost(params);
    const delivered = await records(await client.getRange(params));
    assert.equal(count, 35);
    assert.equal(delivered.length, count);
    assert.equal(size, count * 48);
    assert.equal(cost, "0.0000042"); // 1680 bytes / 1e9 * 2.50 USD
    const countForm = fake.requestsTo("metadata.get_record_count")[0]!.params;
    assert.equal(countForm.stype_out, undefined);
    assert.equal(
      fake.requestsTo("metadata.get_billable_size")[0]!.params.stype_out,
      "instrument_id",
    );
    assert.equal(fake.requestsTo("metadata.get_cost")[0]!.params.symbols, "ESZ3");
  });
});

Deno.test("resolveSymbology() returns the intervals of the served mappings", async () => {
  await withFake(async (fake, client) => {
    await fake.addFile(new URL("test_data.definition.v3.dbn.zst", FIXTURE_DIR));
    const resolution = await client.resolveSymbology({
      dataset: "XNAS.ITCH",
      symbols: ["MSFT", "ZZZZ"],
      startDate: "2021-10-04",
      endDate: "2021-10-08",
    });
    assert.deepEqual(resolution.result, {
      MSFT: [
        { d0: "2021-10-04", d1: "2021-10-05", s: "6819" },
        { d0: "2021-10-05", d1: "2021-10-06", s: "6830" },
        { d0: "2021-10-06", d1: "2021-10-07", s: "6811" },
        { d0: "2021-10-07", d1: "2021-10-08", s: "6821" },
      ],
    });
    assert.deepEqual(resolution.notFound, ["ZZZZ"]);
    assert.deepEqual(resolution.partial, []);
    assert.equal(resolution.status, 1);
    assert.deepEqual(fake.requestsTo("symbology.resolve")[0]!.params, {
      dataset: "XNAS.ITCH",
      symbols: "MSFT,ZZZZ",
      stype_in: "raw_symbol",
      stype_out: "instrument_id",
      start_date: "2021-10-04",
      end_date: "2021-10-08",
    });
  });
});

Deno.test("listDatasets() and listSchemas() list what the fake serves, by GET", async () => {
  await withFake(async (fake, client) => {
    await fake.addFile(new URL("test_data.trades.v3.dbn.zst", FIXTURE_DIR));
    await fake.addFile(new URL("test_data.mbp-1.v2.dbn.zst", FIXTURE_DIR));
    await fake.addFile(new URL("test_data.imbalance.v3.dbn.zst", FIXTURE_DIR));
    assert.deepEqual(await client.listDatasets(), ["GLBX.MDP3", "XNAS.ITCH"]);
    assert.deepEqual(
      await client.listDatasets({ startDate: "2020-12-01", endDate: "2021-01-01" }),
      ["GLBX.MDP3"],
    );
    assert.deepEqual(await client.listSchemas("GLBX.MDP3"), ["mbp-1", "trades"]);
    const listing = fake.requestsTo("metadata.list_schemas")[0]!;
    assert.equal(listing.method, "GET");
    assert.deepEqual(listing.params, { dataset: "GLBX.MDP3" });
    const error = await client.listSchemas("NOPE.NOPE").catch((e) => e);
    assert.ok(error instanceof DatabentoError);
    assert.equal(error.code, "invalid_request");
    assert.match(error.message, /dataset 'NOPE\.NOPE'/);
  });
});
