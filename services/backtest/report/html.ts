/**
 * The HTML report (`--report OUT.html`): one self-contained page that needs no network. The
 * vendored lightweight-charts build is inlined in a <script>, the chart data is embedded as JSON
 * in a <script type="application/json"> ("</" escaped as "<\/"); candles carry buy/sell markers,
 * the equity curve has its own chart, then the results table, a partial banner when the run
 * stopped early, and the first trades. Series are thinned to MAX_POINTS points (see chart_data.ts).
 * @module
 */
import type { BacktestReport } from "@shared/engine/mod.ts";
import { reportRows } from "../table.ts";
import { chartData, MAX_POINTS } from "./chart_data.ts";
import { CLIENT_SCRIPT, STYLE } from "./_page.ts";

/** The vendored library, inlined into every page. */
export const CHART_LIBRARY_URL = new URL(
  "./vendor/lightweight-charts.standalone.production.js",
  import.meta.url,
);
/** Trades listed in the page's table (all of them are on the chart, thinned past MAX_POINTS). */
export const MAX_TRADE_ROWS = 1_000;
/** Past this many markers the chart shows arrows without text. */
const MARKER_TEXT_LIMIT = 60;

/** Reads the vendored lightweight-charts build (checked safe to inline). */
export async function loadChartLibrary(): Promise<string> {
  const library = await Deno.readTextFile(CHART_LIBRARY_URL);
  if (/<\/script|<!--/i.test(library)) {
    throw new Error("The chart library cannot be inlined: it contains </script or <!--");
  }
  return library;
}

/** Writes the report page of `report` to `path`. */
export async function writeHtmlReport(path: string, report: BacktestReport): Promise<void> {
  await Deno.writeTextFile(path, renderHtmlReport(report, await loadChartLibrary()));
}

/** The whole page as a string (deterministic for a given report and library). */
export function renderHtmlReport(report: BacktestReport, library: string): string {
  const chart = chartData(report);
  const data = {
    strategy: report.strategy,
    symbol: report.symbol,
    barType: report.barType,
    partial: report.partial,
    pricePrecision: pricePrecision(report),
    secondsVisible: report.barType.endsWith("t"),
    markerText: chart.markers.length <= MARKER_TEXT_LIMIT,
    metrics: report.metrics,
    chart,
  };
  const title = `Backtest ${report.strategy.id} on ${report.symbol}`;
  const rows = reportRows(report).map((r) =>
    `<tr><th>${esc(r.label)}</th><td>${
      r.label === "SHA-256" ? `<code>${esc(r.value)}</code>` : esc(r.value)
    }</td></tr>`
  ).join("\n");
  const thinned = [
    chart.candleStep > 1 ? `candles merged by ${chart.candleStep}` : "",
    chart.equityStep > 1 ? `equity sampled every ${chart.equityStep} points` : "",
    chart.markerStep > 1 ? `every ${chart.markerStep}th trade marked` : "",
  ].filter((s) => s !== "");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="sub">${esc(report.strategy.name)} &middot; ${esc(report.barType)} bars &middot; ${
    esc(report.data.source)
  }</p>
${
    report.partial
      ? `<div class="partial">Partial result: the run stopped early. ${
        esc(report.error ?? "")
      }</div>\n`
      : ""
  }<h2>Price and trades</h2>
<div id="candles" class="chart"></div>
<h2>Equity</h2>
<div id="equity" class="chart small"></div>
${
    thinned.length > 0
      ? `<p class="note">Thinned to at most ${MAX_POINTS} points per series: ${
        thinned.join(", ")
      }.</p>\n`
      : ""
  }<h2>Results</h2>
<table class="metrics">
${rows}
</table>
${tradesTable(report)}
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${library}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

function tradesTable(report: BacktestReport): string {
  if (report.trades.length === 0) return "<h2>Trades</h2>\n<p>No trades.</p>";
  const shown = report.trades.slice(0, MAX_TRADE_ROWS);
  const head =
    "<tr><th>Order</th><th>Time (UTC)</th><th>Side</th><th class=num>Quantity</th><th class=num>Price</th><th class=num>Fee</th><th class=num>Realised P&amp;L</th><th>Reason</th></tr>";
  const body = shown.map((t) =>
    `<tr><td>${esc(t.orderId)}</td><td>${esc(isoOf(t.ts))}</td><td class="${
      t.side === "BUY" ? "buy" : "sell"
    }">${t.side}</td><td class=num>${esc(t.quantity)}</td><td class=num>${
      esc(t.price)
    }</td><td class=num>${esc(t.fee)}</td><td class=num>${esc(t.realizedPnl)}</td><td>${
      esc(t.reason ?? "")
    }</td></tr>`
  ).join("\n");
  const more = report.trades.length > shown.length
    ? `\n<p class="note">First ${shown.length} of ${report.trades.length} trades.</p>`
    : "";
  return `<h2>Trades</h2>\n<table class="trades">\n${head}\n${body}\n</table>${more}`;
}

/** JSON safe inside a <script> element: "</" and "<!--" cannot end or confuse it. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replaceAll("</", "<\\/").replaceAll("<!--", "\\u003c!--");
}

/** Escapes text for HTML content and attribute values. */
export function esc(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

function isoOf(ns: string): string {
  const n = BigInt(ns);
  const ms = Number(n / 1_000_000n);
  return new Date(ms).toISOString().replace("T", " ").replace(".000Z", "Z");
}

/** Decimals the price axis needs: the most decimals of the first closes, from 2 to 9. */
function pricePrecision(report: BacktestReport): number {
  let decimals = 2;
  for (const candle of report.candles.slice(0, 1000)) {
    const text = String(candle.close);
    const dot = text.indexOf(".");
    if (dot >= 0 && !text.includes("e")) decimals = Math.max(decimals, text.length - dot - 1);
  }
  return Math.min(decimals, 9);
}
