/** `deno task ipc status|tail` against a real publisher process (registry, channels, control socket). */
import assert from "node:assert/strict";
import { removeNamespace, uniqueNamespace } from "@shared/ipc/testing.ts";
import { ROOT, runScript } from "./_run_script.ts";

interface Publisher {
  child: Deno.ChildProcess;
  stop(): Promise<string>;
}

async function startPublisher(args: string[]): Promise<Publisher> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-all", `${ROOT}tests/ipc/publisher_child.ts`, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const first = await lines.read();
  assert.match(first.value ?? "", /"ready":true/);
  return {
    child,
    async stop() {
      child.kill("SIGTERM");
      let rest = "";
      for (let chunk = await lines.read(); !chunk.done; chunk = await lines.read()) {
        rest += chunk.value;
      }
      await child.stderr.cancel();
      await child.status;
      return rest;
    },
  };
}

Deno.test("ipc status lists the instance and its channels; tail prints records and opens a channel on demand", async () => {
  const ns = uniqueNamespace();
  const publisher = await startPublisher([
    "--namespace",
    ns,
    "--symbols",
    "BTCUSD,ETHUSD,SOLUSD",
    "--ipc-symbols",
    "BTCUSD,ETHUSD",
    "--instance",
    "kraken-prod",
  ]);
  try {
    const status = await runScript("scripts/ipc.ts", [
      "status",
      "--namespace",
      ns,
      "--interval",
      "200",
    ]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /kraken-prod\s+synthetic\s+KRAKEN\s+\d+\s+running/);
    assert.match(status.stdout, /data_manager_kraken-prod__BTCUSD_KRAKEN\s+trades\s+1024/);
    assert.match(status.stdout, /data_manager_kraken-prod__ETHUSD_KRAKEN/);
    assert.doesNotMatch(status.stdout, /SOLUSD_KRAKEN/);

    const json = await runScript("scripts/ipc.ts", [
      "status",
      "--namespace",
      ns,
      "--interval",
      "200",
      "--json",
    ]);
    const doc = JSON.parse(json.stdout);
    assert.equal(doc.instances[0].instanceId, "kraken-prod");
    assert.equal(doc.channels.length, 2);
    assert.ok(doc.channels[0].ratePerSec > 0, "the publisher writes every 5 ms");

    const tail = await runScript("scripts/ipc.ts", [
      "tail",
      "BTCUSD",
      "--namespace",
      ns,
      "--limit",
      "3",
    ]);
    assert.equal(tail.code, 0, tail.stderr);
    const records = tail.stdout.trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(records.length, 3);
    assert.equal(records[0].hd.rtype, 0);
    assert.equal(records[1].sequence, records[0].sequence + 1);

    // SOLUSD is streamed but has no channel: tail asks SUBSCRIBE over the control socket.
    const onDemand = await runScript("scripts/ipc.ts", [
      "tail",
      "SOLUSD",
      "--namespace",
      ns,
      "--limit",
      "2",
    ]);
    assert.equal(onDemand.code, 0, onDemand.stderr);
    assert.match(onDemand.stderr, /tailing data_manager_kraken-prod__SOLUSD_KRAKEN/);
    assert.equal(onDemand.stdout.trim().split("\n").length, 2);

    const unknown = await runScript("scripts/ipc.ts", [
      "tail",
      "XRPUSD",
      "--namespace",
      ns,
      "--limit",
      "1",
    ]);
    assert.equal(unknown.code, 1);
    assert.match(
      unknown.stderr,
      /No live ingest instance streams XRPUSD .*kraken-prod \[BTCUSD,ETHUSD,SOLUSD\]/,
    );
  } finally {
    const closing = await publisher.stop();
    assert.match(closing, /"closed":true/);
    const after = await runScript("scripts/ipc.ts", [
      "status",
      "--namespace",
      ns,
      "--interval",
      "100",
    ]);
    assert.match(
      after.stdout,
      /instances \(0 of 64 registry slots\)/,
      "a graceful stop deregisters",
    );
    assert.match(after.stdout, /\d+ closed/);
    removeNamespace(ns);
  }
});

Deno.test("ipc refuses bad input with one line: path-like symbols, bad namespaces, unknown commands", async () => {
  const cases: [string[], number, RegExp][] = [
    [["tail", "../x"], 2, /invalid symbol "\.\.\/x"/],
    [["tail", "BRK.B"], 2, /Invalid channel symbol "BRK\.B"/],
    [["status", "--namespace", "../etc"], 2, /Invalid IPC namespace/],
    [["tail"], 2, /tail needs exactly one SYMBOL/],
    [["watch"], 2, /Unknown command "watch"/],
    [["status", "--interval", "0"], 2, /"--interval" expects a positive integer/],
  ];
  for (const [args, code, message] of cases) {
    const run = await runScript("scripts/ipc.ts", args);
    assert.equal(run.code, code, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
  }
});
