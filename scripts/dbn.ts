/**
 * `deno task dbn`: read a DBN (or .dbn.zst, fragment, legacy DBZ) file and print its records as
 * JSON lines or CSV, print its metadata, or write it converted, the way Databento's `dbn` CLI does.
 *
 * Exit codes: 0 ok, 2 bad flags, 1 bad data (one line naming the file and the byte offset).
 * @module
 */
import { parseFlags, runMain, UsageError, writeStdout } from "@shared/cli/mod.ts";
import type { Metadata } from "@shared/dbn/mod.ts";
import { createDbnWriter, type DbnReader, openDbn } from "@shared/dbn/stream/mod.ts";
import { formatMetadataJson, RecordPrinter } from "@shared/dbn/text/mod.ts";
import { TextOutput } from "./_text_output.ts";

const USAGE = `Usage: deno task dbn <FILE|-> [options]

Reads a DBN file (.dbn, .dbn.zst, fragments .dbn.frag[.zst], legacy .dbz) or standard input and
prints its records as JSON lines (default) or CSV, prints its metadata, or writes a DBN copy.

Options:
  -J, --json              JSON lines (the default)
  -C, --csv               CSV with a header row
  -D, --dbn               DBN output (needs -o or a pipe)
  -o, --output FILE       write to FILE; .json, .csv, .dbn (each optionally .zst) pick the encoding
  -z, --zstd              Zstandard-compress the output
  -f, --force             overwrite an existing output file
  -m, --metadata          print the metadata as JSON instead of the records
  -p, --pretty            prices with 9 decimals, ISO 8601 timestamps (and indented JSON)
  -s, --map-symbols       add a symbol field resolved from the metadata's mappings
  -u, --upgrade           upgrade DBN v1/v2 records to v3
  -l, --limit N           stop after N records
      --fragment          write DBN without the metadata header
      --input-fragment    read the input as a fragment (records only); .frag names are detected
      --input-version N   DBN version of a fragment input (1, 2 or 3; default: from the name)
  -h, --help              show this help
`;

type Encoding = "json" | "csv" | "dbn";

interface Plan {
  input: string;
  output: string | undefined;
  encoding: Encoding;
  compress: boolean;
  force: boolean;
  metadataOnly: boolean;
  pretty: boolean;
  mapSymbols: boolean;
  upgrade: boolean;
  limit: number;
  fragmentOut: boolean;
  fragmentIn: { version?: 1 | 2 | 3 } | undefined;
}

function plan(args: string[]): Plan | undefined {
  const { values, positionals } = parseFlags(args, {
    allowPositionals: true,
    options: {
      json: { type: "boolean", short: "J" },
      csv: { type: "boolean", short: "C" },
      dbn: { type: "boolean", short: "D" },
      output: { type: "string", short: "o" },
      zstd: { type: "boolean", short: "z" },
      force: { type: "boolean", short: "f" },
      metadata: { type: "boolean", short: "m" },
      pretty: { type: "boolean", short: "p" },
      "map-symbols": { type: "boolean", short: "s" },
      upgrade: { type: "boolean", short: "u" },
      limit: { type: "string", short: "l" },
      fragment: { type: "boolean" },
      "input-fragment": { type: "boolean" },
      "input-version": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return undefined;
  if (positionals.length !== 1) {
    throw new UsageError(`Expected one input file (or "-"), got ${positionals.length}`);
  }
  const chosen = (["json", "csv", "dbn"] as const).filter((e) => values[e]);
  if (chosen.length > 1) throw new UsageError(`Options --${chosen.join(" and --")} conflict`);
  const output = values.output;
  const encoding = chosen[0] ?? inferEncoding(output);
  if (values.metadata && encoding !== "json") {
    throw new UsageError("Option --metadata prints JSON only");
  }
  return {
    input: positionals[0]!,
    output,
    encoding,
    compress: values.zstd === true || (output?.endsWith(".zst") ?? false),
    force: values.force === true,
    metadataOnly: values.metadata === true,
    pretty: values.pretty === true,
    mapSymbols: values["map-symbols"] === true,
    upgrade: values.upgrade === true,
    limit: parseLimit(values.limit),
    fragmentOut: values.fragment === true,
    fragmentIn: values["input-fragment"] || values["input-version"] !== undefined
      ? { version: parseVersion(values["input-version"]) }
      : undefined,
  };
}

function inferEncoding(output: string | undefined): Encoding {
  if (output === undefined) return "json";
  const name = output.replace(/\.zst$/, "");
  if (name.endsWith(".dbn")) return "dbn";
  if (name.endsWith(".csv")) return "csv";
  if (name.endsWith(".json")) return "json";
  throw new UsageError(
    `Cannot infer the output encoding from "${output}": use .json, .csv or .dbn, or -J/-C/-D`,
  );
}

function parseLimit(text: string | undefined): number {
  if (text === undefined) return Infinity;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`Option --limit expects a positive integer, got "${text}"`);
  }
  return n;
}

function parseVersion(text: string | undefined): 1 | 2 | 3 | undefined {
  if (text === undefined) return undefined;
  if (text === "1" || text === "2" || text === "3") return Number(text) as 1 | 2 | 3;
  throw new UsageError(`Option --input-version expects 1, 2 or 3, got "${text}"`);
}

async function main(args: string[]): Promise<number> {
  const p = plan(args);
  if (p === undefined) {
    writeStdout(USAGE);
    return 0;
  }
  const reader = await openDbn(p.input, {
    source: p.input === "-" ? "stdin" : p.input,
    upgrade: p.upgrade,
    ...(p.fragmentIn ? { fragment: p.fragmentIn } : {}),
  }).catch((e) => {
    if (e instanceof Deno.errors.NotFound) {
      throw new Error(`Cannot open "${p.input}": no such file`);
    }
    if (e instanceof Deno.errors.PermissionDenied) {
      throw new Error(`Cannot open "${p.input}": permission denied`);
    }
    throw e;
  });
  try {
    if (p.encoding === "dbn") await writeDbn(reader, p);
    else await writeText(reader, p);
  } finally {
    await reader.close();
  }
  return 0;
}

async function writeDbn(reader: DbnReader, p: Plan): Promise<void> {
  if (p.output === undefined && Deno.stdout.isTerminal()) {
    throw new UsageError("Refusing to write binary DBN to a terminal: pass -o FILE or a pipe");
  }
  if (p.output !== undefined && !p.force && await exists(p.output)) {
    throw new UsageError(`Output file "${p.output}" exists: pass --force to overwrite it`);
  }
  const metadata = p.fragmentOut ? undefined : withLimit(reader.metadata, p.limit);
  const writer = await createDbnWriter(p.output ?? Deno.stdout, {
    compress: p.compress,
    ...(metadata ? { metadata } : { fragment: { version: reader.version, tsOut: reader.tsOut } }),
  });
  let count = 0;
  for await (const record of reader) {
    await writer.write(record);
    if (++count >= p.limit) break;
  }
  await writer.close();
}

/** A limit lower than the file's own is recorded in the copy's metadata, as Databento's CLI does. */
function withLimit(metadata: Metadata | undefined, limit: number): Metadata | undefined {
  if (metadata === undefined || limit === Infinity) return metadata;
  const current = metadata.limit;
  return current !== null && current <= BigInt(limit)
    ? metadata
    : { ...metadata, limit: BigInt(limit) };
}

async function writeText(reader: DbnReader, p: Plan): Promise<void> {
  const out = await TextOutput.open(p.output, { compress: p.compress, force: p.force });
  try {
    if (p.metadataOnly) {
      if (reader.metadata === undefined) {
        throw new UsageError("Option --metadata needs an input with metadata, not a fragment");
      }
      await out.write(
        formatMetadataJson(reader.metadata, { pretty: p.pretty, indent: p.pretty }) + "\n",
      );
    } else {
      await writeRecords(reader, p, out);
    }
    await out.close();
  } catch (e) {
    out.abort();
    throw e;
  }
}

async function writeRecords(reader: DbnReader, p: Plan, out: TextOutput): Promise<void> {
  if (p.mapSymbols && reader.metadata === undefined) {
    throw new UsageError("Option --map-symbols needs an input with metadata, not a fragment");
  }
  const printer = new RecordPrinter(reader, {
    encoding: p.encoding === "csv" ? "csv" : "json",
    pretty: p.pretty,
    mapSymbols: p.mapSymbols,
  });
  // The header comes first when the schema names the record type, so an empty file still has it.
  await out.write(printer.header());
  let count = 0;
  for await (const record of reader) {
    await out.write(printer.print(record));
    if (++count >= p.limit) break;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

await runMain(async (args) => {
  try {
    return await main(args);
  } catch (e) {
    // The reader of our output went away (e.g. `| head`): nothing left to say.
    if (e instanceof Deno.errors.BrokenPipe) return 0;
    throw e;
  }
});
