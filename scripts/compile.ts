/**
 * `deno task compile`: self-contained `ingest`, `trader` and `backtest` executables in `dist/`,
 * with the WASM core, the config files and migrations, the built-in strategies' sources (their
 * hashes) and the report's chart library embedded. `deno compile` needs a denort runtime: it
 * downloads one on a machine with internet, or uses the binary `DENORT_BIN` points at.
 *
 *   deno task compile [--target TRIPLE] [--out DIR] [ingest|trader|backtest ...]
 *
 * Exit codes: 0 built, 2 bad flags, 1 a compile failed (its output is shown).
 * @module
 */
import { parseFlags, runMain, UsageError, writeStderr, writeStdout } from "@shared/cli/mod.ts";

const USAGE = `Usage: deno task compile [--target TRIPLE] [--out DIR] [ingest|trader|backtest ...]

Builds executables with the WASM core embedded (default: all three, into dist/).
deno compile needs a denort runtime: it downloads it when online; offline, point DENORT_BIN at a
denort binary of the same Deno version (${Deno.version.deno}).

  --target TRIPLE   cross-compile, e.g. x86_64-unknown-linux-gnu, aarch64-apple-darwin
  --out DIR         where the executables go (default dist)
`;

/** What each executable runs and the files it reads at run time. */
const PROGRAMS = {
  ingest: "services/ingest/main.ts",
  trader: "services/trader/main.ts",
  backtest: "services/backtest/main.ts",
} as const;

const INCLUDES = [
  "core-wasm/build/core.wasm",
  "config",
  "shared/engine/strategies",
  "services/backtest/report/vendor",
  // Loaded with `new Worker(...)`, which deno compile does not follow on its own.
  "shared/storage/_pglite_worker.ts",
];

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    options: {
      target: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (values.help) {
    writeStdout(USAGE);
    return 0;
  }
  const names = positionals.length === 0 ? Object.keys(PROGRAMS) : positionals;
  for (const name of names) {
    if (!(name in PROGRAMS)) {
      throw new UsageError(
        `Unknown program ${JSON.stringify(name)} (expected ingest, trader, backtest)`,
      );
    }
  }
  const out = values.out ?? "dist";
  await Deno.mkdir(out, { recursive: true });
  for (const name of names) {
    const output = `${out}/${name}`;
    const command = [
      "compile",
      "--allow-all",
      ...INCLUDES.flatMap((path) => ["--include", path]),
      ...(values.target === undefined ? [] : ["--target", values.target]),
      "--output",
      output,
      PROGRAMS[name as keyof typeof PROGRAMS],
    ];
    writeStdout(`compile: deno ${command.join(" ")}\n`);
    const result = await new Deno.Command(Deno.execPath(), {
      args: command,
      stdout: "inherit",
      stderr: "piped",
    })
      .output();
    if (!result.success) {
      const detail = new TextDecoder().decode(result.stderr).trim();
      writeStderr(`${detail}\n`);
      const hint = Deno.env.get("DENORT_BIN") === undefined
        ? " (offline? set DENORT_BIN to a denort binary of Deno " + Deno.version.deno + ")"
        : "";
      throw new Error(`deno compile of ${name} failed${hint}`);
    }
    writeStdout(`compile: ${output}\n`);
  }
  return 0;
}

await runMain(main);
