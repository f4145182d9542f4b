import assert from "node:assert/strict";
import { LineReader } from "./_line_reader.ts";

function streamOf(parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return ReadableStream.from(parts.map((p) => encoder.encode(p)));
}

Deno.test("LineReader returns lines split across chunks, drops \\r, ends with null", async () => {
  const reader = new LineReader(streamOf(["ab", "c\r\nd", "e\n\nlast"]));
  const lines = [];
  for (let line = await reader.readLine(); line !== null; line = await reader.readLine()) {
    lines.push(line);
  }
  assert.deepEqual(lines, ["abc", "de", "", "last"]);
  assert.equal(await reader.readLine(), null);
  await reader.close();
});
