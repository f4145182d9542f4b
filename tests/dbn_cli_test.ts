/**
 * End to end: `scripts/dbn.ts` as `deno task dbn` runs it, on the upstream fixtures.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { runScript } from "./_run_script.ts";

const FIXTURES = fileURLToPath(new URL("../../shared/fixtures/dbn/", import.meta.url));

function dbn(...args: string[]) {
  return runScript("scripts/dbn.ts", args, {
    permissions: ["--allow-read", "--allow-write", "--allow-env"],
  });
}

Deno.test("dbn prints JSON lines in Databento's field order with 64-bit integers as strings", async () => {
  const { code, stdout } = await dbn(`${FIXTURES}test_data.trades.v3.dbn.zst`);
  assert.equal(code, 0);
  const lines = stdout.trimEnd().split("\n");
  assert.equal(lines.length, 2);
  assert.equal(
    lines[0],
    '{"ts_recv":"1609160400099150057","hd":{"ts_event":"1609160400098821953","rtype":0,' +
      '"publisher_id":1,"instrument_id":5482},"action":"T","side":"A","depth":0,' +
      '"price":"3720250000000","size":5,"flags":129,"ts_in_delta":19251,"sequence":1170380}',
  );
});

Deno.test("dbn --csv --pretty --map-symbols prints a header, 9-decimal prices and ISO timestamps", async () => {
  const { code, stdout } = await dbn(`${FIXTURES}test_data.trades.dbn`, "--csv", "--pretty", "-s");
  assert.equal(code, 0);
  const [header, first] = stdout.split("\n");
  assert.equal(
    header,
    "ts_recv,ts_event,rtype,publisher_id,instrument_id,action,side,depth,price,size,flags," +
      "ts_in_delta,sequence,symbol",
  );
  assert.match(first!, /^2020-12-28T13:00:00\.099150057Z,.*,3720\.250000000,.*,ESH1$/);
});

Deno.test("dbn --metadata prints the header as JSON", async () => {
  const { code, stdout } = await dbn(`${FIXTURES}test_data.ohlcv-1d.v1.dbn.zst`, "--metadata");
  assert.equal(code, 0);
  const metadata = JSON.parse(stdout);
  assert.equal(metadata.version, 1);
  assert.equal(metadata.dataset, "GLBX.MDP3");
  assert.equal(metadata.limit, "2");
  assert.deepEqual(metadata.symbols, ["ESH1"]);
});

Deno.test("dbn --upgrade -o out.dbn converts a v1 file into the v3 file's bytes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/mbo.dbn`;
    const { code, stderr } = await dbn(`${FIXTURES}test_data.mbo.v1.dbn.zst`, "-u", "-o", out);
    assert.equal(code, 0, stderr);
    assert.deepEqual(
      await Deno.readFile(out),
      await Deno.readFile(`${FIXTURES}test_data.mbo.v3.dbn`),
    );
    const again = await dbn(`${FIXTURES}test_data.mbo.v1.dbn.zst`, "-u", "-o", out);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists: pass --force/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dbn --limit stops early and --fragment writes records only", async () => {
  const json = await dbn(`${FIXTURES}test_data.mbp-1.dbn`, "--limit", "1");
  assert.equal(json.stdout.trimEnd().split("\n").length, 1);
  const file = await Deno.readFile(`${FIXTURES}test_data.mbp-1.dbn`);
  const recordsStart = 8 + new DataView(file.buffer).getUint32(4, true);
  const frag = await dbn(`${FIXTURES}test_data.mbp-1.dbn`, "-D", "--fragment");
  assert.equal(frag.code, 0);
  assert.deepEqual(frag.bytes, file.subarray(recordsStart));
});

Deno.test("dbn reads fragments by name and legacy DBZ files", async () => {
  const frag = await dbn(`${FIXTURES}multi-frame.definition.v1.dbn.frag.zst`);
  assert.equal(frag.stdout.trimEnd().split("\n").length, 8);
  const dbz = await dbn(`${FIXTURES}test_data.mbo.dbz`);
  assert.equal(dbz.code, 0);
  assert.equal(dbz.stdout.trimEnd().split("\n").length, 2);
});

Deno.test("dbn rejects bad flags with exit code 2 and one line", async () => {
  for (const args of [["--bogus"], ["-C", "-J"], ["--limit", "0"], ["-o", "out.xyz"], []]) {
    const { code, stderr } = await dbn(
      ...(args.length ? [`${FIXTURES}test_data.trades.dbn`] : []),
      ...args,
    );
    assert.equal(code, 2, args.join(" "));
    assert.equal(stderr.trimEnd().split("\n").length, 1, stderr);
  }
});

Deno.test("dbn reports corrupt and missing input in one line naming the file and byte offset", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bytes = await Deno.readFile(`${FIXTURES}test_data.trades.dbn`);
    await Deno.writeFile(`${dir}/cut.dbn`, bytes.subarray(0, bytes.length - 5));
    const cut = await dbn(`${dir}/cut.dbn`);
    assert.equal(cut.code, 1);
    assert.match(cut.stderr, /cut\.dbn at byte \d+: /);
    assert.equal(cut.stderr.trimEnd().split("\n").length, 1);
    assert.equal(cut.stdout.trimEnd().split("\n").length, 1, "the whole first record, then stop");
    const missing = await dbn(`${dir}/none.dbn`);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Cannot open ".*none\.dbn": no such file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
