import assert from "node:assert/strict";
import { CancelledError, interactiveRequest } from "./interactive.ts";

function scripted(answers: string[]) {
  const out: string[] = [];
  return {
    out,
    io: {
      write: (text: string) => void out.push(text),
      readLine: () => Promise.resolve(answers.shift() ?? null),
    },
  };
}

Deno.test("interactiveRequest() builds a request from the answers, defaults for empty ones", async () => {
  const { io, out } = scripted(["", "ETHUSD", "2024-01-01", "", "rsi", "21", "", "", "", ""]);
  const request = await interactiveRequest(io);
  assert.deepEqual(request, {
    strategy: "rsi",
    symbol: "ETHUSD",
    data: "db",
    from: 1_704_067_200_000_000_000n,
    to: undefined,
    params: { period: "21" },
    seed: undefined,
    ticks: undefined,
    quiet: false,
  });
  assert.ok(out.includes("Symbol [BTCUSD]: "));
});

Deno.test("interactiveRequest() asks again after a bad answer, and a bad parameter set", async () => {
  const answers = [
    "synthetic",
    "",
    "",
    "100",
    "",
    "",
    "99",
    "sma",
    "9",
    "3",
    "",
    "",
    "2",
    "5",
    "",
    "",
  ];
  const { io, out } = scripted(answers);
  const request = await interactiveRequest(io);
  assert.equal(request.strategy, "sma");
  assert.deepEqual(request.params, { short: "2", long: "5" });
  const text = out.join("");
  assert.match(text, /Unknown strategy "99"/);
  assert.match(text, /short.*long|long.*short/i, "the cross-parameter error is shown");
});

Deno.test("interactiveRequest() throws CancelledError at the end of input", async () => {
  await assert.rejects(() => interactiveRequest(scripted(["synthetic"]).io), CancelledError);
});
