/** The summary `deno task live` (and `deno task demo`) print when they stop. */
import type { TraderSummary } from "../service.ts";

/** Several lines, ending in a newline. */
export function formatSummary(reason: string, s: TraderSummary, healthUrl?: string): string {
  const lines = [
    `live: stopped (${reason}); ${s.ticksDelivered} trades delivered over IPC, ${s.ticksProcessed} processed, ` +
    `${s.ticksRejected} rejected, ${s.recordsLost} lost to overrun, ${s.reconnects} reconnects`,
  ];
  for (const t of s.strategies) {
    lines.push(
      `  ${t.strategy} ${t.symbol} on ${t.account}: ${t.decisions} decisions, ${t.fills} fills${
        t.failed ? " (stopped by an error)" : ""
      }`,
    );
  }
  for (const a of s.accounts) {
    const sign = a.pnl.isNegative() ? "" : "+";
    lines.push(
      `  account ${a.id}: equity ${a.equity.toFixed(2)} ${a.currency}, P&L ${sign}${
        a.pnl.toFixed(2)
      }`,
    );
  }
  lines.push(
    `  live_strategy_log rows written: ${s.logRowsWritten}; alerts fired: ${s.alertsFired}`,
  );
  if (healthUrl !== undefined) {
    lines.push(
      `  health: ${new URL("/health", healthUrl)}  metrics: ${new URL("/metrics", healthUrl)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
