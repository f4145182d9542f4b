// Shared-memory channel vs a Unix domain socket, writer and reader in separate processes, the same
// records both ways (48-byte DBN trades): throughput with batched publish and poll, then one-way
// latency of single records paced at --rate.
//   deno task bench:ipc
//   deno task bench:ipc --records 20000000 --latency-records 300000 --rate 100000 --batch 256
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { removeNamespace, uniqueNamespace } from "@shared/ipc/testing.ts";
import { channelBytes } from "@shared/ipc/channel_layout.ts";
import { namespaceDir } from "@shared/ipc/names.ts";
import { monotonicNs } from "@shared/ipc/mod.ts";
import type { RoleArgs } from "./_bench_ipc_roles.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    records: { type: "string", default: "20000000" },
    "uds-records": { type: "string", default: "5000000" },
    "uds-single-records": { type: "string", default: "300000" },
    "latency-records": { type: "string", default: "300000" },
    rate: { type: "string", default: "100000" },
    batch: { type: "string", default: "256" },
  },
});

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Invalid --${name} "${value}"`);
  return n;
}

const RECORDS = positive("records", flags.records);
const UDS_RECORDS = positive("uds-records", flags["uds-records"]);
const UDS_SINGLE_RECORDS = positive("uds-single-records", flags["uds-single-records"]);
const LATENCY_RECORDS = positive("latency-records", flags["latency-records"]);
const RATE = positive("rate", flags.rate);
const BATCH = positive("batch", flags.batch);
const ROLES = fileURLToPath(new URL("./_bench_ipc_roles.ts", import.meta.url));

function log(line: string): void {
  // deno-lint-ignore no-console
  console.log(line);
}

interface ReaderResult {
  received: number;
  lost: number;
  seconds: number;
  latency: { samples: number; p50: number; p90: number; p99: number; p999: number; max: number };
}

function spawn(
  role: string,
  args: RoleArgs,
): { child: Deno.ChildProcess; lines: ReadableStreamDefaultReader<string> } {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", ROLES, role, JSON.stringify(args)],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  return { child, lines };
}

async function lastJson(lines: ReadableStreamDefaultReader<string>): Promise<unknown> {
  let text = "";
  for (let chunk = await lines.read(); !chunk.done; chunk = await lines.read()) text += chunk.value;
  return JSON.parse(text.trim().split("\n").at(-1)!);
}

/** Starts the writer, waits for "ready", starts the reader, returns the reader's report. */
async function run(
  transport: "shm" | "uds",
  records: number,
  rate: number,
  batch = BATCH,
): Promise<ReaderResult & { stealPct: number }> {
  const namespace = uniqueNamespace("ipc_bench");
  Deno.mkdirSync(namespaceDir(namespace), { recursive: true });
  const args: RoleArgs = {
    namespace,
    socket: `${namespaceDir(namespace)}/bench.sock`,
    records,
    batch,
    rate,
  };
  const before = cpuTimes();
  try {
    const writer = spawn(`${transport}-writer`, args);
    const ready = await writer.lines.read();
    if (!ready.value?.includes('"ready"')) {
      throw new Error(`${transport} writer did not start: ${ready.value}`);
    }
    const reader = spawn(`${transport}-reader`, args);
    const result = await lastJson(reader.lines) as ReaderResult;
    await lastJson(writer.lines);
    const [w, r] = await Promise.all([writer.child.status, reader.child.status]);
    if (!w.success || !r.success) {
      throw new Error(`${transport} run failed (writer ${w.code}, reader ${r.code})`);
    }
    if (result.received !== records || result.lost !== 0) {
      throw new Error(
        `${transport}: received ${result.received} of ${records}, lost ${result.lost}`,
      );
    }
    return { ...result, stealPct: stealPercent(before, cpuTimes()) };
  } finally {
    removeNamespace(namespace);
  }
}

/** The machine's cpu line of /proc/stat: [total, steal] jiffies. */
function cpuTimes(): [number, number] {
  const fields = Deno.readTextFileSync("/proc/stat").split("\n")[0]!.trim().split(/\s+/).slice(1)
    .map(Number);
  return [fields.reduce((a, b) => a + b, 0), fields[7] ?? 0];
}

/** Share of CPU time the hypervisor took from this VM between two readings (noise, not ours). */
function stealPercent(before: [number, number], after: [number, number]): number {
  const total = after[0] - before[0];
  return total === 0 ? 0 : (100 * (after[1] - before[1])) / total;
}

const fmt = (n: number, digits = 1) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

log(
  `IPC benchmark: ${Deno.build.target}, deno ${Deno.version.deno}, batch ${BATCH}, records of 48 bytes`,
);
log("steal = CPU time the hypervisor took from this VM during the run (/proc/stat)");
log(`memory per channel at the default capacity (65536 trades): ${channelBytes(65536, 48)} bytes`);

const shm = await run("shm", RECORDS, 0);
const uds = await run("uds", UDS_RECORDS, 0);
const udsSingle = await run("uds", UDS_SINGLE_RECORDS, 0, 1);
const perSecond = (r: ReaderResult) => r.received / r.seconds;
const rows = [
  ["shared memory", shm],
  [`unix socket, ${BATCH} records per write`, uds],
  ["unix socket, 1 record per write", udsSingle],
] as const;
log("");
log(`throughput (shared memory: batched publish and poll, ${BATCH} per batch; steal in brackets)`);
for (const [name, result] of rows) {
  const ratio = result === shm ? "" : `  shared memory ${fmt(perSecond(shm) / perSecond(result))}x`;
  const figure = `${fmt(perSecond(result) / 1e6, 2)} M records/s`.padStart(18);
  log(
    `  ${name.padEnd(36)}${figure}  (${fmt(result.received / 1e6, 2)} M, ${
      fmt(result.stealPct)
    }%)${ratio}`,
  );
}

/** Time a bare spin loop is off the CPU (gaps over 50 us in one second): the floor under any p99 here. */
function schedulingJitter(): { lostMs: number; gaps: number; maxUs: number } {
  const end = monotonicNs() + 1e9;
  let last = monotonicNs();
  let lost = 0, gaps = 0, max = 0;
  while (last < end) {
    const t = monotonicNs();
    if (t - last > 50_000) {
      gaps++;
      lost += t - last;
      max = Math.max(max, t - last);
    }
    last = t;
  }
  return { lostMs: lost / 1e6, gaps, maxUs: max / 1000 };
}

const jitter = schedulingJitter();
const shmLatency = await run("shm", LATENCY_RECORDS, RATE);
const udsLatency = await run("uds", LATENCY_RECORDS, RATE);
log("");
log(
  `one-way latency, single records paced at ${fmt(RATE, 0)}/s (us; first 10% dropped as warm-up)`,
);
log("                    p50       p90       p99     p99.9       max");
for (
  const [name, result] of [["shared memory", shmLatency], ["unix socket", udsLatency]] as const
) {
  const l = result.latency;
  const cells = [l.p50, l.p90, l.p99, l.p999, l.max].map((v) => fmt(v, 2).padStart(9)).join(" ");
  log(`  ${name.padEnd(14)} ${cells}  (steal ${fmt(result.stealPct)}%)`);
}
log(`  p50: shared memory ${fmt(udsLatency.latency.p50 / shmLatency.latency.p50)}x lower`);
log(
  `  scheduling jitter: a bare spin loop was off the CPU ${fmt(jitter.lostMs)} ms of 1000 ` +
    `(${jitter.gaps} gaps over 50 us, longest ${fmt(jitter.maxUs, 0)} us)`,
);
