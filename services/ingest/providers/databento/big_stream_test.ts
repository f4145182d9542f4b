// More than 1 GB of uncompressed DBN through the client and the fake server (both in one child
// process, so the RSS measured is theirs alone): every record arrives, in order, and memory
// stays flat because the body streams with backpressure end to end.
import assert from "node:assert/strict";
import type { BigStreamResult } from "./_big_stream_child.ts";

const COUNT = 23_000_000; // 23M trades x 48 bytes = 1.104 GB of records
const START = 1_700_000_000_000_000_000n;
const STEP = 1_000_000n;
const RSS_BOUND = 256 * 1024 * 1024;

Deno.test("a 1.1 GB get_range streams through reader.batches() in constant memory", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL("./_big_stream_child.ts", import.meta.url).pathname,
      String(COUNT),
      String(START),
    ],
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await child.output();
  const errors = new TextDecoder().decode(stderr);
  assert.equal(code, 0, `child failed: ${errors}`);
  const result: BigStreamResult = JSON.parse(new TextDecoder().decode(stdout));
  assert.equal(result.expectedCount, COUNT);
  assert.equal(result.records, COUNT);
  assert.equal(result.bytes, COUNT * 48);
  assert.ok(result.bytes > 1_000_000_000);
  assert.ok(result.ordered, "batches out of time order");
  assert.equal(result.firstTs, String(START));
  assert.equal(result.lastTs, String(START + BigInt(COUNT - 1) * STEP));
  assert.ok(result.compressedBytes > 0 && result.compressedBytes < result.bytes);
  assert.ok(
    result.rssGrowth < RSS_BOUND,
    `RSS grew by ${(result.rssGrowth / 2 ** 20).toFixed(0)} MiB while streaming`,
  );
});
