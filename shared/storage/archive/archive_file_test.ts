import assert from "node:assert/strict";
import { join } from "node:path";
import { RType, Schema, SType, type TradeMsg } from "@shared/dbn/mod.ts";
import { createZstdCompressor, openDbn } from "@shared/dbn/stream/mod.ts";
import { StorageError } from "../storage_error.ts";
import { checksumTicks, type Tick } from "../ticks/tick.ts";
import { makeTicks, withTempRoot } from "./_testing.ts";
import { readArchivedSlice, writeArchiveSlice } from "./archive_file.ts";
import { type ArchiveSlice, sidecarPath } from "./catalog.ts";

const DAY = "2026-03-01";

async function rejectsArchive(promise: Promise<unknown>, file: string, reason: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof StorageError, String(error));
    assert.equal(error.code, "archive");
    assert.ok(error.message.includes(file), error.message);
    assert.match(error.message, reason);
    assert.ok(!error.message.includes("\n"), error.message);
    return true;
  });
}

async function files(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

/** Re-compresses `text` as a sidecar (to plant wrong but well-formed content). */
async function zstd(text: string): Promise<Uint8Array> {
  const compressor = createZstdCompressor();
  const parts = [
    ...await compressor.write(new TextEncoder().encode(text)),
    ...await compressor.end(),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) out.set(part, (at += part.length) - part.length);
  return out;
}

Deno.test("writeArchiveSlice() then readArchivedSlice() give back every tick exactly", async () => {
  await withTempRoot(async (root) => {
    const ticks = makeTicks({ day: DAY, count: 2_000 });
    assert.ok(ticks.some((t) => t.quantity === "0.00000001"));
    assert.ok(ticks.some((t) => t.quantity === "123456789.123456789"));
    assert.ok(ticks.some((t) => t.price < 0n) && ticks.some((t) => t.price > 1n << 62n));
    assert.equal(new Set(ticks.map((t) => t.flags)).size, 256);
    const slice = await writeArchiveSlice(root, ticks);
    assert.equal(slice.path, "2026/03/01/BINANCE/BTCUSD.trades.dbn.zst");
    assert.deepEqual(
      { ...slice, bytes: undefined },
      {
        symbol: "BTCUSD",
        exchange: "BINANCE",
        day: DAY,
        path: slice.path,
        rowCount: 2_000,
        firstTs: ticks[0]!.tsEvent,
        lastTs: ticks[1_999]!.tsEvent,
        checksum: checksumTicks(ticks),
        bytes: undefined,
      },
    );
    const dbnPath = join(root, slice.path);
    const onDisk = (await Deno.stat(dbnPath)).size + (await Deno.stat(sidecarPath(dbnPath))).size;
    assert.equal(slice.bytes, onDisk);
    assert.deepEqual(await readArchivedSlice(root, slice), ticks);
    // Nothing but the two files in the folder: no temporary file is left behind.
    assert.deepEqual(await files(join(root, "2026/03/01/BINANCE")), [
      "BTCUSD.trades.dbn.zst",
      "BTCUSD.trades.ids.zst",
    ]);
  });
});

Deno.test("writeArchiveSlice() sorts its input and overwrites a stray file of the same slice", async () => {
  await withTempRoot(async (root) => {
    const ticks = makeTicks({
      symbol: "ETH-PERP",
      exchange: "KRAKEN_FUTURES",
      day: DAY,
      count: 50,
    });
    await writeArchiveSlice(
      root,
      makeTicks({ symbol: "ETH-PERP", exchange: "KRAKEN_FUTURES", day: DAY, count: 9, seed: 5 }),
    );
    const slice = await writeArchiveSlice(root, [...ticks].reverse());
    assert.equal(slice.checksum, checksumTicks(ticks));
    assert.deepEqual(await readArchivedSlice(root, slice), ticks);
  });
});

Deno.test("writeArchiveSlice() rejects an empty, mixed, duplicated or invalid slice", async () => {
  await withTempRoot(async (root) => {
    const ticks = makeTicks({ day: DAY, count: 4 });
    const other: Tick = { ...ticks[1]!, symbol: "ETHUSD" };
    const nextDay: Tick = { ...ticks[1]!, tsEvent: ticks[3]!.tsEvent + 1n };
    const badId: Tick = { ...ticks[1]!, tradeId: "has space" };
    await assert.rejects(writeArchiveSlice(root, []), RangeError);
    await assert.rejects(writeArchiveSlice(root, [ticks[0]!, other]), /ETHUSD@BINANCE/);
    await assert.rejects(writeArchiveSlice(root, [ticks[0]!, nextDay]), /slice of 2026-03-01/);
    await assert.rejects(writeArchiveSlice(root, [ticks[0]!, ticks[0]!]), /twice/);
    await assert.rejects(writeArchiveSlice(root, [ticks[0]!, badId]), /trade_id/);
    assert.deepEqual(await files(root), []);
  });
});

Deno.test("the archive file is plain DBN: trades metadata and one trade record per tick", async () => {
  await withTempRoot(async (root) => {
    const ticks = makeTicks({ day: DAY, count: 300 });
    const slice = await writeArchiveSlice(root, ticks);
    await using reader = await openDbn(join(root, slice.path));
    const metadata = reader.metadata!;
    assert.equal(reader.compression, "zstd");
    assert.equal(metadata.version, 3);
    assert.equal(metadata.dataset, "BINANCE");
    assert.equal(metadata.schema, Schema.Trades);
    assert.equal(metadata.stypeIn, SType.RawSymbol);
    assert.equal(metadata.stypeOut, SType.InstrumentId);
    assert.equal(metadata.start, 1_772_323_200_000_000_000n);
    assert.equal(metadata.end, 1_772_323_200_000_000_000n + 86_400_000_000_000n);
    assert.deepEqual(metadata.symbols, ["BTCUSD"]);
    assert.deepEqual(metadata.mappings, [{
      rawSymbol: "BTCUSD",
      intervals: ["1234", "1235", "4294967295"].map((symbol) => ({
        startDate: 20260301,
        endDate: 20260302,
        symbol,
      })),
    }]);
    const records: TradeMsg[] = [];
    for await (const record of reader) records.push(record as TradeMsg);
    assert.deepEqual(
      records,
      ticks.map((t) => ({
        rtype: RType.Mbp0,
        publisherId: 0,
        instrumentId: t.instrumentId,
        tsEvent: t.tsEvent,
        price: t.price,
        size: t.size,
        action: "T",
        side: t.side,
        flags: t.flags,
        depth: 0,
        tsRecv: t.tsRecv,
        tsInDelta: 0,
        sequence: t.sequence,
      })),
    );
  });
});

Deno.test("readArchivedSlice() rejects missing, cut, corrupt or mismatching files", async () => {
  await withTempRoot(async (root) => {
    const ticks = makeTicks({ day: DAY, count: 500 });
    const slice = await writeArchiveSlice(root, ticks);
    const dbnPath = join(root, slice.path);
    const idsPath = sidecarPath(dbnPath);
    const dbn = await Deno.readFile(dbnPath);
    const ids = await Deno.readFile(idsPath);
    const restore = async () => {
      await Deno.writeFile(dbnPath, dbn);
      await Deno.writeFile(idsPath, ids);
      assert.equal((await readArchivedSlice(root, slice)).length, 500);
    };
    const read = (entry: ArchiveSlice = slice) => readArchivedSlice(root, entry);

    await Deno.remove(dbnPath);
    await rejectsArchive(read(), dbnPath, /is missing/);
    await restore();
    await Deno.remove(idsPath);
    await rejectsArchive(read(), idsPath, /is missing/);
    await restore();

    await Deno.writeFile(dbnPath, dbn.subarray(0, dbn.length - 20));
    await rejectsArchive(read(), dbnPath, /cut short or corrupt|Input ends/);
    await restore();
    await Deno.writeFile(dbnPath, dbn.subarray(0, 30));
    await rejectsArchive(read(), dbnPath, /./);
    await restore();
    await Deno.writeFile(idsPath, ids.subarray(0, ids.length - 5));
    await rejectsArchive(read(), idsPath, /cut short or corrupt/);
    await restore();

    const flipped = dbn.slice();
    flipped[Math.floor(dbn.length / 2)]! ^= 0x40;
    await Deno.writeFile(dbnPath, flipped);
    await rejectsArchive(read(), dbnPath, /./);
    await restore();

    // Well-formed but wrong: a sidecar with one quantity changed, or one line short.
    const lines = ticks.map((t) => `${t.tradeId}\t${t.quantity}\n`);
    await Deno.writeFile(
      idsPath,
      await zstd([...lines.slice(0, -1), lines.at(-1)!.replace(/\t.*\n/, "\t7\n")].join("")),
    );
    await rejectsArchive(read(), dbnPath, /checksum/);
    await Deno.writeFile(idsPath, await zstd(lines.slice(1).join("")));
    await rejectsArchive(read(), idsPath, /499 lines/);
    await Deno.writeFile(idsPath, await zstd("no tab here\n"));
    await rejectsArchive(read(), idsPath, /line 1/);
    await restore();

    await rejectsArchive(read({ ...slice, rowCount: 499 }), dbnPath, /catalogue says 499/);
    await rejectsArchive(read({ ...slice, checksum: "0".repeat(64) }), dbnPath, /checksum/);
    await assert.rejects(read({ ...slice, path: "../../etc/passwd" }), StorageError);
  });
});
