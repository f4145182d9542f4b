/**
 * `deno task ipc`: look at the shared-memory IPC of this machine.
 *   status   registry entries, channels with write rates, each reader's lag and losses
 *   tail     print a symbol's records as they arrive, as JSON lines (like `deno task dbn`)
 *
 * Exit codes: 0 ok, 2 bad flags, 1 no such channel or an unreadable one.
 * @module
 */
import { parseFlags, runMain, UsageError, writeStderr, writeStdout } from "@shared/cli/mod.ts";
import { CONFIG_HELP, CONFIG_OPTIONS, configFrom } from "@shared/cli/config_flags.ts";
import { decodeRecord } from "@shared/dbn/record_codec.ts";
import { formatRecordJson } from "@shared/dbn/text/mod.ts";
import { type ChannelInfo, listChannels } from "@shared/ipc/channel_info.ts";
import { ChannelReader } from "@shared/ipc/channel_reader.ts";
import { resolveChannel } from "@shared/ipc/discovery.ts";
import { namespaceDir, validateChannelSymbol, validateNamespace } from "@shared/ipc/names.ts";
import { consume } from "@shared/ipc/poller.ts";
import { Registry } from "@shared/ipc/registry.ts";

const USAGE = `Usage: deno task ipc <status|tail> [options]

  status [--json] [--interval MS]     registry entries, channels, write rates, readers' lag
  tail <SYMBOL> [--exchange E] [--instance ID] [--from latest|oldest] [--limit N] [--pretty]
                                      print records as they arrive (JSON lines); losses to stderr

Options:
      --namespace NS   the /dev/shm folder (default: [ipc] namespace, "trading")
      --json           status as one JSON document
      --interval MS    status: how long to watch write sequences for the rates (default 1000)
      --exchange E     tail: the exchange, when several instances stream the symbol
      --instance ID    tail: the ingest instance id
      --from WHERE     tail: "latest" (default) or "oldest" record still in the ring
      --limit N        tail: stop after N records
  -p, --pretty         tail: prices with 9 decimals, ISO 8601 timestamps
${CONFIG_HELP}`;

const OPTIONS = {
  ...CONFIG_OPTIONS,
  namespace: { type: "string" },
  json: { type: "boolean" },
  interval: { type: "string" },
  exchange: { type: "string" },
  instance: { type: "string" },
  from: { type: "string" },
  limit: { type: "string" },
  pretty: { type: "boolean", short: "p" },
} as const;

function count(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new UsageError(`Option "--${name}" expects a positive integer, got "${value}"`);
  }
  return n;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const age = (ms: number) => ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) =>
    "  " + row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()
  ).join("\n");
}

async function status(
  namespace: string,
  json: boolean,
  intervalMs: number,
  staleAfterSecs: number,
): Promise<void> {
  const registry = Registry.open(namespace, { staleAfterSecs });
  const entries = registry.list();
  registry.close();
  const before = listChannels(namespace, { staleAfterSecs });
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
  const after = listChannels(namespace, { staleAfterSecs });
  const seconds = (performance.now() - t0) / 1000;
  const rate = (info: ChannelInfo) => {
    const old = before.channels.find((c) => c.name === info.name);
    return old === undefined ? 0 : Math.round((info.writeSequence - old.writeSequence) / seconds);
  };
  if (json) {
    const channels = after.channels.map((info) => ({ ...info, ratePerSec: rate(info) }));
    const instances = entries.map((e) => ({
      ...e,
      heartbeatNs: String(e.heartbeatNs),
      startedNs: String(e.startedNs),
    }));
    writeStdout(
      JSON.stringify({ namespace, instances, channels, problems: after.problems }, null, 2) + "\n",
    );
    return;
  }
  const out = [`namespace ${namespace} (${namespaceDir(namespace)})`, ""];
  out.push(`instances (${entries.length} of 64 registry slots)`);
  if (entries.length === 0) out.push("  none registered");
  else {
    out.push(table([
      ["INSTANCE", "PROVIDER", "EXCHANGE", "PID", "STATUS", "HEARTBEAT", "SYMBOLS"],
      ...entries.map((e) => [
        e.instanceId ?? "(default)",
        e.provider,
        e.exchange,
        String(e.pid),
        e.stale ? "STALE" : e.status,
        `${age(e.ageMs)} ago`,
        e.symbols.join(",") + (e.symbolsTruncated ? ",..." : ""),
      ]),
    ]));
  }
  out.push("", `channels (${after.channels.length})`);
  if (after.channels.length === 0) out.push("  none");
  else {
    out.push(table([
      [
        "CHANNEL",
        "SCHEMA",
        "SLOTS",
        "MEMORY",
        "WRITTEN",
        "RATE/S",
        "WRITER",
        "READERS (pid: lag, lost)",
      ],
      ...after.channels.map((c) => [
        c.name,
        c.schema,
        String(c.capacity),
        mib(c.bytes),
        String(c.writeSequence),
        String(rate(c)),
        `${c.writerPid} ${
          c.state === "closed" ? "closed" : c.stale ? `STALE ${age(c.heartbeatAgeMs)}` : "ok"
        }`,
        c.readers.map((r) =>
          `${r.pid}: ${r.lag}, ${r.lost}${
            r.heartbeatAgeMs > staleAfterSecs * 1000 ? " (stale)" : ""
          }`
        ).join("; ") || "-",
      ]),
    ]));
  }
  for (const problem of after.problems) out.push(`  unreadable ${problem.name}: ${problem.error}`);
  writeStdout(out.join("\n") + "\n");
}

async function tail(
  namespace: string,
  symbol: string,
  values: Record<string, unknown>,
  staleAfterSecs: number,
) {
  const from = (values.from as string | undefined) ?? "latest";
  if (from !== "latest" && from !== "oldest") {
    throw new UsageError(`Option "--from" expects latest or oldest, got "${from}"`);
  }
  const limit = count("limit", values.limit as string | undefined, Infinity);
  const pretty = values.pretty === true;
  try {
    validateChannelSymbol(symbol);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const resolved = await resolveChannel(namespace, symbol, {
    exchange: values.exchange as string | undefined,
    instanceId: values.instance as string | undefined,
    staleAfterSecs,
  });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  Deno.addSignalListener("SIGINT", onSignal);
  let printed = 0;
  try {
    // A writer that recreates the file (another layout or capacity) replaces it: follow it.
    for (let position: "latest" | "oldest" = from; !stop.signal.aborted; position = "oldest") {
      const reader = ChannelReader.open({
        namespace,
        name: resolved.name,
        from: position,
        staleAfterSecs,
      });
      writeStderr(
        `tailing ${reader.name} (${reader.schema}, ${reader.capacity} slots) from ${position}\n`,
      );
      const round = new AbortController();
      const abortRound = () => round.abort();
      stop.signal.addEventListener("abort", abortRound);
      const watchdog = setInterval(() => watch(reader, round), 1000);
      const context = { version: 3 as const, tsOut: false, source: reader.name };
      try {
        await consume(reader, (batch) => {
          if (batch.lost > 0) {
            writeStderr(`lost ${batch.lost} records (this reader fell more than a ring behind)\n`);
          }
          const lines: string[] = [];
          for (let i = 0; i < batch.count && printed < limit; i++, printed++) {
            lines.push(
              formatRecordJson(decodeRecord(batch.bytes, batch.offset(i), context), { pretty }),
            );
          }
          if (lines.length > 0) writeStdout(lines.join("\n") + "\n");
          if (printed >= limit) stop.abort();
        }, { signal: round.signal });
      } finally {
        clearInterval(watchdog);
        stop.signal.removeEventListener("abort", abortRound);
        reader.close();
      }
    }
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    resolved.release();
  }
}

const staleWriters = new WeakSet<ChannelReader>();

/** Says once when the writer goes stale or comes back; ends the round when the file was replaced. */
function watch(reader: ChannelReader, round: AbortController): void {
  const writer = reader.writerStatus();
  if (writer.stale !== staleWriters.has(reader)) {
    writeStderr(
      writer.stale
        ? `writer pid ${writer.pid} is stale (no heartbeat for ${age(writer.heartbeatAgeMs)})\n`
        : `writer pid ${writer.pid} is beating again\n`,
    );
    if (writer.stale) staleWriters.add(reader);
    else staleWriters.delete(reader);
  }
  if (writer.replaced) {
    writeStderr(`${reader.name} was replaced by a new file; reopening\n`);
    round.abort();
  }
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === "-h" || command === "--help") {
    writeStdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  const { values, positionals } = parseFlags(rest, { options: OPTIONS, allowPositionals: true });
  if (values.help) {
    writeStdout(USAGE);
    return 0;
  }
  const config = configFrom(values);
  const namespace = values.namespace ?? config.ipc.namespace;
  try {
    validateNamespace(namespace);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const staleAfterSecs = config.ipc.stale_after_secs;
  if (command === "status") {
    if (positionals.length > 0) {
      throw new UsageError(`status takes no arguments, got "${positionals[0]}"`);
    }
    await status(
      namespace,
      values.json === true,
      count("interval", values.interval, 1000),
      staleAfterSecs,
    );
    return 0;
  }
  if (command === "tail") {
    if (positionals.length !== 1) {
      throw new UsageError("tail needs exactly one SYMBOL, e.g. deno task ipc tail BTCUSD");
    }
    await tail(namespace, positionals[0]!, values, staleAfterSecs);
    return 0;
  }
  throw new UsageError(`Unknown command "${command}" (expected status or tail)`);
}

if (import.meta.main) await runMain(main);
