import assert from "node:assert/strict";
import { asciiEscape, csvField, jsonString } from "./escape.ts";

// The json-writer crate's own test_strings case (the crate Databento's JSON encoder uses).
Deno.test("jsonString() escapes like the json-writer crate, slash included", () => {
  assert.equal(
    jsonString('\u4e2d\u6587\0\x08\x09"\\\n\r\t</script>'),
    '"\u4e2d\u6587\\u0000\\b\\t\\"\\\\\\n\\r\\t<\\/script>"',
  );
  assert.equal(jsonString("\x1f\x7f"), '"\\u001F\x7f"');
  assert.equal(jsonString("ESZ4 C4100"), '"ESZ4 C4100"');
});

// Cases of upstream's test_write_c_char_field (json/serialize.rs), without the quotes.
Deno.test("asciiEscape() matches Rust's escape_default", () => {
  assert.equal(asciiEscape(0xff), "\\xff");
  assert.equal(asciiEscape(0x43), "C");
  assert.equal(asciiEscape(0x09), "\\t");
  assert.equal(asciiEscape(0x0a), "\\n");
  assert.equal(asciiEscape(0x27), "\\'");
  assert.equal(asciiEscape(0x22), '\\"');
  assert.equal(asciiEscape(0x5c), "\\\\");
  assert.equal(asciiEscape(0x01), "\\x01");
  assert.equal(asciiEscape(0x20), " ");
});

Deno.test("csvField() quotes only fields with the delimiter, quotes, CR or LF", () => {
  assert.equal(csvField("ESH1"), "ESH1");
  assert.equal(csvField(""), "");
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("line\nbreak"), '"line\nbreak"');
  assert.equal(csvField("cr\r"), '"cr\r"');
  assert.equal(csvField("a,b", "\t"), "a,b");
  assert.equal(csvField("a\tb", "\t"), '"a\tb"');
});
