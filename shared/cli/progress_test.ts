import assert from "node:assert/strict";
import { formatBytes, Progress, progressLine } from "./progress.ts";

function fake(enabled: boolean, total?: number, unit?: string) {
  let now = 0;
  const out: string[] = [];
  const progress = new Progress({
    total,
    unit,
    enabled,
    write: (t) => out.push(t),
    now: () => now,
  });
  return { progress, out, advance: (ms: number) => (now += ms) };
}

Deno.test("Progress draws nothing during the first second, then at most every 100 ms", () => {
  const { progress, out, advance } = fake(true, 1000);
  progress.update(100);
  advance(999);
  progress.update(200);
  assert.deepEqual(out, []);
  advance(1);
  progress.update(500);
  advance(50);
  progress.update(600);
  advance(50);
  progress.update(700);
  assert.equal(out.length, 2);
  assert.equal(out[0], `\r${progressLine(500, 1000, 1)}\x1b[K`);
  assert.equal(progress.finish(), 1.1);
  assert.equal(out.at(-1), "\r\x1b[K");
});

Deno.test("Progress never draws when disabled (not a terminal, or --quiet)", () => {
  const { progress, out, advance } = fake(false, 10);
  advance(5000);
  progress.update(5);
  assert.equal(progress.finish(), 5);
  assert.deepEqual(out, []);
});

Deno.test("progressLine() shows a bar with a known total, else the count and rate", () => {
  assert.equal(
    progressLine(450, 1000, 2),
    "[##############----------------]  45%  450 / 1,000 ticks  225 ticks/s",
  );
  assert.equal(progressLine(1_234_567, undefined, 0.5), "1,234,567 ticks  2,469,134 ticks/s");
});

Deno.test("Progress counts its own unit and appends the bytes it is given", () => {
  const { progress, out, advance } = fake(true, undefined, "records");
  advance(2000);
  progress.update(4000, 3 * 1024 * 1024 + 512 * 1024);
  assert.equal(out[0], "\r4,000 records  2,000 records/s  3.5 MiB\x1b[K");
  assert.equal(
    progressLine(50, 100, 1, { unit: "records", bytes: 1_288_490_189 }),
    "[###############---------------]  50%  50 / 100 records  50 records/s  1.2 GiB",
  );
});

Deno.test("formatBytes() uses binary units with one decimal", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(1023), "1023 B");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(5 * 1024 ** 4), "5.0 TiB");
});
