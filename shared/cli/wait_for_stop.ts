/** How a long-running command ends: SIGINT/SIGTERM, its --duration, or the end of its input. */

/** Resolves with why the command should stop ("SIGINT", "SIGTERM", "duration", or `finishedReason`). */
export async function waitForStop(options: {
  durationMs?: number;
  finished?: Promise<unknown>;
  finishedReason?: string;
}): Promise<string> {
  const stopped = Promise.withResolvers<string>();
  const onSignal = (signal: string) => () => stopped.resolve(signal);
  const signals = [["SIGINT", onSignal("SIGINT")], ["SIGTERM", onSignal("SIGTERM")]] as const;
  for (const [signal, handler] of signals) Deno.addSignalListener(signal, handler);
  const timer = options.durationMs === undefined
    ? undefined
    : setTimeout(() => stopped.resolve("duration"), options.durationMs);
  options.finished?.then(() => stopped.resolve(options.finishedReason ?? "end of input"));
  try {
    return await stopped.promise;
  } finally {
    clearTimeout(timer);
    for (const [signal, handler] of signals) Deno.removeSignalListener(signal, handler);
  }
}
