/**
 * The sidecar of an archived slice: what a DBN trade record has no room for, one line per record
 * in record order, `trade_id\tquantity\n`, Zstandard-compressed. Trade ids are printable ASCII
 * without space or backslash and quantities plain decimals (validateTick), so no escaping.
 */
import { createZstdCompressor } from "@shared/dbn/stream/mod.ts";
import type { Tick } from "../ticks/tick.ts";
import { readZstdFile } from "./_zstd_file.ts";

const LINES_PER_CHUNK = 8192;
const ENCODER = new TextEncoder();

/** The trade ids and exact quantities of a sidecar, in record order. */
export interface SidecarLines {
  tradeIds: string[];
  quantities: string[];
}

/** Writes the sidecar lines of `ticks` to `file` as one zstd frame. */
export async function writeSidecar(file: Deno.FsFile, ticks: readonly Tick[]): Promise<void> {
  const compressor = createZstdCompressor();
  try {
    for (let start = 0; start < ticks.length; start += LINES_PER_CHUNK) {
      const end = Math.min(start + LINES_PER_CHUNK, ticks.length);
      let text = "";
      for (let i = start; i < end; i++) text += `${ticks[i]!.tradeId}\t${ticks[i]!.quantity}\n`;
      await writeAll(file, await compressor.write(ENCODER.encode(text)));
    }
    await writeAll(file, await compressor.end());
  } catch (error) {
    compressor.destroy();
    throw error;
  }
}

/** Reads a sidecar file; throws a plain Error with the line number on a malformed line. */
export async function readSidecar(path: string): Promise<SidecarLines> {
  const text = new TextDecoder("utf-8", { fatal: true }).decode(await readZstdFile(path));
  const lines: SidecarLines = { tradeIds: [], quantities: [] };
  if (text === "") return lines;
  if (!text.endsWith("\n")) {
    throw new Error(`line ${text.split("\n").length} is cut short (no newline)`);
  }
  const parts = text.split("\n");
  for (let i = 0; i < parts.length - 1; i++) parseLine(parts[i]!, lines);
  return lines;
}

function parseLine(line: string, into: SidecarLines): void {
  const tab = line.indexOf("\t");
  if (tab <= 0 || tab === line.length - 1 || line.indexOf("\t", tab + 1) !== -1) {
    throw new Error(`line ${into.tradeIds.length + 1} is not "trade_id<TAB>quantity"`);
  }
  into.tradeIds.push(line.slice(0, tab));
  into.quantities.push(line.slice(tab + 1));
}

async function writeAll(file: Deno.FsFile, chunks: readonly Uint8Array[]): Promise<void> {
  for (const chunk of chunks) {
    let done = 0;
    while (done < chunk.length) done += await file.write(chunk.subarray(done));
  }
}
