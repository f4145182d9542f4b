// The fixed parts of the HTML report: its style sheet and the script that draws the charts from
// the page's JSON data with the inlined lightweight-charts library (window.LightweightCharts).

export const STYLE = `
  :root { color-scheme: light; --fg: #1f2328; --muted: #656d76; --line: #d0d7de; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
    margin: 0 auto; max-width: 1200px; padding: 16px 24px 48px; }
  h1 { font-size: 20px; margin: 8px 0 4px; }
  h2 { font-size: 16px; margin: 24px 0 8px; }
  .sub { color: var(--muted); margin: 0 0 12px; }
  .partial { background: #ffebe9; border: 1px solid #ff8182; color: #82071e; padding: 10px 14px;
    border-radius: 6px; margin: 12px 0; font-weight: 600; }
  .chart { height: 440px; border: 1px solid var(--line); border-radius: 6px; }
  .chart.small { height: 260px; }
  .note { color: var(--muted); font-size: 12px; }
  table { border-collapse: collapse; }
  td, th { padding: 3px 12px 3px 0; text-align: left; vertical-align: top; }
  th { color: var(--muted); font-weight: 500; }
  .trades td, .trades th { border-bottom: 1px solid var(--line); padding: 3px 10px; }
  .num { text-align: right; font-variant-numeric: tabular-nums; }
  .buy { color: #1a7f37; } .sell { color: #cf222e; }
  code { font-size: 12px; word-break: break-all; }
`;

export const CLIENT_SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var LC = window.LightweightCharts;
  var precision = data.pricePrecision;
  function chart(id) {
    return LC.createChart(document.getElementById(id), {
      autoSize: true,
      layout: { textColor: "#1f2328", background: { type: "solid", color: "#ffffff" } },
      grid: { vertLines: { color: "#f0f3f6" }, horzLines: { color: "#f0f3f6" } },
      timeScale: { timeVisible: true, secondsVisible: data.secondsVisible },
      localization: { timeFormatter: function (t) {
        return new Date(t * 1000).toISOString().replace(".000Z", "Z").replace("T", " ");
      } },
    });
  }
  var price = chart("candles");
  var candles = price.addSeries(LC.CandlestickSeries, {
    upColor: "#26a69a", downColor: "#ef5350", borderVisible: false,
    wickUpColor: "#26a69a", wickDownColor: "#ef5350",
    priceFormat: { type: "price", precision: precision, minMove: Math.pow(10, -precision) },
  });
  candles.setData(data.chart.candles);
  LC.createSeriesMarkers(candles, data.chart.markers.map(function (m) {
    var buy = m.side === "BUY";
    return {
      time: m.time, position: buy ? "belowBar" : "aboveBar", color: buy ? "#1a7f37" : "#cf222e",
      shape: buy ? "arrowUp" : "arrowDown", text: data.markerText ? m.text : "",
    };
  }));
  price.timeScale().fitContent();
  var equity = chart("equity");
  var line = equity.addSeries(LC.LineSeries, { color: "#0969da", lineWidth: 2 });
  line.setData(data.chart.equity);
  equity.timeScale().fitContent();
})();
`;
