/**
 * The self-contained HTML report of a backtest and the chart series it draws.
 * @module
 */
export {
  CHART_LIBRARY_URL,
  esc,
  jsonForScript,
  loadChartLibrary,
  MAX_TRADE_ROWS,
  renderHtmlReport,
  writeHtmlReport,
} from "./html.ts";
export {
  type ChartCandle,
  type ChartData,
  chartData,
  type ChartMarker,
  MAX_POINTS,
  mergeCandles,
} from "./chart_data.ts";
