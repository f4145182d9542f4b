import assert from "node:assert/strict";
import { sampleReport } from "../_testing.ts";
import { esc, jsonForScript, loadChartLibrary, renderHtmlReport } from "./html.ts";

Deno.test("jsonForScript() keeps </script> and <!-- from ending or confusing the element", () => {
  const text = jsonForScript({ a: "</script><!--x" });
  assert.ok(!text.includes("</"));
  assert.ok(!text.includes("<!--"));
  assert.deepEqual(JSON.parse(text), { a: "</script><!--x" });
});

Deno.test("renderHtmlReport() escapes report text and shows the partial banner", () => {
  const report = sampleReport({
    partial: true,
    error: "Strategy <b> threw at /x.ts:1:1: </script>",
    strategy: { id: "<b>", name: "A & B", params: {} },
  });
  const html = renderHtmlReport(report, "/* library */");
  assert.ok(
    html.includes(
      '<div class="partial">Partial result: the run stopped early. Strategy &lt;b&gt; threw',
    ),
  );
  const outsideData = html.replace(/<script type="application\/json"[^]*?<\/script>/, "");
  assert.ok(!outsideData.includes("<b>"), "report text is escaped in the page");
  assert.equal(html.match(/<\/script>/g)?.length, 3, "only the three script elements end");
  assert.ok(html.includes("<script>/* library */</script>"));
  assert.equal(esc(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
});

Deno.test("loadChartLibrary() returns the vendored lightweight-charts 5.2.1 build", async () => {
  const library = await loadChartLibrary();
  assert.match(library, /TradingView Lightweight Charts\u2122 v5\.2\.1/);
  assert.ok(library.includes("createSeriesMarkers"));
});
