/** `trader hash-strategy FILE...`: SHA-256 lines exactly as `sha256sum` prints them. */
import { parseFlags, UsageError, writeStdout } from "@shared/cli/mod.ts";
import { sha256File } from "@shared/engine/strategy_file.ts";

const USAGE = "deno task trader hash-strategy FILE...";

/** Prints `<hex>  <file>` per file; a missing file is a UsageError (exit 2). */
export async function hashStrategyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    options: { help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) {
    writeStdout(`Usage: ${USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError(`Missing strategy file (usage: ${USAGE})`);
  const lines: string[] = [];
  for (const file of positionals) lines.push(sha256Line(await hashOf(file), file));
  writeStdout(lines.join(""));
  return 0;
}

async function hashOf(file: string): Promise<string> {
  try {
    return await sha256File(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UsageError(`Strategy file "${file}" not found`, { cause: e });
    }
    if (e instanceof Deno.errors.IsADirectory) {
      throw new UsageError(`Strategy file "${file}" is a directory`, { cause: e });
    }
    throw e;
  }
}

/** sha256sum's line: names holding a backslash or newline are escaped and flagged with "\". */
export function sha256Line(hex: string, file: string): string {
  if (!/[\\\n\r]/.test(file)) return `${hex}  ${file}\n`;
  const escaped = file.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll("\r", "\\r");
  return `\\${hex}  ${escaped}\n`;
}
