const encoder = new TextEncoder();

function writeAllSync(writer: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(writer.writeSync(bytes));
}

/** Writes a CLI's own output to stdout, as is (add the newline yourself). */
export function writeStdout(text: string): void {
  writeAllSync(Deno.stdout, text);
}

/** Writes a CLI's diagnostics to stderr, as is (add the newline yourself). */
export function writeStderr(text: string): void {
  writeAllSync(Deno.stderr, text);
}
