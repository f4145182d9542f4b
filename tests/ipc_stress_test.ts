/**
 * The channel across real processes: a writer at full speed on a small ring (so it laps readers
 * constantly) and readers in other processes that check every record's checksum and sequence.
 */
import assert from "node:assert/strict";
import { ChannelReader } from "@shared/ipc/channel_reader.ts";
import { ChannelWriter } from "@shared/ipc/channel_writer.ts";
import { removeNamespace, uniqueNamespace } from "@shared/ipc/testing.ts";
import { ROOT } from "./_run_script.ts";

interface ReaderReport {
  start: number;
  end: number;
  delivered: number;
  lost: number;
  readerLost: number;
  errors: string[];
}

function spawn(script: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-all", `${ROOT}tests/ipc/${script}`, ...args],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}

async function finish(child: Deno.ChildProcess): Promise<string[]> {
  const output = await child.output();
  const text = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  return text.trim().split("\n");
}

Deno.test("a full-speed writer never hands a reader in another process a torn, stale or misplaced record", async () => {
  const ns = uniqueNamespace();
  const records = 5_000_000;
  try {
    const writer = spawn("stress_writer.ts", [
      "--namespace",
      ns,
      "--capacity",
      "64",
      "--records",
      String(records),
      "--batch",
      "16",
      "--wait-readers",
      "3",
    ]);
    // The channel exists once the writer says ready.
    const reader = writer.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const first = await reader.read();
    assert.match(first.value ?? "", /"ready":true/);
    const readers = [
      spawn("stress_reader.ts", ["--namespace", ns, "--batch", "256"]),
      spawn("stress_reader.ts", ["--namespace", ns, "--batch", "1"]),
      spawn("stress_reader.ts", ["--namespace", ns, "--batch", "64", "--lag-rings", "4"]),
    ];
    const reports = await Promise.all(
      readers.map(async (child) => JSON.parse((await finish(child)).at(-1)!) as ReaderReport),
    );
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += chunk.value;
    }
    assert.equal((await writer.status).code, 0);
    assert.match(rest, new RegExp(`"end":${records}`));
    for (const report of reports) {
      assert.deepEqual(report.errors, []);
      assert.equal(report.start, 0);
      assert.equal(report.end, records);
      assert.equal(report.delivered + report.lost, records, JSON.stringify(report));
      assert.equal(report.lost, report.readerLost);
    }
    // The reader that waited four rings before its first poll must have lost (and said so).
    assert.ok(reports[2]!.lost >= 4 * 64, JSON.stringify(reports[2]));
  } finally {
    removeNamespace(ns);
  }
});

Deno.test("a writer killed without closing goes stale for its readers; a new writer continues the sequence", async () => {
  const ns = uniqueNamespace();
  try {
    const crashed = spawn("stress_writer.ts", [
      "--namespace",
      ns,
      "--capacity",
      "1024",
      "--records",
      "100",
      "--no-close",
    ]);
    await finish(crashed);
    const key = { symbol: "BTCUSD", exchange: "TEST" };
    const reader = ChannelReader.open({ namespace: ns, key, from: "oldest", staleAfterSecs: 1 });
    const status = reader.writerStatus(Date.now() + 1500);
    assert.equal(status.state, "open");
    assert.equal(status.stale, true);
    assert.equal(status.lag, 100);
    const next = spawn("stress_writer.ts", [
      "--namespace",
      ns,
      "--capacity",
      "1024",
      "--records",
      "50",
    ]);
    const lines = await finish(next);
    assert.match(lines.at(-1)!, /"first":100,"end":150/);
    const after = reader.writerStatus();
    assert.equal(after.generation, 2);
    assert.equal(after.state, "closed");
    assert.equal(after.lag, 150);
    reader.close();
    // And the channel can be written again from here.
    const writer = ChannelWriter.create({ namespace: ns, key, capacity: 1024 });
    assert.equal(writer.sequence, 150);
    writer.close();
  } finally {
    removeNamespace(ns);
  }
});
